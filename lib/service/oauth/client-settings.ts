// An app client's OAuth 2.0 settings as CreateUserPoolClient / UpdateUserPoolClient validate them on AWS:
// AllowedOAuthFlows (code, implicit, client_credentials), AllowedOAuthFlowsUserPoolClient, AllowedOAuthScopes (standard
// scopes and the pool's custom scopes; ScopeDoesNotExistException otherwise), CallbackURLs / LogoutURLs /
// DefaultRedirectURI (absolute, no fragment, https or a custom scheme, http only for localhost) and
// SupportedIdentityProviders (COGNITO or the pool's identity providers); plus the readers the OAuth endpoints use.
import * as errors from "../errors";
import { optionalBoolean, optionalString, optionalStringList, type Input } from "../input";
import type { AppClientRecord } from "../model";
import type { ServiceContext } from "../context";
import { identityProvider } from "../operations/identity-providers";
import { customScopesOf } from "../operations/resource-servers";

export type OAuthFlow = "code" | "implicit" | "client_credentials";

/** The scopes every pool knows. */
export const STANDARD_SCOPES = ["openid", "email", "phone", "profile", "aws.cognito.signin.user.admin"] as const;

const FLOWS: readonly OAuthFlow[] = ["code", "implicit", "client_credentials"];
const MAX_URLS = 100;
const MAX_URL_LENGTH = 1024;
const MAX_SCOPES = 50;

const invalidOAuthFlow = (message: string) => new errors.CognitoError("InvalidOAuthFlowException", message);
const scopeDoesNotExist = (message: string) => new errors.CognitoError("ScopeDoesNotExistException", message);

/** Why `url` cannot be a callback or sign-out URL, or undefined when it can. */
export function redirectUrlProblem(url: string): string | undefined {
  if (url.length < 1 || url.length > MAX_URL_LENGTH) return "must be between 1 and 1024 characters";
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "is not an absolute URL";
  }
  if (url.includes("#")) return "must not contain a fragment";
  if (parsed.protocol === "http:" && parsed.hostname !== "localhost") return "must use HTTPS; HTTP is allowed only for http://localhost";
  return undefined;
}

function readUrls(input: Input, member: "CallbackURLs" | "LogoutURLs"): string[] | undefined {
  const urls = optionalStringList(input, member);
  if (!urls) return undefined;
  if (urls.length > MAX_URLS) throw errors.invalidParameter(`1 validation error detected: Value at '${member.charAt(0).toLowerCase()}${member.slice(1)}' failed to satisfy constraint: Member must have length less than or equal to ${MAX_URLS}`);
  for (const url of urls) {
    const problem = redirectUrlProblem(url);
    if (problem) throw errors.invalidParameter(`${member === "CallbackURLs" ? "Invalid CallbackURL" : "Invalid LogoutURL"}: ${url} ${problem}.`);
  }
  return [...new Set(urls)];
}

/**
 * Checks the OAuth members of a Create/UpdateUserPoolClient input and returns them as they are kept in the client's
 * settings (only the members present). `hasSecret` says whether the client has (or will get) a secret.
 */
