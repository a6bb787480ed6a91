// The service's domain state on top of the durable store: typed collections plus the in-memory indexes that keep every
// lookup O(1) as a pool grows (users by name and alias, group members, sessions by refresh token, identities by login).
import { createHash } from "node:crypto";
import { DurableStore } from "./store";
import type {
  AppClientRecord, CodePurpose, DeliveredCode, GroupRecord, IdentityPoolRecord, IdentityRecord, IssuedCredentials, PendingCode,
  SessionRecord, UserPoolRecord, UserRecord,
} from "./model";

const C = {
  pools: "pools",
  clients: "clients",
  users: "users",
  groups: "groups",
  members: "members",
  sessions: "sessions",
  codes: "codes",
  delivered: "delivered",
  identityPools: "identityPools",
  identities: "identities",
  credentials: "credentials",
} as const;

const CODE_PURPOSES: CodePurpose[] = ["SIGN_UP", "FORGOT_PASSWORD", "VERIFY_ATTRIBUTE", "MFA", "ADMIN_CREATE_USER"];

/** Attributes that identify a user besides the username, when the pool signs in with them. */
const ALIAS_ATTRIBUTES = ["email", "phone_number", "preferred_username"] as const;

export const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

interface Membership {
  userPoolId: string;
  groupName: string;
  username: string;
}

export class CognitoState {
  /** poolId → (normalized username → user), in creation order. */
  private readonly usersByPool = new Map<string, Map<string, UserRecord>>();
  /** poolId/attribute/normalized value → username. */
  private readonly aliases = new Map<string, string>();
  /** poolId/sub → username. */
  private readonly subs = new Map<string, string>();
  /** poolId/username → group names; poolId/groupName → usernames. */
  private readonly groupsOfUser = new Map<string, Set<string>>();
  private readonly usersOfGroup = new Map<string, Set<string>>();
  private readonly sessionsByRefreshHash = new Map<string, string>();
  private readonly sessionsOfUser = new Map<string, Set<string>>();
  private readonly identitiesByLogin = new Map<string, string>();
  private readonly temporaryPasswordDeliveries = new Map<string, DeliveredCode>();
  /**
   * Modules that keep records of their own about users and pools (devices, identity providers, import jobs...) add
   * here what drops them, so that deleting a user or a pool deletes what belongs to it.
   */
  readonly cascades: { user: Array<(user: UserRecord) => void>; pool: Array<(poolId: string) => void> } = { user: [], pool: [] };

  constructor(readonly store: DurableStore) {
    for (const user of store.entries<UserRecord>(C.users).values()) this.indexUser(user);
    for (const m of store.entries<Membership>(C.members).values()) this.indexMembership(m, true);
    for (const s of store.entries<SessionRecord>(C.sessions).values()) this.indexSession(s);
    for (const i of store.entries<IdentityRecord>(C.identities).values()) if (i.login) this.identitiesByLogin.set(`${i.IdentityPoolId}/${i.login}`, i.IdentityId);
  }

  /** Resolves once every change so far is durable. */
  commit(): Promise<void> {
    return this.store.commit();
  }

  // ---- user pools -------------------------------------------------------------------------------------------------
  pool(id: string): UserPoolRecord | undefined {
    return this.store.get<UserPoolRecord>(C.pools, id);
  }
  pools(): UserPoolRecord[] {
    return [...this.store.entries<UserPoolRecord>(C.pools).values()];
  }
  putPool(pool: UserPoolRecord): void {
    this.store.put(C.pools, pool.Id, pool);
  }
  deletePool(id: string): void {
    for (const drop of this.cascades.pool) drop(id);
    for (const user of [...this.users(id)]) this.deleteUser(user);
    for (const group of this.groups(id)) this.deleteGroup(group);
    for (const client of this.clients(id)) this.store.delete(C.clients, client.ClientId);
    this.store.delete(C.pools, id);
    this.usersByPool.delete(id);
  }
  userCount(poolId: string): number {
    return this.usersByPool.get(poolId)?.size ?? 0;
  }

  // ---- app clients ------------------------------------------------------------------------------------------------
  client(clientId: string): AppClientRecord | undefined {
    return this.store.get<AppClientRecord>(C.clients, clientId);
  }
  clients(poolId: string): AppClientRecord[] {
    return [...this.store.entries<AppClientRecord>(C.clients).values()].filter((c) => c.UserPoolId === poolId);
  }
  putClient(client: AppClientRecord): void {
    this.store.put(C.clients, client.ClientId, client);
  }
  deleteClient(clientId: string): void {
    this.store.delete(C.clients, clientId);
  }

