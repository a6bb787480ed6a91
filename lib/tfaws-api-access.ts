// The only place the tf-aws backend touches cloud.Api internals: reads and replaces the OpenAPI
// spec object that Wing's tf-aws Api renders lazily into aws_api_gateway_rest_api.body.
// (Meant to be merged into lib/api-internals.ts, the one module that knows cloud.Api internals.)
import type { OpenApiSpec } from "./api-spec";

/** The field of cloud.Api (sdk src/cloud/api.ts, `protected apiSpec`) that holds the route spec. */
const SPEC_FIELD = "apiSpec";

type ApiWithSpec = { [SPEC_FIELD]?: unknown };

function isSpec(value: unknown): value is OpenApiSpec {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { paths?: unknown }).paths === "object" &&
    (value as { paths?: unknown }).paths !== null
  );
}

/** Returns the api's current OpenAPI spec (Wing route paths, e.g. `/users/:id`, as keys). */
export function readApiSpec(api: object): OpenApiSpec {
  const spec = (api as ApiWithSpec)[SPEC_FIELD];
  if (!isSpec(spec)) {
    throw new Error(
      `@winglibs/cognito: this cloud.Api has no OpenAPI spec in "${SPEC_FIELD}"; ` +
        "the installed @winglang/sdk is not one this library supports on tf-aws",
    );
  }
  return spec;
}

/** Replaces the api's OpenAPI spec; Wing renders it into the REST API body at synthesis. */
export function writeApiSpec(api: object, spec: OpenApiSpec): void {
  readApiSpec(api);
  (api as ApiWithSpec)[SPEC_FIELD] = spec;
}
