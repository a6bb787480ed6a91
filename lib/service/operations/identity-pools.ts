// cognito-identity operations (identity pools, API 2014-06-30): pool management and roles, identities (GetId, linking,
// developer-authenticated identities), temporary credentials the service keeps to verify SigV4 later, OpenID tokens,
// tags and principal-tag maps. All 23 operations of the AWS API.
import { CognitoError } from "../errors";
import * as errors from "../errors";
import { ACCOUNT_ID, newAccessKeyId, newOpaqueToken, newRegionalUuid, newSecretKey } from "../ids";
import { optionalBoolean, optionalNumber, optionalObject, optionalString, optionalStringList, optionalStringMap, requiredString, type Input } from "../input";
import type { IdentityPoolRecord, IdentityRecord, IssuedCredentials } from "../model";
import type { OperationTable, ServiceContext } from "../context";
import { OPENID_ISSUER, openIdKey, verifyLogin, type VerifiedLogin, type VerifiedUserPoolLogin } from "../id-token-check";
import { signJwt } from "../tokens";
import { pageAfter, readPageToken } from "../paging";

/** The cognito-identity operations AWS serves without a SigV4 signature. */
export const UNSIGNED_IDENTITY_OPERATIONS = ["GetId", "GetCredentialsForIdentity", "GetOpenIdToken", "UnlinkIdentity"];

/** Lifetime of credentials from GetCredentialsForIdentity, as on AWS. */
const CREDENTIALS_SECONDS = 3600;
/** Lifetime of a GetOpenIdToken token (AWS: 10 minutes) and the default/maximum of the developer flow's TokenDuration. */
const OPEN_ID_TOKEN_SECONDS = 600;
const DEVELOPER_TOKEN_DEFAULT_SECONDS = 900;
const DEVELOPER_TOKEN_MAX_SECONDS = 86400;
const MAX_TAGS = 50;

const ID_PATTERN = /^[\w-]+:[0-9a-f-]+$/;
const POOL_NAME_PATTERN = /^[\w\s+=,.@-]+$/;
const DEVELOPER_PROVIDER_PATTERN = /^[\w._-]+$/;
const PROVIDER_NAME_PATTERN = /^[\w._:/-]+$/;
const ROLE_ARN_PATTERN = /^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const LOGINS_DONT_MATCH = "Logins don't match. Please include at least one valid login for this identity or identity pool.";

interface PrincipalTagMap {
  UseDefaults: boolean;
  PrincipalTags: Record<string, string>;
}

/** The identity pool as this module stores it: the shared record plus its principal-tag maps. */
interface StoredIdentityPool extends IdentityPoolRecord {
  principalTagMaps?: Record<string, PrincipalTagMap>;
}

/** An identity as this module stores it. AWS makes an identity whose last login was unlinked inaccessible. */
interface StoredIdentity extends IdentityRecord {
  inaccessible?: boolean;
}

/** A login linked to an identity besides its first one (IdentityRecord holds one): multi-provider sign-in, merges. */
interface LinkedLogin {
  IdentityPoolId: string;
  IdentityId: string;
  login: string;
}

interface RoleMappingRule {
  Claim: string;
  MatchType: "Equals" | "Contains" | "StartsWith" | "NotEqual";
  Value: string;
  RoleARN: string;
}

interface RoleMapping {
  Type: "Token" | "Rules";
  AmbiguousRoleResolution: "AuthenticatedRole" | "Deny";
  RulesConfiguration?: { Rules: RoleMappingRule[] };
}

// Collections of the durable store that only this module uses, and the shared one it has to read directly (see below).
const LINKS = "identityLinks";
const IDENTITIES = "identities";