  // ---- users ------------------------------------------------------------------------------------------------------
  normalize(pool: UserPoolRecord, name: string): string {
    return pool.caseSensitive ? name : name.toLowerCase();
  }
  /** The user whose username is `name` (no alias lookup). */
  userByUsername(pool: UserPoolRecord, name: string): UserRecord | undefined {
    return this.usersByPool.get(pool.Id)?.get(this.normalize(pool, name));
  }
  /** The user that `name` designates: a username, a sign-in alias (email, phone, preferred_username) or a sub. */
  findUser(pool: UserPoolRecord, name: string): UserRecord | undefined {
    const direct = this.userByUsername(pool, name);
    if (direct) return direct;
    for (const attribute of pool.usernameAttributes) {
      const username = this.aliases.get(aliasKey(pool.Id, attribute, name));
      if (username) return this.userByUsername(pool, username);
    }
    // An email or phone alias (AliasAttributes) signs in only once verified, as on AWS; preferred_username always.
    for (const attribute of pool.aliasAttributes) {
      const username = this.aliases.get(aliasKey(pool.Id, attribute, name));
      const user = username ? this.userByUsername(pool, username) : undefined;
      if (user && (attribute === "preferred_username" || user.attributes[`${attribute}_verified`] === "true")) return user;
    }
    const bySub = this.subs.get(`${pool.Id}/${name}`);
    return bySub ? this.userByUsername(pool, bySub) : undefined;
  }
  /** The user holding `attribute = value` as a sign-in alias, if any. */
  userByAlias(pool: UserPoolRecord, attribute: string, value: string): UserRecord | undefined {
    const username = this.aliases.get(aliasKey(pool.Id, attribute, value));
    return username ? this.userByUsername(pool, username) : undefined;
  }
  users(poolId: string): Iterable<UserRecord> {
    return this.usersByPool.get(poolId)?.values() ?? [];
  }
  putUser(pool: UserPoolRecord, user: UserRecord): void {
    const previous = this.userByUsername(pool, user.username);
    if (previous) this.unindexUser(previous);
    this.store.put(C.users, userKey(user.userPoolId, this.normalize(pool, user.username)), user);
    this.indexUser(user, pool);
  }
  deleteUser(user: UserRecord): void {
    for (const drop of this.cascades.user) drop(user);
    const pool = this.pool(user.userPoolId);
    const key = pool ? this.normalize(pool, user.username) : user.username;
    for (const groupName of [...this.groupNamesOf(user.userPoolId, user.username)]) this.removeFromGroup(user.userPoolId, groupName, user.username);
    for (const originJti of [...(this.sessionsOfUser.get(`${user.userPoolId}/${user.username}`) ?? [])]) this.deleteSession(originJti);
    for (const purpose of CODE_PURPOSES) {
      for (const attribute of ["email", "phone_number"]) this.store.delete(C.codes, codeKey(user.userPoolId, user.username, purpose, attribute));
      const deliveryKey = `${user.userPoolId}/${user.username}/${purpose}`;
      this.store.delete(C.delivered, deliveryKey);
      this.temporaryPasswordDeliveries.delete(deliveryKey);
    }
    this.unindexUser(user);
    this.store.delete(C.users, userKey(user.userPoolId, key));
  }

  private indexUser(user: UserRecord, knownPool?: UserPoolRecord): void {
    const pool = knownPool ?? this.pool(user.userPoolId);
    const key = pool ? this.normalize(pool, user.username) : user.username;
    let byName = this.usersByPool.get(user.userPoolId);
    if (!byName) {
      byName = new Map();
      this.usersByPool.set(user.userPoolId, byName);
    }
    byName.set(key, user);
    this.subs.set(`${user.userPoolId}/${user.sub}`, user.username);
    for (const attribute of ALIAS_ATTRIBUTES) {
      const value = user.attributes[attribute];
      if (value !== undefined) this.aliases.set(aliasKey(user.userPoolId, attribute, value), user.username);
    }
  }
  private unindexUser(user: UserRecord): void {
    const pool = this.pool(user.userPoolId);
    this.usersByPool.get(user.userPoolId)?.delete(pool ? this.normalize(pool, user.username) : user.username);
    this.subs.delete(`${user.userPoolId}/${user.sub}`);
    for (const attribute of ALIAS_ATTRIBUTES) {
      const value = user.attributes[attribute];
      const key = aliasKey(user.userPoolId, attribute, value ?? "");
      if (value !== undefined && this.aliases.get(key) === user.username) this.aliases.delete(key);
    }
  }

