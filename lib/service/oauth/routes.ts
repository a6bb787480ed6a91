// The OAuth 2.0 / OpenID Connect endpoints of every pool's domain, as one route of the service's HTTP server (the
// mapping of domains to URLs is in domain.ts).
import type { ServiceContext } from "../context";
import type { ExtraRoute } from "../http-server";
import { accountEndpoint } from "./account";
import { addPasskeyEndpoint } from "./passkey-add";
import { authorizeEndpoint } from "./authorize";
import { resolveOAuthTarget } from "./domain";
import { idpResponseEndpoint } from "./federation";
import { loginEndpoint } from "./login";
import { logoutEndpoint, revokeEndpoint } from "./revoke-logout";
import { tokenEndpoint } from "./token";
import { userInfoEndpoint } from "./userinfo";

export function oauthRoutes(ctx: ServiceContext): ExtraRoute {
  return async ({ method, path, query, headers, body }) => {
    const target = resolveOAuthTarget(ctx, headers, path);
    if (!target) return undefined;
    switch (target.endpoint) {
      case "authorize":
        return authorizeEndpoint(ctx, target, query, headers);
      case "login":
        return loginEndpoint(ctx, target, method, query, headers, body);
      case "token":
        return tokenEndpoint(ctx, target, method, headers, body);
      case "userInfo":
        return userInfoEndpoint(ctx, target, headers);
      case "revoke":
        return revokeEndpoint(ctx, target, method, headers, body);
      case "logout":
        return logoutEndpoint(ctx, target, query, headers);
      case "signUp":
      case "confirmUser":
      case "resendCode":
      case "forgotPassword":
      case "confirmForgotPassword":
        return accountEndpoint(ctx, target, target.endpoint, method, query, headers, body);
      case "addPasskey":
        return addPasskeyEndpoint(ctx, target, method, query, headers, body);
      case "idpResponse":
        return idpResponseEndpoint(ctx, target, query, headers);
    }
  };
}
