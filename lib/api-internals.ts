// The one module that touches `cloud.Api` internals (preflight). It finds the route a user registered,
// swaps the simulator handler of a route for a guarded one, and reads and replaces the OpenAPI spec that
// tf-aws renders into API Gateway (where the tf-aws backend merges its authorizers), and reads (and extends) the
// api's CORS options.
// test/api-internals.test.ts fails loudly if the Wing SDK changes a shape relied on here: `apiSpec.paths`,
// and the simulator's `handlers` registry of `{ func: cloud.Function (with a settable `handler`),
// mapping: { eventProps.subscriptionProps.routes } }`, and `corsOptions` (`allowHeaders` an array, `undefined`
// when the api has no CORS).

/** An inflight API handler, as the Wing SDK lifts it (an object with `_toInflight` and `handle`). */
export type InflightHandler = object;

interface Route {
  pathPattern: string;
  method: string;
}

interface SimHandlerEntry {
  func: { handler: InflightHandler };
  mapping: { eventProps: { subscriptionProps: { routes: Route[] } } };
}

/** The part of `cloud.Api.apiSpec` (an OpenAPI 3 document) this module reads. */
export interface OpenApiSpec {
  paths: Record<string, Record<string, Record<string, unknown>>>;
  [key: string]: unknown;
}

/** What this module reads on a `cloud.Api`. */
interface ApiShape {
  apiSpec?: OpenApiSpec;
  corsOptions?: ApiCors;
  handlers?: Record<string, SimHandlerEntry>;
  node?: { path?: string };
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "CONNECT"];

/** Routes already protected, per api, so that a second `protect` of one route fails clearly. */
const protectedRoutes = new WeakMap<object, Map<string, string>>();

function shapeError(what: string): Error {
  return new Error(
    `@winglibs/cognito: the Wing SDK's cloud.Api no longer has ${what}. ` +
      "This version of @winglibs/cognito does not support this Wing version (see lib/api-internals.ts).",
  );
}

function apiPath(api: ApiShape): string {
  return api.node?.path ?? "cloud.Api";
}

function normalizeMethod(method: string): string {
  const upper = method.toUpperCase();
  if (!METHODS.includes(upper)) throw new Error(`@winglibs/cognito: unknown HTTP method "${method}"`);
  return upper;
}

function specOf(api: ApiShape): OpenApiSpec {
  const spec = api.apiSpec;
  if (!spec || typeof spec !== "object" || !spec.paths || typeof spec.paths !== "object") {
    throw shapeError("an `apiSpec.paths` object");
  }
  return spec;
}

/**
 * The OpenAPI operation of route `method path`. Throws, naming the route, when the api has no such
 * route: a route must be registered on the api before it can be protected.
 */
function operationOf(api: ApiShape, method: string, path: string): Record<string, unknown> {
  const m = normalizeMethod(method);
  const op = specOf(api).paths[path]?.[m.toLowerCase()];
  if (!op) {
    const known = Object.entries(specOf(api).paths)
      .flatMap(([p, ops]) => Object.keys(ops).map((o) => `${o.toUpperCase()} ${p}`))
      .join(", ");
    throw new Error(
      `@winglibs/cognito: cannot protect ${m} ${path}: ${apiPath(api)} has no ${m} route at "${path}". ` +
        `Register it first (api.${m.toLowerCase()}("${path}", handler)), then protect it. ` +
        `Routes on this api: ${known === "" ? "none" : known}.`,
    );
  }
  return op;
}

/** Records that `method path` of `api` is protected by `owner`; throws if it already is. */
function claimRoute(api: ApiShape, method: string, path: string, owner: string): void {
  let routes = protectedRoutes.get(api);
  if (!routes) {
    routes = new Map();
    protectedRoutes.set(api, routes);
  }
  const key = `${normalizeMethod(method)} ${path}`;
  const previous = routes.get(key);
  if (previous !== undefined) {
    throw new Error(`@winglibs/cognito: ${key} of ${apiPath(api)} is already protected by ${previous}`);
  }
  routes.set(key, owner);
}

/** Fails the compile with a clear message unless `method path` is a route registered on `api`. */
export function assertRoute(api: object, method: string, path: string): void {
  operationOf(api as ApiShape, method, path);
}

function simHandlers(api: ApiShape): Record<string, SimHandlerEntry> {
  const handlers = api.handlers;
  if (!handlers || typeof handlers !== "object") throw shapeError("a simulator `handlers` registry");
  for (const entry of Object.values(handlers)) {
    const routes = entry?.mapping?.eventProps?.subscriptionProps?.routes;
    if (!entry?.func || !("handler" in entry.func) || !Array.isArray(routes)) {
      throw shapeError("handler entries of the shape { func: { handler }, mapping: { eventProps.subscriptionProps.routes } }");
    }
  }
  return handlers;
}

function findSimEntry(api: ApiShape, method: string, path: string): SimHandlerEntry {
  const m = normalizeMethod(method);
  operationOf(api, m, path);
  const entry = Object.values(simHandlers(api)).find((e) =>
    e.mapping.eventProps.subscriptionProps.routes.some((r) => r.pathPattern === path && r.method === m),
  );
  if (!entry) throw shapeError(`a simulator handler for its ${m} ${path} route`);
  return entry;
}

/**
 * Simulator: wraps the handler of the registered route `method path` of `api`. `wrap` receives the
 * route's current inflight handler and returns the guarded handler that replaces it. When one handler
 * serves several routes, this route first gets a function of its own, so the others stay unguarded.
 * `owner` names the protector in errors (e.g. the Cognito resource's path).
 */
