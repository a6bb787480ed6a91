// A user pool's external identity providers (SAML, OIDC, Google, Facebook, LoginWithAmazon, SignInWithApple):
// CreateIdentityProvider, DescribeIdentityProvider, ListIdentityProviders, UpdateIdentityProvider, DeleteIdentityProvider
// and GetIdentityProviderByIdentifier, with AWS's validation of ProviderType, ProviderDetails, AttributeMapping and
// IdpIdentifiers and the details AWS adds (endpoints of the social IdPs, OIDC discovery, SAML metadata); and the links
// between an external identity and a user (AdminLinkProviderForUser, AdminDisableProviderForUser).
import * as errors from "../errors";
import { constraintError } from "../validation";
import { optionalNumber, optionalObject, optionalStringList, requiredString, type Input } from "../input";
import type { UserPoolRecord, UserRecord } from "../model";
import type { OperationTable, ServiceContext } from "../context";
import { pageAfter, readPageToken } from "../paging";
import type { CognitoState } from "../state";

export type ProviderType = "SAML" | "Facebook" | "Google" | "LoginWithAmazon" | "SignInWithApple" | "OIDC";

export interface IdentityProviderRecord {
  UserPoolId: string;
  ProviderName: string;
  ProviderType: ProviderType;
  ProviderDetails: Record<string, string>;
  AttributeMapping: Record<string, string>;
  IdpIdentifiers: string[];
  CreationDate: number;
  LastModifiedDate: number;
}

/** An external identity linked to a user of the pool (AdminLinkProviderForUser). */
export interface ProviderLinkRecord {
  userPoolId: string;
  providerName: string;
  attributeName: string;
  attributeValue: string;
  username: string;
  createdAt: number;
}

const PROVIDERS = "identityProviders";
const LINKS = "providerLinks";
const providerKey = (poolId: string, name: string) => JSON.stringify([poolId, name]);
const linkKey = (poolId: string, provider: string, attribute: string, value: string) => JSON.stringify([poolId, provider, attribute, value]);

const PROVIDER_TYPES: readonly ProviderType[] = ["SAML", "Facebook", "Google", "LoginWithAmazon", "SignInWithApple", "OIDC"];
const SOCIAL_TYPES: readonly ProviderType[] = ["Facebook", "Google", "LoginWithAmazon", "SignInWithApple"];
/** What the pool's `username` maps to by default, per IdP type. */
const DEFAULT_USERNAME_SOURCE: Partial<Record<ProviderType, string>> = { Google: "sub", Facebook: "id", LoginWithAmazon: "user_id", SignInWithApple: "sub", OIDC: "sub" };
const FACEBOOK_API_VERSION = "v17.0";
const PROVIDER_NAME_PATTERN = /^[^_][\p{L}\p{M}\p{S}\p{N}\p{P}][^_]+$/u;
const IDP_IDENTIFIER_PATTERN = /^[\w\s+=.@-]+$/;
const DISCOVERY_TIMEOUT_MS = 3000;

/** The details AWS fills in for a social IdP (its fixed endpoints), given what the request sent. */
function socialDefaults(type: ProviderType, details: Record<string, string>): Record<string, string> {
  switch (type) {
    case "Google":
      return {
        attributes_url: "https://people.googleapis.com/v1/people/me?personFields=", attributes_url_add_attributes: "true",
        authorize_url: "https://accounts.google.com/o/oauth2/v2/auth", oidc_issuer: "https://accounts.google.com",
        token_request_method: "POST", token_url: "https://www.googleapis.com/oauth2/v4/token",
      };
    case "Facebook": {
      const v = details.api_version ?? FACEBOOK_API_VERSION;
      return {
        api_version: v, attributes_url: `https://graph.facebook.com/${v}/me?fields=`, attributes_url_add_attributes: "true",
        authorize_url: `https://www.facebook.com/${v}/dialog/oauth`, token_request_method: "GET", token_url: `https://graph.facebook.com/${v}/oauth/access_token`,
      };
    }
    case "LoginWithAmazon":
      return {
        attributes_url: "https://api.amazon.com/user/profile", attributes_url_add_attributes: "false", authorize_url: "https://www.amazon.com/ap/oa",
        token_request_method: "POST", token_url: "https://api.amazon.com/auth/o2/token",
      };
    case "SignInWithApple":
      return {
        authorize_url: "https://appleid.apple.com/auth/authorize", oidc_issuer: "https://appleid.apple.com",
        token_request_method: "POST", token_url: "https://appleid.apple.com/auth/token",
      };
    default:
      return {};
  }
}

