// The per-pool documents a verifier fetches: `/<poolId>/.well-known/jwks.json` (both signing keys) and
// `/<poolId>/.well-known/openid-configuration` (OpenID discovery, with the JWKS on this service's own URL).
import type { ServiceContext } from "./context";
import type { ExtraRoute } from "./http-server";
import { jwkOf } from "./tokens";
import { openIdConfiguration } from "./oauth/discovery";

export function wellKnownRoutes(ctx: ServiceContext): ExtraRoute {
  return async ({ method, path, headers }) => {
    if (method !== "GET") return undefined;
    const match = /^\/([^/]+)\/\.well-known\/(jwks\.json|openid-configuration)$/.exec(path);
    if (!match) return undefined;
    let poolId: string;
    try {
      poolId = decodeURIComponent(match[1]);
    } catch {
      return { status: 404, body: { message: "Not Found" }, contentType: "application/json" };
    }
    const pool = ctx.state.pool(poolId);
    if (!pool) return { status: 404, body: { message: `User pool ${match[1]} does not exist.` }, contentType: "application/json" };
    if (match[2] === "jwks.json") {
      // A pool's keys are made on first need: publishing them is a need, and they are stored before they are shown.
      const keys = await ctx.poolKeys(pool);
      await ctx.state.commit();
      return { status: 200, body: { keys: [jwkOf(keys.idTokenKey), jwkOf(keys.accessTokenKey)] }, contentType: "application/json" };
    }
    return { status: 200, contentType: "application/json", body: openIdConfiguration(ctx, pool, headers.host ?? "127.0.0.1") };
  };
}
