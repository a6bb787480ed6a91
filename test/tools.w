// Helpers shared by the library's Wing tests: bad tokens derived from real ones, SigV4-signed requests
// (externs in test/*.ts), and reading the error a call throws.

/// The response of a signed request.
pub struct SignedResponse {
  /// The HTTP status.
  status: num;
  /// The response body.
  body: str;
}

/// Test helpers (inflight).
pub class Tools {
  /// The claims and kid of `token`, signed with a key the pool never had.
  extern "./token-tools.ts" pub static inflight forge(token: str): str;
  /// `token` with a claim changed and the pool's signature kept.
  extern "./token-tools.ts" pub static inflight tamper(token: str): str;
  /// Sends a request signed with SigV4 (`execute-api`); `tamper` is "", "path", "body" or "secret".
  extern "./sigv4-signer.ts" pub static inflight signedFetch(method: str, url: str, region: str, credentials: Json, body: str, tamper: str): SignedResponse;

  /// The message of the error `f` throws, or "" when it throws none.
  pub static inflight errorOf(f: inflight (): void): str {
    try {
      f();
    } catch e {
      return e;
    }
    return "";
  }
}