const REQUIRED_DETAILS: Record<ProviderType, string[]> = {
  Google: ["client_id", "client_secret", "authorize_scopes"],
  Facebook: ["client_id", "client_secret", "authorize_scopes"],
  LoginWithAmazon: ["client_id", "client_secret", "authorize_scopes"],
  SignInWithApple: ["client_id", "team_id", "key_id", "private_key", "authorize_scopes"],
  OIDC: ["client_id", "attributes_request_method", "oidc_issuer", "authorize_scopes"],
  SAML: [],
};
const OIDC_ENDPOINTS = ["authorize_url", "token_url", "attributes_url", "jwks_uri"] as const;
const OIDC_DISCOVERY_FIELDS: Record<(typeof OIDC_ENDPOINTS)[number], string> = {
  authorize_url: "authorization_endpoint", token_url: "token_endpoint", attributes_url: "userinfo_endpoint", jwks_uri: "jwks_uri",
};

function stringMap(input: Input, member: string): Record<string, string> | undefined {
  const value = optionalObject(input, member);
  if (!value) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== "string") throw errors.invalidParameter(`${member} values must be strings.`);
    out[k] = v;
  }
  return out;
}

function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || (url.protocol === "http:" && /^(127\.|localhost$|\[::1\]$)/.test(url.hostname));
  } catch {
    return false;
  }
}

/** ProviderDetails as AWS stores them for `type`: checked, with the details AWS adds. */
async function checkedDetails(type: ProviderType, details: Record<string, string>): Promise<Record<string, string>> {
  for (const key of REQUIRED_DETAILS[type]) {
    if (!details[key]) throw errors.invalidParameter(`${key} is required for ${type} identity provider.`);
  }
  if (type === "OIDC") {
    const method = details.attributes_request_method;
    if (method !== "GET" && method !== "POST") throw errors.invalidParameter("attributes_request_method must be GET or POST.");
    if (!isHttpsUrl(details.oidc_issuer)) throw errors.invalidParameter("oidc_issuer must be a valid https URL.");
    const out: Record<string, string> = { attributes_url_add_attributes: "false", ...details };
    const missing = OIDC_ENDPOINTS.filter((k) => !out[k]);
    if (missing.length) {
      const discovered = await discover(details.oidc_issuer);
      for (const k of missing) {
        const v = discovered?.[OIDC_DISCOVERY_FIELDS[k]];
        if (typeof v !== "string") throw errors.invalidParameter(`${k} is required for OIDC identity provider when it cannot be discovered from oidc_issuer.`);
        out[k] = v;
      }
    }
    for (const k of OIDC_ENDPOINTS) if (!isHttpsUrl(out[k])) throw errors.invalidParameter(`${k} must be a valid https URL.`);
    return out;
  }
  if (type === "SAML") return samlDetails(details);
  if (type === "Facebook" && details.api_version !== undefined && !/^v\d+\.\d+$/.test(details.api_version)) {
    throw errors.invalidParameter("api_version must look like v17.0.");
  }
  if (type === "SignInWithApple" && !/-----BEGIN PRIVATE KEY-----/.test(details.private_key)) {
    throw errors.invalidParameter("private_key must be a PEM-encoded private key.");
  }
  return { ...details, ...socialDefaults(type, details) };
}

