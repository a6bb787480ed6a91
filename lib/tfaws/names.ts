// Names of the AWS resources of one Cognito instance on tf-aws. Every derived name ends with the
// instance's construct address, so two instances never collide; IAM roles get a name *prefix* so
// Terraform appends a unique suffix and two apps in one account never collide either.

/** The names one Cognito instance gives its resources. */
export interface CognitoResourceNames {
  /** `<slug>-<address suffix>`: unique per instance within an app. */
  readonly base: string;
  readonly userPool: string;
  readonly userPoolClient: string;
  readonly identityPool: string;
  /** name_prefix of the authenticated role (IAM allows at most 38 characters). */
  readonly authenticatedRolePrefix: string;
  /** name_prefix of the unauthenticated role, used only when unauthenticated identities are allowed. */
  readonly unauthenticatedRolePrefix: string;
  /** The key of the API Gateway security scheme in the api's OpenAPI spec. */
  readonly securityScheme: string;
}

/** Cognito pool and client names: 1 to 128 of letters, digits, whitespace and `+=,.@_-`. */
const POOL_NAME = /^[\w\s+=,.@-]{1,128}$/;
const SLUG_MAX = 20;
const ADDRESS_CHARS = 8;
const IGNORED_SEGMENTS = new Set(["root", "Default", "tf-aws"]);

/**
 * Derives the resource names of the instance at construct `path` with construct address `addr`.
 * `name`, when given, is the user pool's name and the stem of the identity pool's name.
 */
export function cognitoResourceNames(path: string, addr: string, name?: string): CognitoResourceNames {
  if (!/^[0-9a-f]{8,}$/.test(addr)) {
    throw new Error(`not a construct address: "${addr}"`);
  }
  if (name !== undefined && !POOL_NAME.test(name)) {
    throw new Error(
      `invalid Cognito name "${name}": use 1 to 128 letters, digits, spaces and "+=,.@_-" only`,
    );
  }
  const segments = path.split("/").filter((segment) => segment !== "" && !IGNORED_SEGMENTS.has(segment));
  const slug =
    segments
      .join("-")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, SLUG_MAX)
      .replace(/-+$/, "") || "cognito";
  const base = `${slug}-${addr.slice(-ADDRESS_CHARS)}`;
  const stem = name ?? base;
  return {
    base,
    userPool: stem,
    userPoolClient: `${base}-client`,
    identityPool: `${stem.slice(0, 128 - "-identities".length)}-identities`,
    authenticatedRolePrefix: `${base}-auth-`,
    unauthenticatedRolePrefix: `${base}-unauth-`,
    securityScheme: base,
  };
}