export function identityPoolOperations(ctx: ServiceContext): OperationTable {
  const { state } = ctx;

  // ---- lookups ----------------------------------------------------------------------------------------------------
  function requireIdentityPool(id: string): StoredIdentityPool {
    const pool = state.identityPool(checkId(id, "identityPoolId"));
    if (!pool) throw errors.resourceNotFound(`IdentityPool '${id}' not found.`);
    return pool;
  }
  function requireIdentity(id: string, poolId?: string): StoredIdentity {
    const identity = state.identity(checkId(id, "identityId"));
    if (!identity || (poolId && identity.IdentityPoolId !== poolId) || !state.identityPool(identity.IdentityPoolId)) throw errors.resourceNotFound(`Identity '${id}' not found.`);
    return identity;
  }
  /** The identity a login (`<provider>|<user>`) belongs to in a pool. */
  function identityForLogin(poolId: string, login: string): StoredIdentity | undefined {
    const primary = state.identityByLogin(poolId, login);
    if (primary && primary.login === login) return primary;
    const link = state.store.get<LinkedLogin>(LINKS, linkKey(poolId, login));
    return link ? state.identity(link.IdentityId) : undefined;
  }
  function linksOf(identity: IdentityRecord): LinkedLogin[] {
    return [...state.store.entries<LinkedLogin>(LINKS).values()].filter((l) => l.IdentityId === identity.IdentityId);
  }
  function loginsOf(identity: IdentityRecord): string[] {
    return [...(identity.login ? [identity.login] : []), ...linksOf(identity).map((l) => l.login)];
  }
  /**
   * Identities of a pool. CognitoState has no such listing yet, so this reads the shared collection
   * directly (read-only); to be replaced by a CognitoState method.
   */
  function* identitiesOf(poolId: string): Iterable<StoredIdentity> {
    for (const i of state.store.entries<StoredIdentity>(IDENTITIES).values()) if (i.IdentityPoolId === poolId) yield i;
  }

  // ---- changes ----------------------------------------------------------------------------------------------------
  function newIdentity(pool: IdentityPoolRecord, login?: string): StoredIdentity {
    const now = ctx.now();
    const identity: StoredIdentity = { IdentityId: newRegionalUuid(ctx.regionOf(pool.IdentityPoolId)), IdentityPoolId: pool.IdentityPoolId, ...(login ? { login } : {}), CreationDate: now, LastModifiedDate: now };
    state.putIdentity(identity);
    return identity;
  }
  /** Links `login` to `identity` (nothing when it already is). Returns the identity as stored now. */
  function link(identity: StoredIdentity, login: string): StoredIdentity {
    if (loginsOf(identity).includes(login)) return identity;
    if (!identity.login) {
      const updated: StoredIdentity = { ...identity, login, inaccessible: undefined, LastModifiedDate: ctx.now() };
      state.putIdentity(updated);
      return updated;
    }
    state.store.put(LINKS, linkKey(identity.IdentityPoolId, login), { IdentityPoolId: identity.IdentityPoolId, IdentityId: identity.IdentityId, login } satisfies LinkedLogin);
    return identity;
  }
  /** Unlinks `login`; an identity left without logins becomes inaccessible, as on AWS. */
  function unlink(identity: StoredIdentity, login: string): StoredIdentity {
    const now = ctx.now();
    if (identity.login !== login) {
      state.store.delete(LINKS, linkKey(identity.IdentityPoolId, login));
      const updated = { ...identity, LastModifiedDate: now };
      state.putIdentity(updated);
      return updated;
    }
    const promoted = linksOf(identity)[0];
    if (promoted) state.store.delete(LINKS, linkKey(identity.IdentityPoolId, promoted.login));
    const updated: StoredIdentity = promoted ? { ...identity, login: promoted.login, LastModifiedDate: now } : { ...identity, login: undefined, inaccessible: true, LastModifiedDate: now };
    state.putIdentity(updated);
    return updated;
  }
  /**
   * Deletes an identity and its links. CognitoState has no deleteIdentity yet, so this deletes from the shared collection
   * directly; lookups stay correct because identityForLogin re-checks what the login index points at.
   */
  function removeIdentity(identity: IdentityRecord): void {
    for (const l of linksOf(identity)) state.store.delete(LINKS, linkKey(l.IdentityPoolId, l.login));
    state.store.delete(IDENTITIES, identity.IdentityId);
  }
  /** The identity of a set of verified logins: an existing one (linking the others to it) or a new one. */
  function identityForLogins(pool: IdentityPoolRecord, logins: string[]): StoredIdentity {
    let identity = logins.map((l) => identityForLogin(pool.IdentityPoolId, l)).find((i) => i !== undefined);
    if (!identity) identity = newIdentity(pool, logins[0]);
    for (const l of logins) if (!identityForLogin(pool.IdentityPoolId, l)) identity = link(identity, l);
    return identity;
  }

  // ---- logins and roles -------------------------------------------------------------------------------------------
  function verifyLogins(pool: IdentityPoolRecord, logins: Record<string, string>, allowOpenIdToken: boolean): VerifiedLogin[] {
    const entries = Object.entries(logins);
    if (entries.length > 10) throw errors.invalidParameter("1 validation error detected: Value at 'logins' failed to satisfy constraint: Member must have length less than or equal to 10");
    return entries.map(([provider, token]) => verifyLogin(ctx, pool, provider, token, allowOpenIdToken));
  }

  /**
   * Checks that the Logins of a request give access to `identity`, and which login it acts as (none for an
   * unauthenticated identity). Signing in with an unauthenticated identity links the logins to it, as AWS does.
   */
  function authorize(pool: StoredIdentityPool, identity: StoredIdentity, logins: Record<string, string>): { identity: StoredIdentity; login?: VerifiedLogin } {
    const verified = verifyLogins(pool, logins, true);
    if (identity.inaccessible) throw errors.notAuthorized(LOGINS_DONT_MATCH);
    const own = loginsOf(identity);
    if (own.length === 0) {
      if (verified.length === 0) {
        if (!pool.AllowUnauthenticatedIdentities) throw errors.notAuthorized("Unauthenticated access is not supported for this identity pool.");
        return { identity };
      }
      for (const v of verified) {
        const owner = v.kind === "open-id" ? v.identityId : identityForLogin(pool.IdentityPoolId, v.login)?.IdentityId;
        if (owner !== undefined && owner !== identity.IdentityId) throw errors.notAuthorized(LOGINS_DONT_MATCH);
      }
      let updated = identity;
      for (const v of verified) if (v.kind === "user-pool") updated = link(updated, v.login);
      const login = verified.find((v) => v.kind === "user-pool") ?? verified[0];
      if (login.kind === "open-id" && !login.authenticated && !pool.AllowUnauthenticatedIdentities) throw errors.notAuthorized("Unauthenticated access is not supported for this identity pool.");
      return { identity: updated, login };
    }
    const login = verified.find((v) => (v.kind === "open-id" ? v.identityId === identity.IdentityId : own.includes(v.login)));
    if (!login) throw errors.notAuthorized(LOGINS_DONT_MATCH);
    // Further logins that belong to no identity yet are linked to this one, as AWS does.
    let updated = identity;
    for (const v of verified) if (v.kind === "user-pool" && !identityForLogin(pool.IdentityPoolId, v.login)) updated = link(updated, v.login);
    return { identity: updated, login };
  }

  /** The role credentials are issued for: role mappings first, then the pool's authenticated/unauthenticated role. */
  function resolveRole(pool: StoredIdentityPool, login: VerifiedLogin | undefined, customRoleArn: string | undefined): string {
    let role: string | undefined;
    if (!login || (login.kind === "open-id" && !login.authenticated)) role = pool.Roles.unauthenticated;
    else if (login.kind === "open-id") role = pool.Roles.authenticated;
    else {
      const mappings = (pool.RoleMappings ?? {}) as Record<string, RoleMapping>;
      const key = [`${login.providerName}:${login.clientId}`, login.providerName].find((k) => Object.hasOwn(mappings, k));
      const mapping = key ? mappings[key] : undefined;
      if (!mapping || !key) role = pool.Roles.authenticated;
      else {
        const mapped = mapping.Type === "Token" ? tokenRole(login, customRoleArn) : rulesRole(mapping, login.claims);
        if (mapped) role = mapped;
        else if (mapping.AmbiguousRoleResolution === "AuthenticatedRole") role = pool.Roles.authenticated;
        else throw errors.notAuthorized(`The ambiguous role mapping rules for: ${key} denied this request.`);
      }
    }
    if (!role) throw errors.invalidIdentityPoolConfiguration("Invalid identity pool configuration. Check assigned IAM roles for this pool.");
    return role;
  }

  /** Token role mapping: cognito:roles / cognito:preferred_role, or the user's groups' roles when the token lacks them. */
  function tokenRole(login: VerifiedUserPoolLogin, customRoleArn: string | undefined): string | undefined {
    const claims = login.claims;
    let roles = Array.isArray(claims["cognito:roles"]) ? (claims["cognito:roles"] as unknown[]).filter((r): r is string => typeof r === "string") : undefined;
    let preferred = typeof claims["cognito:preferred_role"] === "string" ? claims["cognito:preferred_role"] : undefined;
    if (!roles) {
      const groupNames = Array.isArray(claims["cognito:groups"]) ? (claims["cognito:groups"] as unknown[]).filter((g): g is string => typeof g === "string") : [];
      const groups = groupNames.map((g) => state.group(login.pool.Id, g)).filter((g) => g?.RoleArn !== undefined);
      roles = [...new Set(groups.map((g) => g!.RoleArn!))];
      const ranked = groups.filter((g) => g!.Precedence !== undefined).sort((a, b) => a!.Precedence! - b!.Precedence!);
      if (ranked.length > 0 && (ranked.length === 1 || ranked[0]!.Precedence !== ranked[1]!.Precedence)) preferred = ranked[0]!.RoleArn;
    }
    if (customRoleArn !== undefined) return roles.includes(customRoleArn) ? customRoleArn : undefined;
    return preferred ?? (roles.length === 1 ? roles[0] : undefined);
  }

  function rulesRole(mapping: RoleMapping, claims: Record<string, unknown>): string | undefined {
    for (const rule of mapping.RulesConfiguration?.Rules ?? []) {
      const claim = Object.hasOwn(claims, rule.Claim) ? claims[rule.Claim] : undefined;
      if (claim === undefined || claim === null) continue;
      const values = (Array.isArray(claim) ? claim : [claim]).map((v) => String(v));
      const matches =
        rule.MatchType === "Equals" ? values.includes(rule.Value)
        : rule.MatchType === "Contains" ? values.some((v) => v.includes(rule.Value))
        : rule.MatchType === "StartsWith" ? values.some((v) => v.startsWith(rule.Value))
        : values.every((v) => v !== rule.Value);
      if (matches) return rule.RoleARN;
    }
    return undefined;
  }

  /** Signs this service's OpenID token for an identity (`iss` cognito-identity.amazonaws.com, `aud` the pool id). */
  async function openIdToken(pool: IdentityPoolRecord, identity: IdentityRecord, amr: string[], seconds: number, principalTags?: Record<string, string>): Promise<string> {
    const now = ctx.now();
    const claims: Record<string, unknown> = {
      sub: identity.IdentityId,
      aud: pool.IdentityPoolId,
      amr,
      iss: OPENID_ISSUER,
      [`${OPENID_ISSUER}/identity-pool-arn`]: identityPoolArn(ctx, pool.IdentityPoolId),
      ...(principalTags && Object.keys(principalTags).length ? { "https://aws.amazon.com/tags": { principal_tags: Object.fromEntries(Object.entries(principalTags).map(([k, v]) => [k, [v]])) } } : {}),
      exp: now + seconds,
      iat: now,
    };
    return signJwt(await openIdKey(ctx), claims);
  }

  function amrOf(login: VerifiedLogin | undefined): string[] {
    if (!login) return ["unauthenticated"];
    if (login.kind === "open-id") return Array.isArray(login.claims.amr) ? (login.claims.amr as unknown[]).map(String) : [login.authenticated ? "authenticated" : "unauthenticated"];
    return ["authenticated", login.providerName, `${login.providerName}:CognitoSignIn:${login.user.sub}`];
  }

  // ---- wire shapes ------------------------------------------------------------------------------------------------
  function describeIdentity(identity: StoredIdentity) {
    const providers = [...new Set(loginsOf(identity).map((l) => l.slice(0, l.indexOf("|"))))];
    return { IdentityId: identity.IdentityId, Logins: providers, CreationDate: identity.CreationDate, LastModifiedDate: identity.LastModifiedDate };
  }

  function developerIds(pool: IdentityPoolRecord, identity: IdentityRecord): string[] {
    const prefix = `${pool.DeveloperProviderName}|`;
    return pool.DeveloperProviderName ? loginsOf(identity).filter((l) => l.startsWith(prefix)).map((l) => l.slice(prefix.length)) : [];
  }

  function requireDeveloperProvider(pool: IdentityPoolRecord, given?: string): string {
    const name = pool.DeveloperProviderName;
    if (!name) throw errors.notAuthorized("Developer authenticated identities are not configured for this identity pool.");
    if (given !== undefined && given !== name) throw errors.resourceNotFound(`Developer provider ${given} is not configured for this identity pool.`);
    return name;
  }

  function poolFromArn(input: Input): StoredIdentityPool {
    const arn = requiredString(input, "ResourceArn");
    const match = /^arn:aws[\w-]*:cognito-identity:[a-z0-9-]+:\d{12}:identitypool\/([\w-]+:[0-9a-f-]+)$/.exec(arn);
    const pool = match ? state.identityPool(match[1]) : undefined;
    if (!pool) throw errors.resourceNotFound(`Resource ${arn} not found.`);
    return pool;
  }

  return {
    // ---- identity pools -----------------------------------------------------------------------------------------
    CreateIdentityPool(input) {
      const pool: StoredIdentityPool = {
        IdentityPoolId: newRegionalUuid(ctx.region),
        ...poolSettings(input),
        Roles: {},
      };
      state.putIdentityPool(pool);
      return describePool(pool);
    },
    DescribeIdentityPool(input) {
      return describePool(requireIdentityPool(requiredString(input, "IdentityPoolId")));
    },
    ListIdentityPools(input) {
      const max = maxResults(input, true);
      const { page, nextToken } = pageAfter(state.identityPools(), (p) => [p.IdentityPoolId], readPageToken(input, "NextToken"), max);
      return { IdentityPools: page.map((p) => ({ IdentityPoolId: p.IdentityPoolId, IdentityPoolName: p.IdentityPoolName })), ...(nextToken ? { NextToken: nextToken } : {}) };
    },
    UpdateIdentityPool(input) {
      const previous = requireIdentityPool(requiredString(input, "IdentityPoolId"));
      // Members the update leaves out are cleared, as on AWS; roles, role mappings and tag maps are not part of it.
      const { IdentityPoolId, Roles, RoleMappings, principalTagMaps } = previous;
      const updated: StoredIdentityPool = { IdentityPoolId, ...poolSettings(input, previous), Roles, ...(RoleMappings ? { RoleMappings } : {}), ...(principalTagMaps ? { principalTagMaps } : {}) };
      state.putIdentityPool(updated);
      return describePool(updated);
    },
    DeleteIdentityPool(input) {
      const pool = requireIdentityPool(requiredString(input, "IdentityPoolId"));
      for (const [key, l] of [...state.store.entries<LinkedLogin>(LINKS)]) if (l.IdentityPoolId === pool.IdentityPoolId) state.store.delete(LINKS, key);
      state.deleteIdentityPool(pool.IdentityPoolId);
      return {};
    },
    SetIdentityPoolRoles(input) {
      const pool = requireIdentityPool(requiredString(input, "IdentityPoolId"));
      const roles = optionalStringMap(input, "Roles");
      if (!roles) throw errors.missingMember("Roles");
      for (const [kind, arn] of Object.entries(roles)) {
        if (kind !== "authenticated" && kind !== "unauthenticated") throw errors.invalidParameter(`Invalid role type ${kind}: must be authenticated or unauthenticated.`);
        if (!ROLE_ARN_PATTERN.test(arn) || arn.length > 2048) throw errors.invalidParameter(`Invalid role ARN ${arn}.`);
      }
      const mappings = roleMappings(input, pool);
      state.putIdentityPool({ ...pool, Roles: { ...roles }, RoleMappings: mappings });
      return {};
    },
    GetIdentityPoolRoles(input) {
      const pool = requireIdentityPool(requiredString(input, "IdentityPoolId"));
      const mappings = pool.RoleMappings ?? {};
      return { IdentityPoolId: pool.IdentityPoolId, Roles: pool.Roles, ...(Object.keys(mappings).length ? { RoleMappings: mappings } : {}) };
    },

    // ---- identities and credentials -----------------------------------------------------------------------------
    GetId(input) {
      const pool = requireIdentityPool(requiredString(input, "IdentityPoolId"));
      const account = optionalString(input, "AccountId");
      if (account !== undefined && !/^\d{1,15}$/.test(account)) throw errors.invalidParameter("1 validation error detected: Value at 'accountId' failed to satisfy constraint: Member must satisfy regular expression pattern: \\d+");
      const logins = optionalStringMap(input, "Logins") ?? {};
      if (Object.keys(logins).length === 0) {
        if (!pool.AllowUnauthenticatedIdentities) throw errors.notAuthorized("Unauthenticated access is not supported for this identity pool.");
        return { IdentityId: newIdentity(pool).IdentityId };
      }
      const verified = verifyLogins(pool, logins, false) as VerifiedUserPoolLogin[];
      return { IdentityId: identityForLogins(pool, verified.map((v) => v.login)).IdentityId };
    },
    GetCredentialsForIdentity(input) {
      const found = requireIdentity(requiredString(input, "IdentityId"));
      const pool = requireIdentityPool(found.IdentityPoolId);
      const customRoleArn = optionalString(input, "CustomRoleArn");
      const { identity, login } = authorize(pool, found, optionalStringMap(input, "Logins") ?? {});
      const roleArn = resolveRole(pool, login, customRoleArn);
      const credentials: IssuedCredentials = {
        AccessKeyId: newAccessKeyId(),
        SecretKey: newSecretKey(),
        SessionToken: newOpaqueToken(384),
        Expiration: ctx.now() + CREDENTIALS_SECONDS,
        IdentityId: identity.IdentityId,
        IdentityPoolId: pool.IdentityPoolId,
        RoleArn: roleArn,
      };
      state.putCredentials(credentials);
      const { AccessKeyId, SecretKey, SessionToken, Expiration } = credentials;
      return { IdentityId: identity.IdentityId, Credentials: { AccessKeyId, SecretKey, SessionToken, Expiration } };
    },
    async GetOpenIdToken(input) {
      const found = requireIdentity(requiredString(input, "IdentityId"));
      const pool = requireIdentityPool(found.IdentityPoolId);
      const { identity, login } = authorize(pool, found, optionalStringMap(input, "Logins") ?? {});
      return { IdentityId: identity.IdentityId, Token: await openIdToken(pool, identity, amrOf(login), OPEN_ID_TOKEN_SECONDS) };
    },
    async GetOpenIdTokenForDeveloperIdentity(input) {
      const pool = requireIdentityPool(requiredString(input, "IdentityPoolId"));
      const identityId = optionalString(input, "IdentityId");
      const logins = optionalStringMap(input, "Logins");
      if (!logins) throw errors.missingMember("Logins");
      if (Object.keys(logins).length === 0) throw errors.invalidParameter("Logins must not be empty.");
      const principalTags = optionalStringMap(input, "PrincipalTags");
      const seconds = optionalNumber(input, "TokenDuration") ?? DEVELOPER_TOKEN_DEFAULT_SECONDS;
      if (!Number.isInteger(seconds) || seconds < 1 || seconds > DEVELOPER_TOKEN_MAX_SECONDS) throw errors.invalidParameter(`TokenDuration must be between 1 and ${DEVELOPER_TOKEN_MAX_SECONDS} seconds.`);
      const keys: string[] = [];
      let developerLogin: string | undefined;
      for (const [provider, value] of Object.entries(logins)) {
        if (pool.DeveloperProviderName && provider === pool.DeveloperProviderName) {
          if (value.length < 1 || value.length > 1024) throw errors.invalidParameter("Developer user identifier must be 1 to 1024 characters.");
          developerLogin = `${provider}|${value}`;
          keys.push(developerLogin);
        } else {
          const v = verifyLogin(ctx, pool, provider, value, false) as VerifiedUserPoolLogin;
          keys.push(v.login);
        }
      }
      let identity: StoredIdentity;
      if (identityId !== undefined) {
        identity = requireIdentity(identityId, pool.IdentityPoolId);
        for (const key of keys) {
          const owner = identityForLogin(pool.IdentityPoolId, key);
          if (owner && owner.IdentityId !== identity.IdentityId) throw new CognitoError("ResourceConflictException", "The login is already linked to a different identity.");
          identity = link(identity, key);
        }
      } else {
        identity = identityForLogins(pool, keys);
      }
      const provider = developerLogin ? pool.DeveloperProviderName! : keys[0]!.slice(0, keys[0]!.indexOf("|"));
      const subject = developerLogin ? developerLogin.slice(provider.length + 1) : keys[0]!.slice(provider.length + 1);
      const amr = ["authenticated", provider, `${provider}:${pool.IdentityPoolId}:${subject}`];
      return { IdentityId: identity.IdentityId, Token: await openIdToken(pool, identity, amr, seconds, principalTags) };
    },
    DescribeIdentity(input) {
      return describeIdentity(requireIdentity(requiredString(input, "IdentityId")));
    },
    ListIdentities(input) {
      const pool = requireIdentityPool(requiredString(input, "IdentityPoolId"));
      const max = maxResults(input, true);
      const hideDisabled = optionalBoolean(input, "HideDisabled") ?? false;
      const { page, nextToken } = pageAfter(identitiesOf(pool.IdentityPoolId), (i) => [i.CreationDate, i.IdentityId], readPageToken(input, "NextToken"), max, (i) => !hideDisabled || !i.inaccessible);
      return { IdentityPoolId: pool.IdentityPoolId, Identities: page.map(describeIdentity), ...(nextToken ? { NextToken: nextToken } : {}) };
    },
    DeleteIdentities(input) {
      const ids = optionalStringList(input, "IdentityIdsToDelete");
      if (!ids) throw errors.missingMember("IdentityIdsToDelete");
      if (ids.length < 1 || ids.length > 60) throw errors.invalidParameter("1 validation error detected: Value at 'identityIdsToDelete' failed to satisfy constraint: Member must have length between 1 and 60");
      for (const id of ids) {
        const identity = state.identity(checkId(id, "identityIdsToDelete"));
        if (identity) removeIdentity(identity);
      }
      return { UnprocessedIdentityIds: [] };
    },
    UnlinkIdentity(input) {
      let identity = requireIdentity(requiredString(input, "IdentityId"));
      const pool = requireIdentityPool(identity.IdentityPoolId);
      const logins = optionalStringMap(input, "Logins");
      if (!logins) throw errors.missingMember("Logins");
      const toRemove = optionalStringList(input, "LoginsToRemove");
      if (!toRemove) throw errors.missingMember("LoginsToRemove");
      const own = loginsOf(identity);
      const verified = verifyLogins(pool, logins, false);
      if (!verified.some((v) => v.kind === "user-pool" && own.includes(v.login))) throw errors.notAuthorized(LOGINS_DONT_MATCH);
      for (const provider of toRemove) for (const l of own) if (l.startsWith(`${provider}|`)) identity = unlink(identity, l);
      return {};
    },

    // ---- developer-authenticated identities ---------------------------------------------------------------------
    LookupDeveloperIdentity(input) {
      const pool = requireIdentityPool(requiredString(input, "IdentityPoolId"));
      const provider = requireDeveloperProvider(pool);
      const identityId = optionalString(input, "IdentityId");
      const userId = optionalString(input, "DeveloperUserIdentifier");
      const max = maxResults(input, false);
      if (identityId === undefined && userId === undefined) throw errors.invalidParameter("Either IdentityId or DeveloperUserIdentifier must be given.");
      const identity = userId !== undefined ? identityForLogin(pool.IdentityPoolId, `${provider}|${userId}`) : requireIdentity(identityId!, pool.IdentityPoolId);
      if (!identity || (identityId !== undefined && identity.IdentityId !== identityId)) throw errors.resourceNotFound("The developer user identifier is not linked to the identity.");
      const { page, nextToken } = pageAfter(developerIds(pool, identity), (id) => [id], readPageToken(input, "NextToken"), max);
      return { IdentityId: identity.IdentityId, DeveloperUserIdentifierList: page, ...(nextToken ? { NextToken: nextToken } : {}) };
    },
    MergeDeveloperIdentities(input) {
      const source = requiredString(input, "SourceUserIdentifier");
      const destination = requiredString(input, "DestinationUserIdentifier");
      const providerName = requiredString(input, "DeveloperProviderName");
      const pool = requireIdentityPool(requiredString(input, "IdentityPoolId"));
      const provider = requireDeveloperProvider(pool, providerName);
      const target = identityForLogin(pool.IdentityPoolId, `${provider}|${destination}`);
      if (!target) throw errors.resourceNotFound(`Developer user identifier ${destination} is not linked to an identity.`);
      const sourceLogin = `${provider}|${source}`;
      const from = identityForLogin(pool.IdentityPoolId, sourceLogin);
      if (from?.IdentityId === target.IdentityId) return { IdentityId: target.IdentityId };
      const moved = from ? loginsOf(from) : [sourceLogin];
      if (from) removeIdentity(from);
      let merged = state.identity(target.IdentityId) as StoredIdentity;
      for (const l of moved) merged = link(merged, l);
      return { IdentityId: merged.IdentityId };
    },
    UnlinkDeveloperIdentity(input) {
      const identity = requireIdentity(requiredString(input, "IdentityId"));
      const pool = requireIdentityPool(requiredString(input, "IdentityPoolId"));
      if (identity.IdentityPoolId !== pool.IdentityPoolId) throw errors.resourceNotFound(`Identity '${identity.IdentityId}' not found.`);
      const provider = requireDeveloperProvider(pool, requiredString(input, "DeveloperProviderName"));
      const login = `${provider}|${requiredString(input, "DeveloperUserIdentifier")}`;
      if (!loginsOf(identity).includes(login)) throw errors.resourceNotFound("The developer user identifier is not linked to the identity.");
      unlink(identity, login);
      return {};
    },

    // ---- tags and principal-tag maps ----------------------------------------------------------------------------
    TagResource(input) {
      const pool = poolFromArn(input);
      const tags = optionalStringMap(input, "Tags") ?? {};
      const merged = { ...(pool.IdentityPoolTags ?? {}), ...checkTags(tags) };
      if (Object.keys(merged).length > MAX_TAGS) throw errors.limitExceeded(`An identity pool can have at most ${MAX_TAGS} tags.`);
      state.putIdentityPool({ ...pool, IdentityPoolTags: merged });
      return {};
    },
    UntagResource(input) {
      const pool = poolFromArn(input);
      const keys = optionalStringList(input, "TagKeys");
      if (!keys) throw errors.missingMember("TagKeys");
      const remaining = { ...(pool.IdentityPoolTags ?? {}) };
      for (const k of keys) delete remaining[k];
      state.putIdentityPool({ ...pool, IdentityPoolTags: remaining });
      return {};
    },
    ListTagsForResource(input) {
      return { Tags: poolFromArn(input).IdentityPoolTags ?? {} };
    },
    SetPrincipalTagAttributeMap(input) {
      const pool = requireIdentityPool(requiredString(input, "IdentityPoolId"));
      const provider = requiredString(input, "IdentityProviderName");
      if (!providersOf(pool).includes(provider)) throw errors.invalidParameter(`Identity provider ${provider} is not configured for this identity pool.`);
      const map: PrincipalTagMap = { UseDefaults: optionalBoolean(input, "UseDefaults") ?? false, PrincipalTags: checkTags(optionalStringMap(input, "PrincipalTags") ?? {}) };
      state.putIdentityPool({ ...pool, principalTagMaps: { ...(pool.principalTagMaps ?? {}), [provider]: map } } as StoredIdentityPool);
      return { IdentityPoolId: pool.IdentityPoolId, IdentityProviderName: provider, ...map };
    },
    GetPrincipalTagAttributeMap(input) {
      const pool = requireIdentityPool(requiredString(input, "IdentityPoolId"));
      const provider = requiredString(input, "IdentityProviderName");
      if (!providersOf(pool).includes(provider)) throw errors.invalidParameter(`Identity provider ${provider} is not configured for this identity pool.`);
      const map = (pool.principalTagMaps && Object.hasOwn(pool.principalTagMaps, provider) ? pool.principalTagMaps[provider] : undefined) ?? { UseDefaults: false, PrincipalTags: {} };
      return { IdentityPoolId: pool.IdentityPoolId, IdentityProviderName: provider, ...map };
    },
  };
}

