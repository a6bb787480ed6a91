// The userInfo endpoint (GET or POST /oauth2/userInfo with `Authorization: Bearer <access token>`): the signed-in user's
// attributes as OpenID claims. The token is checked as every token-taking operation checks it (signature, expiry,
// revocation, user enabled) and must carry `openid` or `aws.cognito.signin.user.admin`; RFC 6750 errors otherwise.
import type { IncomingHttpHeaders } from "node:http";
import { CognitoError } from "../errors";
import type { RouteAnswer } from "../http-server";
import type { ServiceContext } from "../context";
import { verifyAccessToken } from "../sessions";
import type { OAuthTarget } from "./domain";
import { json } from "./http";

function bearerError(status: number, error: "invalid_request" | "invalid_token" | "insufficient_scope", description: string): RouteAnswer {
  return json(status, { error, error_description: description }, { "www-authenticate": `Bearer error="${error}", error_description="${description}"` });
}

/** GET/POST /oauth2/userInfo. */
export function userInfoEndpoint(ctx: ServiceContext, target: OAuthTarget, headers: IncomingHttpHeaders): RouteAnswer {
  const authorization = headers.authorization ?? "";
  const match = /^bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) return json(401, { error: "invalid_request", error_description: "Bearer token is required." }, { "www-authenticate": 'Bearer realm="userInfo"' });
  let verified;
  try {
    verified = verifyAccessToken(ctx, match[1]);
  } catch (e) {
    if (e instanceof CognitoError) return bearerError(401, "invalid_token", e.message);
    throw e;
  }
  if (verified.pool.Id !== target.pool.Id) return bearerError(401, "invalid_token", "Invalid Access Token");
  const scopes = String(verified.claims.scope ?? "").split(" ");
  if (!scopes.includes("openid") && !scopes.includes("aws.cognito.signin.user.admin")) return bearerError(403, "insufficient_scope", "The access token does not carry the openid scope.");
  const { user } = verified;
  const claims: Record<string, string> = { sub: user.sub };
  for (const [name, value] of Object.entries(user.attributes)) if (name !== "sub") claims[name] = value;
  claims.username = user.username;
  return json(200, claims);
}
