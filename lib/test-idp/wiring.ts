// How the test identity provider is wired to a local Cognito: the relying party it registers for the service (one
// client id, a secret), the idpresponse URIs of a pool domain in every form the service answers (path-based on
// 127.0.0.1 and localhost, host-based `<prefix>.localhost` and the AWS-shaped host), and the ProviderDetails of the
// OIDC provider `TestIdP` (every endpoint given, so nothing is discovered over the network and a new port each run is
// just an UpdateIdentityProvider).
import type { RunningTestIdp } from "./server";

/** The client id the user pool has at the test IdP. */
export const TEST_IDP_CLIENT_ID = "local-cognito";

/** The URIs a pool domain's /oauth2/idpresponse may be reached at on the service at `serviceUrl`. */
export function idpResponseUris(serviceUrl: string, domainPrefix: string, region: string): string[] {
  const port = new URL(serviceUrl).port;
  return [
    `http://127.0.0.1:${port}/${domainPrefix}/oauth2/idpresponse`,
    `http://localhost:${port}/${domainPrefix}/oauth2/idpresponse`,
    `http://${domainPrefix}.localhost:${port}/oauth2/idpresponse`,
    `https://${domainPrefix}.auth.${region}.amazoncognito.com/oauth2/idpresponse`,
  ];
}

/** Whether `uri` is the idpresponse endpoint of some pool domain on the service at `serviceUrl` (path-based). */
export function isServiceIdpResponse(serviceUrl: string, uri: string): boolean {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  const port = new URL(serviceUrl).port;
  return url.protocol === "http:" && url.port === port && ["127.0.0.1", "localhost"].includes(url.hostname) && /^\/[^/]+\/oauth2\/idpresponse$/.test(url.pathname) && !url.search;
}

/** ProviderDetails of the OIDC provider for the running test IdP. */
export function testIdpProviderDetails(idp: RunningTestIdp, clientSecret: string): Record<string, string> {
  return {
    client_id: TEST_IDP_CLIENT_ID,
    client_secret: clientSecret,
    oidc_issuer: idp.issuer,
    authorize_url: `${idp.issuer}/authorize`,
    token_url: `${idp.issuer}/token`,
    attributes_url: `${idp.issuer}/userinfo`,
    jwks_uri: `${idp.issuer}/jwks`,
    attributes_request_method: "GET",
    authorize_scopes: "openid email profile",
  };
}
