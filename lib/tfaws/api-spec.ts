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
