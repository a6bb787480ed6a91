// The OpenID Provider metadata of a pool (`/<poolId>/.well-known/openid-configuration`): the issuer and JWKS, and the
// endpoints of the pool's domain on this service (path-based, see domain.ts), with the response types, grant types,
// scopes, PKCE methods and client authentication methods they support.
import type { ServiceContext } from "../context";
import type { UserPoolRecord } from "../model";
import { customScopesOf } from "../operations/resource-servers";
import { STANDARD_SCOPES } from "./client-settings";
import { domainBaseUrl, ENDPOINTS } from "./domain";

export function openIdConfiguration(ctx: ServiceContext, pool: UserPoolRecord, host: string): Record<string, unknown> {
  const base = domainBaseUrl(pool, host);
  return {
    issuer: ctx.issuer(pool.Id),
    jwks_uri: `http://${host}/${pool.Id}/.well-known/jwks.json`,
    authorization_endpoint: `${base}${ENDPOINTS.authorize}`,
    token_endpoint: `${base}${ENDPOINTS.token}`,
    userinfo_endpoint: `${base}${ENDPOINTS.userInfo}`,
    revocation_endpoint: `${base}${ENDPOINTS.revoke}`,
    end_session_endpoint: `${base}${ENDPOINTS.logout}`,
    response_types_supported: ["code", "token"],
    response_modes_supported: ["query", "fragment"],
    grant_types_supported: ["authorization_code", "refresh_token", "client_credentials", "implicit"],
    code_challenge_methods_supported: ["S256", "plain"],
    scopes_supported: [...STANDARD_SCOPES, ...customScopesOf(ctx, pool.Id)],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: ["RS256"],
    token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
    revocation_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
    claims_supported: ["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "at_hash", "cognito:username", "cognito:groups", "email", "email_verified", "phone_number", "phone_number_verified", "name", "given_name", "family_name"],
  };
}