export function guardSimRoute(
  api: object,
  method: string,
  path: string,
  owner: string,
  wrap: (original: InflightHandler) => InflightHandler,
): void {
  const a = api as ApiShape;
  const m = normalizeMethod(method);
  const entry = findSimEntry(a, m, path);
  claimRoute(a, m, path, owner);
  const routes = entry.mapping.eventProps.subscriptionProps.routes;
  if (routes.length === 1) {
    entry.func.handler = wrap(entry.func.handler);
    return;
  }
  // Shared handler: move this route to a function of its own by registering it again with the wrapper.
  const register = (a as Record<string, unknown>)[m.toLowerCase()];
  if (typeof register !== "function") throw shapeError(`a ${m.toLowerCase()}() method`);
  const original = entry.func.handler;
  const index = routes.findIndex((r) => r.pathPattern === path && r.method === m);
  const [route] = routes.splice(index, 1);
  const ops = specOf(a).paths[path]!;
  const operation = ops[m.toLowerCase()]!;
  delete ops[m.toLowerCase()];
  try {
    (register as (p: string, h: InflightHandler) => void).call(a, path, wrap(original));
  } catch (err) {
    routes.splice(index, 0, route!);
    ops[m.toLowerCase()] = operation;
    throw err;
  }
}

/** Simulator, for Wing callers: the inflight handler now serving the registered route `method path`. */
export function routeHandler(api: object, method: string, path: string): InflightHandler {
  return findSimEntry(api as ApiShape, method, path).func.handler;
}

/** Simulator, for Wing callers: replaces the handler of `method path` (taken with `routeHandler`) by `guarded`. */
export function replaceRouteHandler(api: object, method: string, path: string, owner: string, guarded: InflightHandler): void {
  guardSimRoute(api, method, path, owner, () => guarded);
}

/**
 * The api's OpenAPI spec (Wing route paths such as `/users/:id` as keys), which tf-aws renders lazily
 * into `aws_api_gateway_rest_api.body`. Pair with `writeApiSpec` to change it.
 */
export function readApiSpec(api: object): OpenApiSpec {
  return specOf(api as ApiShape);
}

/** Replaces the api's OpenAPI spec; Wing renders the new one at synthesis. */
export function writeApiSpec(api: object, spec: OpenApiSpec): void {
  const a = api as ApiShape;
  specOf(a);
  if (!spec || typeof spec.paths !== "object") throw new Error("@winglibs/cognito: writeApiSpec needs a spec with `paths`");
  a.apiSpec = spec;
}

/** The CORS options of a `cloud.Api` (`cors: true`), with Wing's defaults filled in. */
export interface ApiCors {
  allowOrigin: string;
  allowHeaders: string[];
  allowMethods: string[];
  exposeHeaders: string[];
  allowCredentials: boolean;
}

function corsOptionsOf(api: ApiShape): ApiCors | undefined {
  const cors = api.corsOptions;
  if (cors === undefined || cors === null) return undefined;
  if (typeof cors !== "object" || !Array.isArray(cors.allowHeaders)) {
    throw shapeError("`corsOptions` with an `allowHeaders` array");
  }
  return cors;
}

/** The api's CORS options, or undefined when the api has no CORS. */
export function readApiCors(api: object): ApiCors | undefined {
  const cors = corsOptionsOf(api as ApiShape);
  if (cors === undefined) return undefined;
  return {
    allowOrigin: cors.allowOrigin ?? "*",
    allowHeaders: [...cors.allowHeaders],
    allowMethods: [...(cors.allowMethods ?? [])],
    exposeHeaders: [...(cors.exposeHeaders ?? [])],
    allowCredentials: cors.allowCredentials ?? false,
  };
}

/**
 * Adds `headers` to the api's CORS `Access-Control-Allow-Headers` (those not already there, compared without case),
 * so that browsers may send them on preflighted requests. Does nothing when the api has no CORS. The api renders
 * its CORS headers at synthesis, so this must run before then (in preflight, like every route registration).
 */
export function allowCorsHeaders(api: object, headers: readonly string[]): void {
  const cors = corsOptionsOf(api as ApiShape);
  if (cors === undefined) return;
  const missing = headers.filter(
    (header, i) =>
      !cors.allowHeaders.some((h) => h.toLowerCase() === header.toLowerCase()) &&
      headers.findIndex((h) => h.toLowerCase() === header.toLowerCase()) === i,
  );
  // A new array: the current one may be the user's (frozen) Wing array or shared defaults.
  if (missing.length > 0) cors.allowHeaders = [...cors.allowHeaders, ...missing];
}

/** The request headers a SigV4-signed browser request carries (credentials from an identity pool). */
export const SIGV4_REQUEST_HEADERS = ["Authorization", "X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Content-Sha256"] as const;

/**
 * The headers a browser must be allowed to send (CORS `Access-Control-Allow-Headers`) to call a protected route:
 * the token header of a user pools authorizer, or SigV4's headers for AWS_IAM.
 */
export function corsHeadersFor(headerKey: string, iamAuth: boolean): string[] {
  return iamAuth ? [...SIGV4_REQUEST_HEADERS] : [headerKey];
}

/** Adds the headers a protected route's callers send (see `corsHeadersFor`) to the api's CORS allowed headers. */
export function allowTokenHeaders(api: object, headerKey: string, iamAuth: boolean): void {
  allowCorsHeaders(api, corsHeadersFor(headerKey, iamAuth));
}
