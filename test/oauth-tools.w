// Helpers of the OAuth Wing tests: signing in through the hosted page over HTTP, as a browser would
// (test/support/hosted-ui.ts).

/// OAuth test helpers (inflight).
pub class OAuthTools {
  /// Signs in on the hosted page (code flow with PKCE) and returns the access token the code is exchanged for.
  extern "./support/hosted-ui.ts" pub static inflight hostedSignInAccessToken(domainUrl: str, clientId: str, callbackUrl: str, scope: str, username: str, password: str): str;
}
