// The `identityProviders` prop of `Cognito` (platform/backend.w `IdentityProviderOptions`), checked at compile time and
// turned into what Cognito's CreateIdentityProvider takes (ProviderName, ProviderType, ProviderDetails without the
// secret, AttributeMapping, IdpIdentifiers). Both backends use it: the simulator creates the providers in the local
// service, tf-aws declares one aws_cognito_identity_provider each. The secret (an OIDC or social client secret, Apple's
// private key) is a `cloud.Secret`, so it is never a literal in the app nor in the Terraform configuration: each backend
// reads it its own way (the simulator from the secret's local value, tf-aws from Secrets Manager by reference).

/** The provider types AWS has. */
export const PROVIDER_TYPES = ["OIDC", "SAML", "Google", "Facebook", "LoginWithAmazon", "SignInWithApple"] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

/** The name of the simulator's test identity provider (`testIdentityProvider: true`). */
export const TEST_IDP_NAME = "TestIdP";

/** One element of the prop, as Wing passes it (a `cloud.Secret` construct in `clientSecret`). */
export interface IdentityProviderOptions {
  readonly providerType: string;
  readonly name?: string;
  readonly clientId?: string;
  readonly clientSecret?: object;
  readonly issuer?: string;
  readonly scopes?: readonly string[];
  readonly attributeMapping?: Readonly<Record<string, string>>;
  readonly requestMethod?: string;
  readonly metadataUrl?: string;
  readonly metadataDocument?: string;
  readonly teamId?: string;
  readonly keyId?: string;
  readonly identifiers?: readonly string[];
  readonly details?: Readonly<Record<string, string>>;
}

/** A checked provider: CreateIdentityProvider's members, the secret kept apart. */
export interface ProviderSpec {
  readonly name: string;
  readonly type: ProviderType;
  /** ProviderDetails without the secret. */
  readonly details: Record<string, string>;
  /** The ProviderDetails key the secret goes to (`client_secret`, or `private_key` for Sign in with Apple). */
  readonly secretDetail: string;
  /** The `cloud.Secret` holding it, if any. */
  readonly secret?: object;
  readonly attributeMapping: Record<string, string>;
  readonly identifiers: string[];
}

/** What the simulator keeps of a provider (platform/sim.w `SimIdentityProvider`): no construct, the secret's name. */
export interface SimIdentityProvider {
  readonly name: string;
  readonly providerType: string;
  readonly details: Record<string, string>;
  readonly secretDetail: string;
  /** The name of the `cloud.Secret` (the simulator reads its value from the environment, as `cloud.Secret` does). */
  readonly secretName?: string;
  readonly attributeMapping: Record<string, string>;
  readonly identifiers: string[];
}

const SOCIAL: readonly ProviderType[] = ["Google", "Facebook", "LoginWithAmazon", "SignInWithApple"];
/** What the pool's `username` comes from, per type (AWS's own default, stated so Terraform sees no drift). */
const USERNAME_SOURCE: Partial<Record<ProviderType, string>> = { OIDC: "sub", Google: "sub", Facebook: "id", LoginWithAmazon: "user_id", SignInWithApple: "sub" };
const DEFAULT_SCOPES: Record<ProviderType, string[]> = {
  OIDC: ["openid", "email", "profile"],
  Google: ["openid", "email", "profile"],
  Facebook: ["public_profile", "email"],
  LoginWithAmazon: ["profile"],
  SignInWithApple: ["email", "name"],
  SAML: [],
};
/** The attributes mapped when the app maps none: the ones a sign-in page and `caller(req)` show. */
const DEFAULT_MAPPING: Record<ProviderType, Record<string, string>> = {
  OIDC: { email: "email", email_verified: "email_verified", name: "name" },
  Google: { email: "email", email_verified: "email_verified", name: "name" },
  Facebook: { email: "email", name: "name" },
  LoginWithAmazon: { email: "email", name: "name" },
  SignInWithApple: { email: "email", email_verified: "email_verified" },
  SAML: {},
};
const PROVIDER_NAME = /^[^_][\p{L}\p{M}\p{S}\p{N}\p{P}][^_]+$/u;
const IDENTIFIER = /^[\w\s+=.@-]{1,40}$/;

function fail(index: number, name: string | undefined, message: string): never {
  throw new Error(`@winglibs/cognito: identityProviders[${index}]${name ? ` (${name})` : ""}: ${message}`);
}

function isHttpUrl(value: string, allowLoopbackHttp: boolean): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || (allowLoopbackHttp && url.protocol === "http:" && /^(127\.|localhost$|\[::1\]$)/.test(url.hostname));
  } catch {
    return false;
  }
}