/** The OIDC discovery document at `<issuer>/.well-known/openid-configuration`, or undefined. */
async function discover(issuer: string): Promise<Record<string, unknown> | undefined> {
  try {
    const res = await fetch(`${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS) });
    if (!res.ok) return undefined;
    const doc = (await res.json()) as unknown;
    return doc && typeof doc === "object" ? (doc as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** SAML: MetadataFile or MetadataURL (fetched), whose IdP SSO and SLO redirect endpoints AWS reports. */
async function samlDetails(details: Record<string, string>): Promise<Record<string, string>> {
  const { MetadataFile, MetadataURL } = details;
  if (!MetadataFile === !MetadataURL) throw errors.invalidParameter("Exactly one of MetadataFile or MetadataURL is required for SAML identity provider.");
  for (const flag of ["IDPSignout", "IDPInit", "EncryptedResponses"]) {
    if (details[flag] !== undefined && !/^(true|false)$/i.test(details[flag])) throw errors.invalidParameter(`${flag} must be true or false.`);
  }
  if (details.RequestSigningAlgorithm !== undefined && details.RequestSigningAlgorithm !== "rsa-sha256") throw errors.invalidParameter("RequestSigningAlgorithm must be rsa-sha256.");
  let metadata = MetadataFile;
  if (MetadataURL) {
    if (!isHttpsUrl(MetadataURL)) throw errors.invalidParameter("MetadataURL must be a valid https URL.");
    try {
      const res = await fetch(MetadataURL, { signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS) });
      metadata = res.ok ? await res.text() : "";
    } catch {
      metadata = "";
    }
    if (!metadata) throw errors.invalidParameter(`Could not retrieve metadata from ${MetadataURL}.`);
  }
  if (!/<(\w+:)?EntityDescriptor[\s>]/.test(metadata) || !/<(\w+:)?IDPSSODescriptor[\s>]/.test(metadata)) {
    throw errors.invalidParameter("Invalid SAML metadata: no EntityDescriptor with an IDPSSODescriptor.");
  }
  const endpoint = (element: string) => {
    const re = new RegExp(`<(?:\\w+:)?${element}\\b[^>]*>`, "g");
    for (const tag of metadata.match(re) ?? []) {
      if (/Binding="urn:oasis:names:tc:SAML:2\.0:bindings:HTTP-Redirect"/.test(tag)) return /Location="([^"]+)"/.exec(tag)?.[1];
    }
    return undefined;
  };
  const sso = endpoint("SingleSignOnService");
  if (!sso) throw errors.invalidParameter("Invalid SAML metadata: no SingleSignOnService with the HTTP-Redirect binding.");
  const slo = endpoint("SingleLogoutService");
  return { ...details, SSORedirectBindingURI: sso, ...(slo ? { SLORedirectBindingURI: slo } : {}) };
}

/** AttributeMapping keys are pool attributes (standard, custom:, or username); values are the IdP's names. */
function checkedMapping(pool: UserPoolRecord, type: ProviderType, mapping: Record<string, string> | undefined, previous?: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = { ...(previous ?? {}), ...(mapping ?? {}) };
  for (const [key, value] of Object.entries(mapping ?? {})) {
    if (key.length < 1 || key.length > 32) throw errors.invalidParameter(`1 validation error detected: Value '${key}' at 'attributeMapping' failed to satisfy constraint: Member must have length less than or equal to 32`);
    if (key !== "username" && !pool.schema.some((s) => s.Name === key)) throw errors.invalidParameter(`Invalid attribute mapping. ${key} is not a valid attribute of the user pool.`);
    if (value.length < 1 || value.length > 131) throw errors.invalidParameter(`Invalid attribute mapping for ${key}.`);
  }
  const source = DEFAULT_USERNAME_SOURCE[type];
  if (source && out.username === undefined) out.username = source;
  return out;
}

function checkedIdentifiers(store: ProviderStore, pool: UserPoolRecord, providerName: string, input: Input): string[] | undefined {
  const ids = optionalStringList(input, "IdpIdentifiers");
  if (!ids) return undefined;
  if (ids.length > 50) throw errors.invalidParameter("1 validation error detected: Value at 'idpIdentifiers' failed to satisfy constraint: Member must have length less than or equal to 50");
  for (const id of ids) {
    if (id.length < 1 || id.length > 40 || !IDP_IDENTIFIER_PATTERN.test(id)) {
      throw errors.invalidParameter(`1 validation error detected: Value '[${ids.join(", ")}]' at 'idpIdentifiers' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 40, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [\\w\\s+=.@-]+]`);
    }
  }
  if (new Set(ids).size !== ids.length) throw new errors.CognitoError("DuplicateProviderException", "Duplicate IdpIdentifiers are not allowed.");
  for (const other of store.ofPool(pool.Id)) {
    if (other.ProviderName === providerName) continue;
    const taken = ids.find((id) => other.IdpIdentifiers.includes(id));
    if (taken) throw new errors.CognitoError("DuplicateProviderException", `Identifier ${taken} is already used by provider ${other.ProviderName}.`);
  }
  return ids;
}

class ProviderStore {
  constructor(private readonly state: CognitoState) {
    state.cascades.pool.push((poolId) => {
      for (const p of this.ofPool(poolId)) this.delete(p);
      for (const [key, link] of [...state.store.entries<ProviderLinkRecord>(LINKS)]) if (link.userPoolId === poolId) state.store.delete(LINKS, key);
    });
    state.cascades.user.push((user) => {
      for (const [key, link] of [...state.store.entries<ProviderLinkRecord>(LINKS)]) {
        if (link.userPoolId === user.userPoolId && link.username === user.username) state.store.delete(LINKS, key);
      }
    });
  }
  get(poolId: string, name: string): IdentityProviderRecord | undefined {
    return this.state.store.get<IdentityProviderRecord>(PROVIDERS, providerKey(poolId, name));
  }
  ofPool(poolId: string): IdentityProviderRecord[] {
    return [...this.state.store.entries<IdentityProviderRecord>(PROVIDERS).values()].filter((p) => p.UserPoolId === poolId);
  }
  put(p: IdentityProviderRecord): void {
    this.state.store.put(PROVIDERS, providerKey(p.UserPoolId, p.ProviderName), p);
  }
  delete(p: IdentityProviderRecord): void {
    this.state.store.delete(PROVIDERS, providerKey(p.UserPoolId, p.ProviderName));
  }
  link(poolId: string, provider: string, attribute: string, value: string): ProviderLinkRecord | undefined {
    return this.state.store.get<ProviderLinkRecord>(LINKS, linkKey(poolId, provider, attribute, value));
  }
  putLink(l: ProviderLinkRecord): void {
    this.state.store.put(LINKS, linkKey(l.userPoolId, l.providerName, l.attributeName, l.attributeValue), l);
  }
  deleteLink(l: ProviderLinkRecord): void {
    this.state.store.delete(LINKS, linkKey(l.userPoolId, l.providerName, l.attributeName, l.attributeValue));
  }
  linksOf(user: UserRecord): ProviderLinkRecord[] {
    return [...this.state.store.entries<ProviderLinkRecord>(LINKS).values()].filter((l) => l.userPoolId === user.userPoolId && l.username === user.username);
  }
}

const stores = new WeakMap<CognitoState, ProviderStore>();
function providersOf(ctx: ServiceContext): ProviderStore {
  let store = stores.get(ctx.state);
  if (!store) {
    store = new ProviderStore(ctx.state);
    stores.set(ctx.state, store);
  }
  return store;
}

/** The user an external identity is linked to, for federated sign-in (Cognito_Subject or a SAML attribute). */
export function linkedUsername(ctx: ServiceContext, poolId: string, providerName: string, attributeName: string, value: string): string | undefined {
  return providersOf(ctx).link(poolId, providerName, attributeName, value)?.username;
}

/** The identity provider `name` of a pool, if any (for the OAuth side: SupportedIdentityProviders, federation). */
export function identityProvider(ctx: ServiceContext, poolId: string, name: string): IdentityProviderRecord | undefined {
  return providersOf(ctx).get(poolId, name);
}

/** Every identity provider of a pool (for the OAuth side: idp_identifier). */
export function identityProviders(ctx: ServiceContext, poolId: string): IdentityProviderRecord[] {
  return providersOf(ctx).ofPool(poolId);
}

function view(p: IdentityProviderRecord) {
  return {
    UserPoolId: p.UserPoolId, ProviderName: p.ProviderName, ProviderType: p.ProviderType, ProviderDetails: p.ProviderDetails,
    AttributeMapping: p.AttributeMapping, IdpIdentifiers: p.IdpIdentifiers, LastModifiedDate: p.LastModifiedDate, CreationDate: p.CreationDate,
  };
}

function providerNameOf(input: Input): string {
  const name = requiredString(input, "ProviderName");
  if (name.length > 32) {
    throw constraintError(name, "providerName", "Member must have length less than or equal to 32");
  }
  if (name.length < 1 || !/^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u.test(name)) {
    throw errors.invalidParameter(`1 validation error detected: Value '${name}' at 'providerName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+`);
  }
  return name;
}