// ---- input checks and shapes (no state) -------------------------------------------------------------------------------

const linkKey = (poolId: string, login: string) => `${poolId}/${login}`;

/** The ARN of an identity pool. */
export function identityPoolArn(ctx: ServiceContext, identityPoolId: string): string {
  return `arn:aws:cognito-identity:${ctx.regionOf(identityPoolId)}:${ACCOUNT_ID}:identitypool/${identityPoolId}`;
}

/** AWS's validation of an identity (pool) id, so that odd input gets a 400 rather than a lookup. */
function checkId(id: string, member: string): string {
  if (id.length < 1 || id.length > 55 || !ID_PATTERN.test(id)) {
    throw errors.invalidParameter(`1 validation error detected: Value '${id}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+:[0-9a-f-]+`);
  }
  return id;
}

function maxResults(input: Input, required: boolean): number {
  const max = optionalNumber(input, "MaxResults");
  if (max === undefined) {
    if (required) throw errors.missingMember("MaxResults");
    return 60;
  }
  if (!Number.isInteger(max) || max < 1 || max > 60) throw errors.invalidParameter("1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 60");
  return max;
}

function checkTags(tags: Record<string, string>): Record<string, string> {
  for (const [k, v] of Object.entries(tags)) {
    if (k.length < 1 || k.length > 128) throw errors.invalidParameter("Tag keys must be 1 to 128 characters.");
    if (v.length > 256) throw errors.invalidParameter("Tag values must be at most 256 characters.");
  }
  return { ...tags };
}

