// Pure transformations of a cloud.Api OpenAPI spec (spec in, changed spec out): merge a security
// scheme into components.securitySchemes and require it on one operation. Never mutates its input.

/** One OpenAPI operation (`paths[path][method]`), with whatever extensions Wing put on it. */
export type OpenApiOperation = { readonly [key: string]: unknown };

/** The part of an OpenAPI 3 document that these transformations read and write. */
export interface OpenApiSpec {
  readonly paths: { readonly [path: string]: { readonly [method: string]: OpenApiOperation } };
  readonly components?: {
    readonly securitySchemes?: { readonly [name: string]: unknown };
    readonly [key: string]: unknown;
  };
  readonly [key: string]: unknown;
}

const HTTP_METHODS = ["get", "post", "put", "patch", "delete", "head", "options", "connect"] as const;

/** Renders a Wing route path (`/users/:id`) as an OpenAPI path (`/users/{id}`), like cloud.Api does. */
export function renderOpenApiPath(path: string): string {
  return path.replace(/\/:([A-Za-z0-9_-]+)/g, "/{$1}");
}

/**
 * The key under `paths` that holds the route `path`: the path itself, or the key that renders to
 * the same OpenAPI path (so `/users/:id` and `/users/{id}` name the same route).
 */
export function findRouteKey(spec: OpenApiSpec, path: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(spec.paths, path)) {
    return path;
  }
  const wanted = renderOpenApiPath(path);
  return Object.keys(spec.paths).find((key) => renderOpenApiPath(key) === wanted);
}

/**
 * Returns `spec` with `scheme` added to `components.securitySchemes` under `name`. Every other
 * component and scheme is kept. Adding the same scheme again is a no-op; a different scheme under
 * an existing name is an error.
 */
export function withSecurityScheme(spec: OpenApiSpec, name: string, scheme: unknown): OpenApiSpec {
  if (!/^[A-Za-z0-9._-]+$/.test(name)) {
    throw new Error(`invalid security scheme name "${name}": use letters, digits, ".", "_" and "-" only`);
  }
  const components = spec.components ?? {};
  const schemes = components.securitySchemes ?? {};
  if (Object.prototype.hasOwnProperty.call(schemes, name)) {
    if (JSON.stringify(schemes[name]) === JSON.stringify(scheme)) {
      return spec;
    }
    throw new Error(`the api already has a different security scheme named "${name}"`);
  }
  return {
    ...spec,
    components: { ...components, securitySchemes: { ...schemes, [name]: scheme } },
  };
}

/**
 * Returns `spec` with the operation `method path` requiring the security scheme `schemeName`, with `scopes` in the
 * security requirement (API Gateway's `authorizationScopes`: an access token with one of them). Only that operation changes; its integration and every other field stay as they are.
 * Throws when the route is not registered, or when another scheme already protects it
 * (API Gateway runs one authorizer per method).
 */
export function withProtectedOperation(
  spec: OpenApiSpec,
  path: string,
  method: string,
  schemeName: string,
  scopes: readonly string[] = [],
): OpenApiSpec {
  const verb = method.toLowerCase();
  if (!(HTTP_METHODS as readonly string[]).includes(verb)) {
    throw new Error(`@winglibs/cognito: cannot protect ${method} ${path}: unknown HTTP method "${method}"`);
  }
  const schemes = spec.components?.securitySchemes ?? {};
  if (!Object.prototype.hasOwnProperty.call(schemes, schemeName)) {
    throw new Error(`@winglibs/cognito: cannot protect ${verb.toUpperCase()} ${path}: the api has no security scheme "${schemeName}"`);
  }
  const key = findRouteKey(spec, path);
  const operation = key === undefined ? undefined : spec.paths[key]?.[verb];
  if (key === undefined || operation === undefined) {
    throw new Error(
      `@winglibs/cognito: cannot protect ${verb.toUpperCase()} ${path}: the api has no such route. ` +
        `Register it first with api.${verb}("${path}", handler), then call .${verb}("${path}") on the Cognito instance.`,
    );
  }
  const wanted = [{ [schemeName]: [...scopes] }];
  const existing = operation["security"];
  if (existing !== undefined) {
    if (JSON.stringify(existing) === JSON.stringify(wanted)) {
      return spec;
    }
    throw new Error(
      `@winglibs/cognito: cannot protect ${verb.toUpperCase()} ${path} with "${schemeName}": it is already protected by ` +
        `${JSON.stringify(existing)} (API Gateway allows one authorizer per method)`,
    );
  }
  const methods = spec.paths[key] ?? {};
  return {
    ...spec,
    paths: { ...spec.paths, [key]: { ...methods, [verb]: { ...operation, security: wanted } } },
  };
}

/** The CORS settings of a `cloud.Api` that its error responses must repeat (lib/api-internals.ts `ApiCors`). */
export interface CorsHeaders {
  readonly allowOrigin: string;
  readonly allowHeaders: readonly string[];
  readonly allowMethods: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly allowCredentials: boolean;
}

/**
 * The gateway responses that carry CORS headers: API Gateway answers an authorizer's refusal itself (401
 * UNAUTHORIZED, 403 ACCESS_DENIED / MISSING_AUTHENTICATION_TOKEN / INVALID_SIGNATURE, EXPIRED_TOKEN, ...), without
 * the API's CORS headers, so a browser could not read it. DEFAULT_4XX covers every 4xx the gateway itself returns.
 */
export const CORS_GATEWAY_RESPONSE_TYPES = ["DEFAULT_4XX", "DEFAULT_5XX"] as const;

/** A static header value in an API Gateway mapping: a single-quoted string. */
function staticValue(value: string, what: string): string {
  if (value.includes("'")) {
    throw new Error(`@winglibs/cognito: the api's CORS ${what} contains a quote ('), which API Gateway cannot send: ${value}`);
  }
  return `'${value}'`;
}

/**
 * Returns `spec` with `x-amazon-apigateway-gateway-responses` for DEFAULT_4XX and DEFAULT_5XX carrying the API's
 * CORS headers. Gateway responses the spec already defines are kept as they are (their own headers win).
 */
export function withCorsGatewayResponses(spec: OpenApiSpec, cors: CorsHeaders): OpenApiSpec {
  const headers: { [name: string]: string } = {
    "gatewayresponse.header.Access-Control-Allow-Origin": staticValue(cors.allowOrigin || "*", "allowOrigin"),
  };
  if (cors.allowHeaders.length > 0) {
    headers["gatewayresponse.header.Access-Control-Allow-Headers"] = staticValue(cors.allowHeaders.join(","), "allowHeaders");
  }
  if (cors.allowMethods.length > 0) {
    headers["gatewayresponse.header.Access-Control-Allow-Methods"] = staticValue(cors.allowMethods.join(","), "allowMethods");
  }
  if (cors.exposeHeaders.length > 0) {
    headers["gatewayresponse.header.Access-Control-Expose-Headers"] = staticValue(cors.exposeHeaders.join(","), "exposeHeaders");
  }
  if (cors.allowCredentials) {
    headers["gatewayresponse.header.Access-Control-Allow-Credentials"] = "'true'";
  }
  const key = "x-amazon-apigateway-gateway-responses";
  const existing = (spec[key] ?? {}) as { readonly [type: string]: unknown };
  const added: { [type: string]: unknown } = {};
  for (const type of CORS_GATEWAY_RESPONSE_TYPES) {
    if (!Object.prototype.hasOwnProperty.call(existing, type)) {
      added[type] = { responseParameters: { ...headers } };
    }
  }
  return { ...spec, [key]: { ...existing, ...added } };
}