/** The user's `identities` attribute, as AWS shows it: a JSON list of the linked external identities. */
function identitiesAttribute(store: ProviderStore, pool: UserPoolRecord, user: UserRecord): string | undefined {
  const links = store.linksOf(user);
  if (links.length === 0) return undefined;
  return JSON.stringify(links.map((l) => ({
    userId: l.attributeValue,
    providerName: l.providerName,
    providerType: store.get(pool.Id, l.providerName)?.ProviderType ?? l.providerName,
    issuer: null,
    primary: false,
    dateCreated: l.createdAt * 1000,
  })));
}

function refreshIdentities(ctx: ServiceContext, store: ProviderStore, pool: UserPoolRecord, user: UserRecord): void {
  const identities = identitiesAttribute(store, pool, user);
  const attributes = { ...user.attributes };
  if (identities === undefined) delete attributes.identities;
  else attributes.identities = identities;
  ctx.state.putUser(pool, { ...user, attributes, lastModifiedAt: ctx.now() });
}

function providerUser(input: Input, member: string): { ProviderName: string; ProviderAttributeName?: string; ProviderAttributeValue: string } {
  const value = optionalObject(input, member);
  if (!value) throw errors.missingMember(member);
  const { ProviderName, ProviderAttributeName, ProviderAttributeValue } = value;
  if (typeof ProviderName !== "string" || !ProviderName) throw errors.invalidParameter(`${member}.ProviderName is required.`);
  if (typeof ProviderAttributeValue !== "string" || !ProviderAttributeValue) throw errors.invalidParameter(`${member}.ProviderAttributeValue is required.`);
  if (ProviderAttributeName !== undefined && typeof ProviderAttributeName !== "string") throw errors.invalidParameter(`${member}.ProviderAttributeName must be a string.`);
  return { ProviderName, ProviderAttributeName: ProviderAttributeName as string | undefined, ProviderAttributeValue };
}