/** Every provider name a pool is configured with. */
function providersOf(pool: IdentityPoolRecord): string[] {
  return [
    ...pool.CognitoIdentityProviders.map((p) => p.ProviderName),
    ...Object.keys(pool.SupportedLoginProviders ?? {}),
    ...(pool.OpenIdConnectProviderARNs ?? []),
    ...(pool.SamlProviderARNs ?? []),
    ...(pool.DeveloperProviderName ? [pool.DeveloperProviderName] : []),
  ];
}

type PoolSettings = Omit<IdentityPoolRecord, "IdentityPoolId" | "Roles" | "RoleMappings">;

/** The settings of CreateIdentityPool/UpdateIdentityPool. As on AWS, an update replaces what it leaves out. */
function poolSettings(input: Input, previous?: IdentityPoolRecord): PoolSettings {
  const name = requiredString(input, "IdentityPoolName");
  if (name.length < 1 || name.length > 128 || !POOL_NAME_PATTERN.test(name)) {
    throw errors.invalidParameter(`1 validation error detected: Value '${name}' at 'identityPoolName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w\\s+=,.@-]+`);
  }
  const allowUnauthenticated = optionalBoolean(input, "AllowUnauthenticatedIdentities");
  if (allowUnauthenticated === undefined) throw errors.missingMember("AllowUnauthenticatedIdentities");
  const supported = optionalStringMap(input, "SupportedLoginProviders");
  if (supported && Object.keys(supported).length > 10) throw errors.invalidParameter("SupportedLoginProviders can have at most 10 entries.");
  let developer = optionalString(input, "DeveloperProviderName");
  if (developer !== undefined && (developer.length < 1 || developer.length > 128 || !DEVELOPER_PROVIDER_PATTERN.test(developer))) throw errors.invalidParameter("Invalid DeveloperProviderName.");
  if (previous?.DeveloperProviderName) {
    if (developer !== undefined && developer !== previous.DeveloperProviderName) throw errors.invalidParameter("The developer provider name of an identity pool cannot be changed once set.");
    developer = previous.DeveloperProviderName;
  }
  const tags = optionalStringMap(input, "IdentityPoolTags");
  return {
    IdentityPoolName: name,
    AllowUnauthenticatedIdentities: allowUnauthenticated,
    AllowClassicFlow: optionalBoolean(input, "AllowClassicFlow") ?? false,
    CognitoIdentityProviders: cognitoProviders(input.CognitoIdentityProviders),
    ...(supported && Object.keys(supported).length ? { SupportedLoginProviders: { ...supported } } : {}),
    ...(developer !== undefined ? { DeveloperProviderName: developer } : {}),
    ...nonEmptyList("OpenIdConnectProviderARNs", optionalStringList(input, "OpenIdConnectProviderARNs")),
    ...nonEmptyList("SamlProviderARNs", optionalStringList(input, "SamlProviderARNs")),
    IdentityPoolTags: tags ? checkTags(tags) : { ...(previous?.IdentityPoolTags ?? {}) },
  };
}