export function validateOAuthSettings(ctx: ServiceContext, poolId: string, input: Input, hasSecret: boolean): Record<string, unknown> {
  const flows = optionalStringList(input, "AllowedOAuthFlows");
  const scopes = optionalStringList(input, "AllowedOAuthScopes");
  const enabled = optionalBoolean(input, "AllowedOAuthFlowsUserPoolClient") ?? false;
  const callbacks = readUrls(input, "CallbackURLs");
  const logouts = readUrls(input, "LogoutURLs");
  const defaultRedirect = optionalString(input, "DefaultRedirectURI");
  const providers = optionalStringList(input, "SupportedIdentityProviders");

  for (const flow of flows ?? []) {
    if (!(FLOWS as readonly string[]).includes(flow)) {
      throw errors.invalidParameter(`1 validation error detected: Value '[${flow}]' at 'allowedOAuthFlows' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [implicit, client_credentials, code]]`);
    }
  }
  if (flows && flows.length > 3) throw errors.invalidParameter("1 validation error detected: Value at 'allowedOAuthFlows' failed to satisfy constraint: Member must have length less than or equal to 3");
  if (scopes && scopes.length > MAX_SCOPES) throw errors.invalidParameter(`1 validation error detected: Value at 'allowedOAuthScopes' failed to satisfy constraint: Member must have length less than or equal to ${MAX_SCOPES}`);
  const custom = customScopesOf(ctx, poolId);
  for (const scope of scopes ?? []) {
    if (!(STANDARD_SCOPES as readonly string[]).includes(scope) && !custom.has(scope)) throw scopeDoesNotExist(`Invalid scope requested: ${scope}`);
  }
  if (defaultRedirect !== undefined) {
    const problem = redirectUrlProblem(defaultRedirect);
    if (problem) throw errors.invalidParameter(`Invalid DefaultRedirectURI: ${defaultRedirect} ${problem}.`);
    if (!(callbacks ?? []).includes(defaultRedirect)) throw errors.invalidParameter("DefaultRedirectURI must be one of the CallbackURLs.");
  }
  for (const provider of providers ?? []) {
    // The pool's own directory, or one of its identity providers (CreateIdentityProvider).
    if (provider !== "COGNITO" && !identityProvider(ctx, poolId, provider)) throw errors.invalidParameter(`The provider ${provider} does not exist for User Pool ${poolId}`);
  }

  if (enabled) {
    if (!flows || flows.length === 0) throw invalidOAuthFlow("AllowedOAuthFlows must be specified when AllowedOAuthFlowsUserPoolClient is true.");
    if (!scopes || scopes.length === 0) throw invalidOAuthFlow("AllowedOAuthScopes must be specified when AllowedOAuthFlowsUserPoolClient is true.");
  }
  if (flows?.includes("client_credentials")) {
    if (flows.includes("code") || flows.includes("implicit")) throw invalidOAuthFlow("client_credentials flow can not be selected along with code flow or implicit flow.");
    if (!hasSecret) throw invalidOAuthFlow("client_credentials flow can not be selected if client does not have a client secret.");
    const standard = (scopes ?? []).filter((s) => !custom.has(s));
    if (standard.length > 0) throw invalidOAuthFlow(`client_credentials flow can only be used with custom scopes; ${standard[0]} is not one.`);
  }
  if (enabled && (flows?.includes("code") || flows?.includes("implicit")) && (!callbacks || callbacks.length === 0)) {
    throw invalidOAuthFlow("CallbackURLs must be specified for the code and implicit flows.");
  }

  const settings: Record<string, unknown> = {};
  if (flows) settings.AllowedOAuthFlows = [...new Set(flows)];
  if (scopes) settings.AllowedOAuthScopes = [...new Set(scopes)];
  if (input.AllowedOAuthFlowsUserPoolClient !== undefined && input.AllowedOAuthFlowsUserPoolClient !== null) settings.AllowedOAuthFlowsUserPoolClient = enabled;
  if (callbacks) settings.CallbackURLs = callbacks;
  if (logouts) settings.LogoutURLs = logouts;
  if (defaultRedirect !== undefined) settings.DefaultRedirectURI = defaultRedirect;
  if (providers) settings.SupportedIdentityProviders = [...new Set(providers)];
  return settings;
}

/** The OAuth settings of a client, read back from its stored settings. */
export interface ClientOAuth {
  enabled: boolean;
  flows: OAuthFlow[];
  scopes: string[];
  callbackUrls: string[];
  logoutUrls: string[];
  identityProviders: string[];
}

export function oauthOf(client: AppClientRecord): ClientOAuth {
  const list = (member: string) => (Array.isArray(client.settings[member]) ? (client.settings[member] as string[]) : []);
  return {
    enabled: client.settings.AllowedOAuthFlowsUserPoolClient === true,
    flows: list("AllowedOAuthFlows") as OAuthFlow[],
    scopes: list("AllowedOAuthScopes"),
    callbackUrls: list("CallbackURLs"),
    logoutUrls: list("LogoutURLs"),
    identityProviders: list("SupportedIdentityProviders"),
  };
}