  // ---- groups -----------------------------------------------------------------------------------------------------
  group(poolId: string, groupName: string): GroupRecord | undefined {
    return this.store.get<GroupRecord>(C.groups, `${poolId}/${groupName}`);
  }
  groups(poolId: string): GroupRecord[] {
    return [...this.store.entries<GroupRecord>(C.groups).values()].filter((g) => g.UserPoolId === poolId);
  }
  putGroup(group: GroupRecord): void {
    this.store.put(C.groups, `${group.UserPoolId}/${group.GroupName}`, group);
  }
  deleteGroup(group: GroupRecord): void {
    for (const username of [...this.usernamesInGroup(group.UserPoolId, group.GroupName)]) this.removeFromGroup(group.UserPoolId, group.GroupName, username);
    this.store.delete(C.groups, `${group.UserPoolId}/${group.GroupName}`);
  }
  addToGroup(poolId: string, groupName: string, username: string): void {
    const m: Membership = { userPoolId: poolId, groupName, username };
    this.store.put(C.members, `${poolId}/${groupName}/${username}`, m);
    this.indexMembership(m, true);
  }
  removeFromGroup(poolId: string, groupName: string, username: string): void {
    this.store.delete(C.members, `${poolId}/${groupName}/${username}`);
    this.indexMembership({ userPoolId: poolId, groupName, username }, false);
  }
  groupNamesOf(poolId: string, username: string): Set<string> {
    return this.groupsOfUser.get(`${poolId}/${username}`) ?? new Set();
  }
  usernamesInGroup(poolId: string, groupName: string): Set<string> {
    return this.usersOfGroup.get(`${poolId}/${groupName}`) ?? new Set();
  }
  private indexMembership(m: Membership, present: boolean): void {
    const byUser = `${m.userPoolId}/${m.username}`;
    const byGroup = `${m.userPoolId}/${m.groupName}`;
    if (present) {
      setOf(this.groupsOfUser, byUser).add(m.groupName);
      setOf(this.usersOfGroup, byGroup).add(m.username);
    } else {
      this.groupsOfUser.get(byUser)?.delete(m.groupName);
      this.usersOfGroup.get(byGroup)?.delete(m.username);
    }
  }

  // ---- sessions (refresh tokens and their access tokens) -----------------------------------------------------------
  session(originJti: string): SessionRecord | undefined {
    return this.store.get<SessionRecord>(C.sessions, originJti);
  }
  sessionByRefreshToken(refreshToken: string): SessionRecord | undefined {
    const originJti = this.sessionsByRefreshHash.get(sha256(refreshToken));
    return originJti ? this.session(originJti) : undefined;
  }
  sessionsOf(poolId: string, username: string): SessionRecord[] {
    return [...(this.sessionsOfUser.get(`${poolId}/${username}`) ?? [])].map((j) => this.session(j)).filter((s): s is SessionRecord => !!s);
  }
  putSession(session: SessionRecord): void {
    this.store.put(C.sessions, session.originJti, session);
    this.indexSession(session);
  }
  deleteSession(originJti: string): void {
    const s = this.session(originJti);
    if (!s) return;
    this.sessionsByRefreshHash.delete(s.refreshTokenHash);
    this.sessionsOfUser.get(`${s.userPoolId}/${s.username}`)?.delete(originJti);
    this.store.delete(C.sessions, originJti);
  }
  private indexSession(s: SessionRecord): void {
    this.sessionsByRefreshHash.set(s.refreshTokenHash, s.originJti);
    setOf(this.sessionsOfUser, `${s.userPoolId}/${s.username}`).add(s.originJti);
  }