function nonEmptyList<K extends string>(member: K, list: string[] | undefined): Partial<Record<K, string[]>> {
  return list && list.length ? ({ [member]: [...list] } as Record<K, string[]>) : {};
}

function cognitoProviders(value: unknown): IdentityPoolRecord["CognitoIdentityProviders"] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw errors.invalidParameter("CognitoIdentityProviders must be a list.");
  return value.map((entry) => {
    if (!entry || typeof entry !== "object") throw errors.invalidParameter("CognitoIdentityProviders must be a list of providers.");
    const p = entry as Input;
    const providerName = optionalString(p, "ProviderName");
    if (!providerName || providerName.length > 128 || !PROVIDER_NAME_PATTERN.test(providerName)) throw errors.invalidParameter("Invalid CognitoIdentityProvider ProviderName.");
    const clientId = optionalString(p, "ClientId") ?? "";
    if (clientId.length > 128 || !/^[\w_]*$/.test(clientId)) throw errors.invalidParameter("Invalid CognitoIdentityProvider ClientId.");
    const check = optionalBoolean(p, "ServerSideTokenCheck");
    return { ProviderName: providerName, ClientId: clientId, ...(check !== undefined ? { ServerSideTokenCheck: check } : {}) };
  });
}

/** RoleMappings of SetIdentityPoolRoles: keys are configured providers (`<provider>` or `<provider>:<clientId>`). */
function roleMappings(input: Input, pool: IdentityPoolRecord): Record<string, RoleMapping> | undefined {
  const given = optionalObject(input, "RoleMappings");
  if (!given) return undefined;
  const out: Record<string, RoleMapping> = {};
  const configured = new Set([...providersOf(pool), ...pool.CognitoIdentityProviders.map((p) => `${p.ProviderName}:${p.ClientId}`)]);
  for (const [key, raw] of Object.entries(given)) {
    if (!configured.has(key)) throw errors.invalidParameter(`Role mapping key ${key} is not an identity provider of this identity pool.`);
    if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw errors.invalidParameter("A role mapping must be an object.");
    const m = raw as Input;
    const type = optionalString(m, "Type");
    if (type !== "Token" && type !== "Rules") throw errors.invalidParameter("Role mapping Type must be Token or Rules.");
    const ambiguous = optionalString(m, "AmbiguousRoleResolution");
    if (ambiguous !== "AuthenticatedRole" && ambiguous !== "Deny") throw errors.invalidParameter("AmbiguousRoleResolution must be AuthenticatedRole or Deny when Type is Token or Rules.");
    const mapping: RoleMapping = { Type: type, AmbiguousRoleResolution: ambiguous };
    if (type === "Rules") {
      const config = optionalObject(m, "RulesConfiguration");
      const rules = config?.Rules;
      if (!Array.isArray(rules) || rules.length < 1 || rules.length > 400) throw errors.invalidParameter("RulesConfiguration must have 1 to 400 rules when Type is Rules.");
      mapping.RulesConfiguration = { Rules: rules.map(mappingRule) };
    }
    out[key] = mapping;
  }
  return out;
}