/** Checks one provider and builds its CreateIdentityProvider members. */
function specOf(options: IdentityProviderOptions, index: number): ProviderSpec {
  const type = options.providerType as ProviderType;
  if (!PROVIDER_TYPES.includes(type)) fail(index, options.name, `providerType must be one of ${PROVIDER_TYPES.join(", ")} (got ${JSON.stringify(options.providerType)})`);
  const social = SOCIAL.includes(type);
  const name = options.name ?? (social ? type : undefined);
  if (!name) fail(index, undefined, `an ${type} provider needs a name (the hosted page's button and identity_provider=<name>)`);
  if (social && name !== type) fail(index, name, `a ${type} provider's name must be ${type}, as AWS requires`);
  if (!social && (SOCIAL as readonly string[]).includes(name)) fail(index, name, `${name} is the name of the ${name} provider type`);
  if (name.length < 3 || name.length > 32 || !PROVIDER_NAME.test(name) || /^cognito$/i.test(name)) {
    fail(index, name, "a name has 3 to 32 letters, digits or punctuation, does not start or end with _, and is not Cognito");
  }
  const require = (value: string | undefined, what: string): string => {
    if (!value) fail(index, name, `${what} is required for a ${type} provider`);
    return value;
  };
  const scopes = options.scopes ?? DEFAULT_SCOPES[type];
  // Facebook takes its scopes comma-separated; the others space-separated (AWS's authorize_scopes).
  const authorizeScopes = scopes.join(type === "Facebook" ? "," : " ");
  const details: Record<string, string> = {};
  let secretDetail = "client_secret";
  switch (type) {
    case "OIDC": {
      details.client_id = require(options.clientId, "clientId");
      const issuer = require(options.issuer, "issuer");
      if (!isHttpUrl(issuer, true)) fail(index, name, `issuer must be an https URL (http only on loopback), got ${issuer}`);
      details.oidc_issuer = issuer;
      details.authorize_scopes = authorizeScopes;
      const method = options.requestMethod ?? "GET";
      if (method !== "GET" && method !== "POST") fail(index, name, `requestMethod must be GET or POST (got ${method})`);
      details.attributes_request_method = method;
      if (!scopes.includes("openid")) fail(index, name, "an OIDC provider's scopes must include openid");
      break;
    }
    case "Google":
    case "Facebook":
    case "LoginWithAmazon":
      details.client_id = require(options.clientId, "clientId");
      details.authorize_scopes = authorizeScopes;
      if (!options.clientSecret) fail(index, name, `clientSecret (a cloud.Secret holding the app secret) is required for a ${type} provider`);
      break;
    case "SignInWithApple":
      details.client_id = require(options.clientId, "clientId (the Services ID)");
      details.team_id = require(options.teamId, "teamId");
      details.key_id = require(options.keyId, "keyId");
      details.authorize_scopes = authorizeScopes;
      secretDetail = "private_key";
      if (!options.clientSecret) fail(index, name, "clientSecret (a cloud.Secret holding the .p8 private key) is required for a SignInWithApple provider");
      break;
    case "SAML":
      if (!options.metadataUrl === !options.metadataDocument) fail(index, name, "a SAML provider needs exactly one of metadataUrl and metadataDocument");
      if (options.metadataUrl) {
        if (!isHttpUrl(options.metadataUrl, false)) fail(index, name, `metadataUrl must be an https URL, got ${options.metadataUrl}`);
        details.MetadataURL = options.metadataUrl;
      } else {
        details.MetadataFile = options.metadataDocument!;
      }
      if (options.clientSecret) fail(index, name, "a SAML provider has no client secret");
      break;
  }
  for (const [key, value] of Object.entries(options.details ?? {})) {
    if (key === secretDetail) fail(index, name, `${key} may not be a detail: give it as clientSecret (a cloud.Secret), so it is never written in plain text`);
    details[key] = value;
  }
  const identifiers = [...(options.identifiers ?? [])];
  for (const id of identifiers) if (!IDENTIFIER.test(id)) fail(index, name, `identifier ${JSON.stringify(id)} must have 1 to 40 letters, digits, spaces or + = . @ - _`);
  const mapping: Record<string, string> = { ...(options.attributeMapping ?? DEFAULT_MAPPING[type]) };
  const source = USERNAME_SOURCE[type];
  if (source && mapping.username === undefined) mapping.username = source;
  return { name, type, details, secretDetail, ...(options.clientSecret ? { secret: options.clientSecret } : {}), attributeMapping: mapping, identifiers };
}

/**
 * The checked providers of a `Cognito`. Throws (failing the compile) on a bad one, on two with the same name or
 * identifier, on providers without hosted sign-in (they are offered by the hosted pages), and on one named like the
 * simulator's test IdP when it is on.
 */
export function identityProviderSpecs(options: readonly IdentityProviderOptions[] | undefined, hostedSignIn: boolean, testIdentityProvider: boolean): ProviderSpec[] {
  const specs = (options ?? []).map(specOf);
  if ((specs.length > 0 || testIdentityProvider) && !hostedSignIn) {
    throw new Error("@winglibs/cognito: identityProviders and testIdentityProvider need hosted sign-in: set the hostedSignIn option (and domainPrefix)");
  }
  const names = new Set<string>(testIdentityProvider ? [TEST_IDP_NAME] : []);
  const identifiers = new Set<string>();
  specs.forEach((spec, index) => {
    if (names.has(spec.name)) fail(index, spec.name, spec.name === TEST_IDP_NAME && testIdentityProvider ? `${TEST_IDP_NAME} is the test identity provider's name` : "two providers have this name");
    names.add(spec.name);
    for (const id of spec.identifiers) {
      if (identifiers.has(id)) fail(index, spec.name, `identifier ${id} is used by another provider`);
      identifiers.add(id);
    }
  });
  return specs;
}

/** The providers as the simulator keeps them (no constructs; the secret by its name). */
export function simIdentityProviders(hostedSignIn: boolean, testIdentityProvider: boolean, options: readonly IdentityProviderOptions[] | undefined): SimIdentityProvider[] {
  return identityProviderSpecs(options, hostedSignIn, testIdentityProvider).map((spec) => {
    const secretName = spec.secret ? (spec.secret as { name?: string }).name : undefined;
    return {
      name: spec.name, providerType: spec.type, details: spec.details, secretDetail: spec.secretDetail,
      ...(secretName ? { secretName } : {}), attributeMapping: spec.attributeMapping, identifiers: spec.identifiers,
    };
  });
}