export function externalProviderOperations(ctx: ServiceContext): OperationTable {
  const store = providersOf(ctx);
  const requireProvider = (pool: UserPoolRecord, name: string) => {
    const p = store.get(pool.Id, name);
    if (!p) throw errors.resourceNotFound(`Identity provider ${name} does not exist.`);
    return p;
  };
  return {
    async CreateIdentityProvider(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const name = requiredString(input, "ProviderName");
      if (name.length > 32) {
        throw constraintError(name, "providerName", "Member must have length less than or equal to 32");
      }
      if (!PROVIDER_NAME_PATTERN.test(name)) {
        throw errors.invalidParameter(`1 validation error detected: Value '${name}' at 'providerName' failed to satisfy constraint: Member must satisfy regular expression pattern: [^_][\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}][^_]+`);
      }
      const type = requiredString(input, "ProviderType") as ProviderType;
      if (!PROVIDER_TYPES.includes(type)) {
        throw errors.invalidParameter(`1 validation error detected: Value '${type}' at 'providerType' failed to satisfy constraint: Member must satisfy enum value set: [${PROVIDER_TYPES.join(", ")}]`);
      }
      if (SOCIAL_TYPES.includes(type) && name !== type) throw errors.invalidParameter(`ProviderName must be ${type} for a ${type} identity provider.`);
      if (!SOCIAL_TYPES.includes(type) && (SOCIAL_TYPES as readonly string[]).includes(name)) throw errors.invalidParameter(`ProviderName ${name} is reserved for the ${name} identity provider type.`);
      if (/^cognito$/i.test(name)) throw errors.invalidParameter("ProviderName Cognito is reserved.");
      const details = stringMap(input, "ProviderDetails");
      if (!details) throw errors.missingMember("ProviderDetails");
      if (store.get(pool.Id, name)) throw new errors.CognitoError("DuplicateProviderException", `A provider with the name ${name} already exists in this user pool.`);
      const mapping = checkedMapping(pool, type, stringMap(input, "AttributeMapping"));
      const ids = checkedIdentifiers(store, pool, name, input) ?? [];
      const ProviderDetails = await checkedDetails(type, details);
      // Checked again after the await: another create may have landed meanwhile.
      if (store.get(pool.Id, name)) throw new errors.CognitoError("DuplicateProviderException", `A provider with the name ${name} already exists in this user pool.`);
      const now = ctx.now();
      const record: IdentityProviderRecord = {
        UserPoolId: pool.Id, ProviderName: name, ProviderType: type, ProviderDetails, AttributeMapping: mapping, IdpIdentifiers: ids, CreationDate: now, LastModifiedDate: now,
      };
      store.put(record);
      return { IdentityProvider: view(record) };
    },
    DescribeIdentityProvider(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      return { IdentityProvider: view(requireProvider(pool, providerNameOf(input))) };
    },
    ListIdentityProviders(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const max = optionalNumber(input, "MaxResults");
      if (max !== undefined && (!Number.isInteger(max) || max < 0 || max > 60)) {
        throw errors.invalidParameter(`1 validation error detected: Value '${max}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60`);
      }
      const { page, nextToken } = pageAfter(store.ofPool(pool.Id), (p) => [p.CreationDate, p.ProviderName], readPageToken(input, "NextToken"), max || 60);
      return {
        Providers: page.map((p) => ({ ProviderName: p.ProviderName, ProviderType: p.ProviderType, LastModifiedDate: p.LastModifiedDate, CreationDate: p.CreationDate })),
        ...(nextToken ? { NextToken: nextToken } : {}),
      };
    },
    async UpdateIdentityProvider(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const existing = requireProvider(pool, providerNameOf(input));
      const details = stringMap(input, "ProviderDetails");
      const mapping = checkedMapping(pool, existing.ProviderType, stringMap(input, "AttributeMapping"), existing.AttributeMapping);
      const ids = checkedIdentifiers(store, pool, existing.ProviderName, input) ?? existing.IdpIdentifiers;
      let ProviderDetails = existing.ProviderDetails;
      if (details) {
        // What AWS derived (endpoints, metadata URIs) is derived again from the new details.
        const base = Object.fromEntries(Object.entries(existing.ProviderDetails).filter(([k]) => !["SSORedirectBindingURI", "SLORedirectBindingURI"].includes(k)));
        if (existing.ProviderType === "SAML" && (details.MetadataFile || details.MetadataURL)) {
          delete base.MetadataFile;
          delete base.MetadataURL;
        }
        ProviderDetails = await checkedDetails(existing.ProviderType, { ...base, ...details });
      }
      const current = store.get(pool.Id, existing.ProviderName);
      if (!current) throw errors.resourceNotFound(`Identity provider ${existing.ProviderName} does not exist.`);
      const record: IdentityProviderRecord = { ...current, ProviderDetails, AttributeMapping: mapping, IdpIdentifiers: ids, LastModifiedDate: ctx.now() };
      store.put(record);
      return { IdentityProvider: view(record) };
    },
    DeleteIdentityProvider(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const p = requireProvider(pool, providerNameOf(input));
      store.delete(p);
      return {};
    },
    GetIdentityProviderByIdentifier(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const id = requiredString(input, "IdpIdentifier");
      const found = store.ofPool(pool.Id).find((p) => p.IdpIdentifiers.includes(id));
      if (!found) throw errors.resourceNotFound(`Identity provider with identifier ${id} does not exist.`);
      return { IdentityProvider: view(found) };
    },
    AdminLinkProviderForUser(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const destination = providerUser(input, "DestinationUser");
      const source = providerUser(input, "SourceUser");
      if (destination.ProviderName !== "Cognito") throw errors.invalidParameter("DestinationUser ProviderName must be Cognito.");
      const provider = store.get(pool.Id, source.ProviderName);
      if (!provider) throw errors.invalidParameter(`SourceUser ProviderName ${source.ProviderName} is not an identity provider of the user pool.`);
      const attributeName = source.ProviderAttributeName ?? "Cognito_Subject";
      if (provider.ProviderType !== "SAML" && provider.ProviderType !== "OIDC" && attributeName !== "Cognito_Subject") {
        throw errors.invalidParameter("SourceUser ProviderAttributeName must be Cognito_Subject for a social identity provider.");
      }
      const user = ctx.state.userByUsername(pool, destination.ProviderAttributeValue);
      if (!user) throw errors.userNotFound("User does not exist.");
      // An external identity links to one user only, and not once it signed in as a user of its own.
      const federatedUser = ctx.state.userByUsername(pool, `${source.ProviderName}_${source.ProviderAttributeValue}`);
      if (store.link(pool.Id, source.ProviderName, attributeName, source.ProviderAttributeValue) || federatedUser) {
        throw errors.invalidParameter("Merging is not currently supported, provide a SourceUser which has not been linked to a user.");
      }
      store.putLink({ userPoolId: pool.Id, providerName: source.ProviderName, attributeName, attributeValue: source.ProviderAttributeValue, username: user.username, createdAt: ctx.now() });
      refreshIdentities(ctx, store, pool, user);
      return {};
    },
    AdminDisableProviderForUser(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const subject = providerUser(input, "User");
      if (subject.ProviderName === "Cognito") {
        // A native user: deactivated, as AdminDisableUser does.
        const user = ctx.state.userByUsername(pool, subject.ProviderAttributeValue);
        if (!user) throw errors.userNotFound("User does not exist.");
        ctx.state.putUser(pool, { ...user, enabled: false, lastModifiedAt: ctx.now() });
        return {};
      }
      if (!store.get(pool.Id, subject.ProviderName)) throw errors.invalidParameter(`ProviderName ${subject.ProviderName} is not an identity provider of the user pool.`);
      const attributeName = subject.ProviderAttributeName ?? "Cognito_Subject";
      const link = store.link(pool.Id, subject.ProviderName, attributeName, subject.ProviderAttributeValue);
      const federatedUser = ctx.state.userByUsername(pool, `${subject.ProviderName}_${subject.ProviderAttributeValue}`);
      if (!link && !federatedUser) throw errors.userNotFound("User does not exist.");
      if (link) {
        store.deleteLink(link);
        const user = ctx.state.userByUsername(pool, link.username);
        if (user) refreshIdentities(ctx, store, pool, user);
      }
      if (federatedUser) ctx.state.putUser(pool, { ...federatedUser, enabled: false, lastModifiedAt: ctx.now() });
      return {};
    },
  };
}