function mappingRule(value: unknown): RoleMappingRule {
  if (!value || typeof value !== "object") throw errors.invalidParameter("A mapping rule must be an object.");
  const r = value as Input;
  const claim = requiredString(r, "Claim");
  const matchType = requiredString(r, "MatchType");
  const ruleValue = requiredString(r, "Value");
  const role = requiredString(r, "RoleARN");
  if (claim.length < 1 || claim.length > 64) throw errors.invalidParameter("A mapping rule's Claim must be 1 to 64 characters.");
  if (!["Equals", "Contains", "StartsWith", "NotEqual"].includes(matchType)) throw errors.invalidParameter("MatchType must be Equals, Contains, StartsWith or NotEqual.");
  if (ruleValue.length < 1 || ruleValue.length > 128) throw errors.invalidParameter("A mapping rule's Value must be 1 to 128 characters.");
  if (!ROLE_ARN_PATTERN.test(role)) throw errors.invalidParameter(`Invalid role ARN ${role}.`);
  return { Claim: claim, MatchType: matchType as RoleMappingRule["MatchType"], Value: ruleValue, RoleARN: role };
}

function describePool(pool: IdentityPoolRecord) {
  return {
    IdentityPoolId: pool.IdentityPoolId,
    IdentityPoolName: pool.IdentityPoolName,
    AllowUnauthenticatedIdentities: pool.AllowUnauthenticatedIdentities,
    AllowClassicFlow: pool.AllowClassicFlow,
    ...(pool.SupportedLoginProviders ? { SupportedLoginProviders: pool.SupportedLoginProviders } : {}),
    ...(pool.DeveloperProviderName ? { DeveloperProviderName: pool.DeveloperProviderName } : {}),
    ...(pool.OpenIdConnectProviderARNs ? { OpenIdConnectProviderARNs: pool.OpenIdConnectProviderARNs } : {}),
    ...(pool.CognitoIdentityProviders.length ? { CognitoIdentityProviders: pool.CognitoIdentityProviders } : {}),
    ...(pool.SamlProviderARNs ? { SamlProviderARNs: pool.SamlProviderARNs } : {}),
    IdentityPoolTags: pool.IdentityPoolTags ?? {},
  };
}