  // ---- one-time codes ---------------------------------------------------------------------------------------------
  /** The outstanding code of a user for a purpose (and, for VERIFY_ATTRIBUTE, an attribute). */
  pendingCode(poolId: string, username: string, purpose: string, attribute?: string): PendingCode | undefined {
    return this.store.get<PendingCode>(C.codes, codeKey(poolId, username, purpose, attribute));
  }
  putPendingCode(code: PendingCode): void {
    this.store.put(C.codes, codeKey(code.userPoolId, code.username, code.purpose, code.attribute), code);
  }
  deletePendingCode(code: PendingCode): void {
    this.store.delete(C.codes, codeKey(code.userPoolId, code.username, code.purpose, code.attribute));
  }
  /**
   * Keeps the latest delivered code per user and purpose, for the local code route and the Wing Console. A temporary
   * password (ADMIN_CREATE_USER) is a password, so it is kept in memory only, never on disk.
   */
  recordDelivery(delivery: DeliveredCode): void {
    const key = `${delivery.userPoolId}/${delivery.username}/${delivery.purpose}`;
    if (delivery.purpose === "ADMIN_CREATE_USER") this.temporaryPasswordDeliveries.set(key, delivery);
    else this.store.put(C.delivered, key, delivery);
  }
  *deliveries(): Iterable<DeliveredCode> {
    yield* this.store.entries<DeliveredCode>(C.delivered).values();
    yield* this.temporaryPasswordDeliveries.values();
  }

  // ---- identity pools ---------------------------------------------------------------------------------------------
  identityPool(id: string): IdentityPoolRecord | undefined {
    return this.store.get<IdentityPoolRecord>(C.identityPools, id);
  }
  identityPools(): IdentityPoolRecord[] {
    return [...this.store.entries<IdentityPoolRecord>(C.identityPools).values()];
  }
  putIdentityPool(pool: IdentityPoolRecord): void {
    this.store.put(C.identityPools, pool.IdentityPoolId, pool);
  }
  deleteIdentityPool(id: string): void {
    for (const [key, identity] of [...this.store.entries<IdentityRecord>(C.identities)]) {
      if (identity.IdentityPoolId !== id) continue;
      if (identity.login) this.identitiesByLogin.delete(`${id}/${identity.login}`);
      this.store.delete(C.identities, key);
    }
    this.store.delete(C.identityPools, id);
  }
  identity(id: string): IdentityRecord | undefined {
    return this.store.get<IdentityRecord>(C.identities, id);
  }
  identityByLogin(identityPoolId: string, login: string): IdentityRecord | undefined {
    const id = this.identitiesByLogin.get(`${identityPoolId}/${login}`);
    return id ? this.identity(id) : undefined;
  }
  putIdentity(identity: IdentityRecord): void {
    this.store.put(C.identities, identity.IdentityId, identity);
    if (identity.login) this.identitiesByLogin.set(`${identity.IdentityPoolId}/${identity.login}`, identity.IdentityId);
  }
  credentials(accessKeyId: string): IssuedCredentials | undefined {
    return this.store.get<IssuedCredentials>(C.credentials, accessKeyId);
  }
  putCredentials(credentials: IssuedCredentials): void {
    this.store.put(C.credentials, credentials.AccessKeyId, credentials);
  }

  /** Drops sessions whose refresh token has expired and credentials expired for a day; run at start. */
  purgeExpired(nowSeconds: number): number {
    let purged = 0;
    for (const s of [...this.store.entries<SessionRecord>(C.sessions).values()]) {
      if (s.refreshExpiresAt <= nowSeconds) {
        this.deleteSession(s.originJti);
        purged++;
      }
    }
    for (const c of [...this.store.entries<IssuedCredentials>(C.credentials).values()]) {
      if (c.Expiration + 86400 <= nowSeconds) {
        this.store.delete(C.credentials, c.AccessKeyId);
        purged++;
      }
    }
    return purged;
  }
}

const userKey = (poolId: string, normalizedUsername: string) => `${poolId}/${normalizedUsername}`;
const aliasKey = (poolId: string, attribute: string, value: string) => `${poolId}/${attribute}/${attribute === "email" ? value.toLowerCase() : value}`;
/** One outstanding code per user and purpose; attribute verification codes are per attribute. */
const codeKey = (poolId: string, username: string, purpose: string, attribute: string | undefined) =>
  `${poolId}/${username}/${purpose}/${purpose === "VERIFY_ATTRIBUTE" ? attribute ?? "" : ""}`;

function setOf<K>(map: Map<K, Set<string>>, key: K): Set<string> {
  let s = map.get(key);
  if (!s) {
    s = new Set();
    map.set(key, s);
  }
  return s;
}
