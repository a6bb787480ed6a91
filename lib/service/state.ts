// The service's domain state on top of the durable store: typed collections plus the indexes that keep every lookup
// fast as a pool grows: users by name, alias, sub and every ListUsers-searchable attribute (durable sorted sets in the
// store, ./user-index.ts), and in memory group members, sessions by refresh token and identities by login. Indexes
// follow the store's changes (also undone ones), so they never disagree with it. User records are stored compactly
// (see encodeUser).
import { createHash } from "node:crypto";
import { DurableStore } from "./store";
import * as errors from "./errors";
import type { ListUsersFilter } from "./list-users-filter";
import { userMatchesFilter } from "./list-users-filter";
import { encodePageToken, type PageKey } from "./paging";
import { orderKey, orderKeyOfEntry, PoolUserIndex, STATUS_ATTRIBUTES, usernameOfOrderKey, indexValue, type IndexedUser } from "./user-index";
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

/** The meta key and version of the user indexes' layout in the store. */
const USER_INDEX_META = "userIndexes";
const USER_INDEX_VERSION = "1";

const CODE_PURPOSES: CodePurpose[] = ["SIGN_UP", "FORGOT_PASSWORD", "VERIFY_ATTRIBUTE", "MFA", "ADMIN_CREATE_USER", "SIGN_IN"];

/** Attributes that identify a user besides the username, when the pool signs in with them. */
const ALIAS_ATTRIBUTES = ["email", "phone_number", "preferred_username"] as const;

export const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

interface Membership {
  userPoolId: string;
  groupName: string;
  username: string;
}

export class CognitoState {
  /** poolId → that pool's user indexes. */
  private readonly userIndexes = new Map<string, PoolUserIndex>();
  /** poolId/username → group names; poolId/groupName → usernames. */
  private readonly groupsOfUser = new Map<string, Set<string>>();
  private readonly usersOfGroup = new Map<string, Set<string>>();
  private readonly sessionsByRefreshHash = new Map<string, string>();
  private readonly sessionsOfUser = new Map<string, Set<string>>();
  private readonly identitiesByLogin = new Map<string, string>();
  private readonly memoryOnlyDeliveries = new Map<string, DeliveredCode>();
  /**
   * Modules that keep records of their own about users and pools (devices, identity providers, import jobs...) add
   * here what drops them, so that deleting a user, an app client or a pool deletes what belongs to it.
   */
  readonly cascades: { user: Array<(user: UserRecord) => void>; client: Array<(client: AppClientRecord) => void>; pool: Array<(poolId: string) => void> } = { user: [], client: [], pool: [] };

  constructor(readonly store: DurableStore) {
    for (const small of [C.pools, C.clients, C.groups, C.identityPools]) store.cacheParsed(small);
    this.ensureUserIndexes();
    const staleMembers: Array<[string, Membership]> = [];
    for (const [key, text] of store.texts(C.members)) {
      const m = JSON.parse(text) as Membership;
      if (key !== memberKey(m.userPoolId, m.groupName, m.username)) staleMembers.push([key, m]);
      else this.indexMembership(m, true);
    }
    for (const text of store.texts(C.sessions).values()) this.indexSession(JSON.parse(text) as SessionRecord, true);
    for (const text of store.texts(C.identities).values()) this.indexIdentity(JSON.parse(text) as IdentityRecord, true);
    store.onChange((collection, key, before, after) => this.follow(collection, key, before, after));
    // Memberships stored under the ambiguous key of earlier versions (pool/group/user) move to the unambiguous one.
    for (const [key, m] of staleMembers) {
      store.delete(C.members, key);
      store.put(C.members, memberKey(m.userPoolId, m.groupName, m.username), m);
    }
  }

  /** Keeps the indexes in step with a change of the store (a write, or the undoing of one). */
  private follow(collection: string, key: string, before: string | undefined, after: string | undefined): void {
    switch (collection) {
      case C.users: {
        const { poolId, normalized } = splitUserKey(key);
        const parse = (text: string | undefined) => (text === undefined ? undefined : (JSON.parse(text) as IndexedUser));
        this.indexOfPool(poolId).replace(normalized, parse(before), parse(after));
        break;
      }
      case C.members:
        if (before !== undefined) this.indexMembership(JSON.parse(before) as Membership, false);
        if (after !== undefined) this.indexMembership(JSON.parse(after) as Membership, true);
        break;
      case C.sessions:
        if (before !== undefined) this.indexSession(JSON.parse(before) as SessionRecord, false);
        if (after !== undefined) this.indexSession(JSON.parse(after) as SessionRecord, true);
        break;
      case C.identities:
        if (before !== undefined) this.indexIdentity(JSON.parse(before) as IdentityRecord, false);
        if (after !== undefined) this.indexIdentity(JSON.parse(after) as IdentityRecord, true);
        break;
    }
  }

  /**
   * The user indexes live in the store (durable sorted sets, kept in step by `follow`); a store without them (imported
   * from an earlier version's directory) gets them built once, in the same transaction as the mark that they exist.
   */
  private ensureUserIndexes(): void {
    if (this.store.meta(USER_INDEX_META) === USER_INDEX_VERSION) return;
    for (const [key, text] of this.store.texts(C.users)) {
      const { poolId, normalized } = splitUserKey(key);
      this.indexOfPool(poolId).add(normalized, JSON.parse(text) as IndexedUser);
    }
    this.store.setMeta(USER_INDEX_META, USER_INDEX_VERSION);
  }

  private indexOfPool(poolId: string): PoolUserIndex {
    let index = this.userIndexes.get(poolId);
    if (!index) this.userIndexes.set(poolId, (index = new PoolUserIndex(this.store, poolId)));
    return index;
  }

  /** Resolves once every change so far is durable. */
  commit(): Promise<void> {
    return this.store.commit();
  }

  /**
   * Runs one operation as a unit (see DurableStore.transaction): a CognitoError is an answer, and the writes made before
   * it (failed attempts, burnt codes) stay; any other error undoes the operation's writes.
   */
  transaction<T>(run: () => T | Promise<T>): Promise<T> {
    return this.store.transaction(run, (e) => e instanceof errors.CognitoError);
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
    for (const user of this.users(id)) this.deleteUser(user); // users() snapshots the keys first: safe to delete while iterating
    for (const group of this.groups(id)) this.deleteGroup(group);
    for (const client of this.clients(id)) this.store.delete(C.clients, client.ClientId);
    this.store.delete(C.pools, id);
    this.userIndexes.delete(id);
  }
  userCount(poolId: string): number {
    return this.indexOfPool(poolId).size;
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
    const client = this.client(clientId);
    if (client) for (const drop of this.cascades.client) drop(client);
    this.store.delete(C.clients, clientId);
  }

  // ---- users ------------------------------------------------------------------------------------------------------
  normalize(pool: UserPoolRecord, name: string): string {
    return pool.caseSensitive ? name : name.toLowerCase();
  }
  /** The user whose username is `name` (no alias lookup). */
  userByUsername(pool: UserPoolRecord, name: string): UserRecord | undefined {
    return this.userByNormalizedName(pool.Id, this.normalize(pool, name));
  }
  private userByNormalizedName(poolId: string, normalized: string): UserRecord | undefined {
    const key = userKey(poolId, normalized);
    const text = this.store.getText(C.users, key);
    return text === undefined ? undefined : decodeUser(poolId, text);
  }
  private userByOrderKey(poolId: string, key: string): UserRecord | undefined {
    return this.userByNormalizedName(poolId, usernameOfOrderKey(key));
  }
  /** The users holding `attribute = value` (a searchable attribute, or sub), in listing order. */
  private *usersWith(poolId: string, attribute: string, value: string): IterableIterator<UserRecord> {
    for (const key of this.indexOfPool(poolId).withValue(attribute, value)) {
      const user = this.userByOrderKey(poolId, key);
      if (user) yield user;
    }
  }
  /** The user that `name` designates: a username, a sign-in alias (email, phone, preferred_username) or a sub. */
  findUser(pool: UserPoolRecord, name: string): UserRecord | undefined {
    const direct = this.userByUsername(pool, name);
    if (direct) return direct;
    for (const attribute of pool.usernameAttributes) {
      const user = this.userByAlias(pool, attribute, name);
      if (user) return user;
    }
    // An email or phone alias (AliasAttributes) signs in only once verified, as on AWS; preferred_username always.
    for (const attribute of pool.aliasAttributes) {
      for (const user of this.usersWith(pool.Id, attribute, name)) {
        if (user.status === "EXTERNAL_PROVIDER") continue;
        if (attribute === "preferred_username" || user.attributes[`${attribute}_verified`] === "true") return user;
      }
    }
    for (const user of this.usersWith(pool.Id, "sub", name)) if (user.sub === name) return user;
    return undefined;
  }
  /**
   * The user holding `attribute = value` as a sign-in alias (a verified holder first), if any. A federated user's email
   * or phone is no alias: it signs in at its identity provider only.
   */
  userByAlias(pool: UserPoolRecord, attribute: string, value: string): UserRecord | undefined {
    let first: UserRecord | undefined;
    for (const user of this.usersWith(pool.Id, attribute, value)) {
      if (user.status === "EXTERNAL_PROVIDER") continue;
      if (user.attributes[`${attribute}_verified`] === "true") return user;
      first ??= user;
    }
    return first;
  }
  /** A pool's users in listing order (creation time, then username). */
  *users(poolId: string): IterableIterator<UserRecord> {
    for (const key of [...this.indexOfPool(poolId).all.from("")]) {
      const user = this.userByOrderKey(poolId, key);
      if (user) yield user;
    }
  }
  /**
   * One ListUsers page: users satisfying `filter` (all without one), strictly after the position `after` names, at most
   * `limit`, and the token of the next page. Unfiltered pages follow creation order; filtered ones the filtered
   * attribute's value, then creation order. Answered from the indexes: a page costs O(log n + page), however large the pool.
   */
  listUsers(pool: UserPoolRecord, filter: ListUsersFilter | undefined, after: PageKey | undefined, limit: number): { users: UserRecord[]; nextToken?: string } {
    const index = this.indexOfPool(pool.Id);
    const position = after === undefined ? undefined : readPosition(after);
    const options = { caseSensitiveUsernames: pool.caseSensitive };
    const users: UserRecord[] = [];
    let last: string | undefined;
    let more = false;
    const take = (position: string, key: string): boolean => {
      const user = this.userByOrderKey(pool.Id, key);
      if (!user || (filter && !userMatchesFilter(user, filter, options))) return true;
      if (users.length === limit) {
        more = true;
        return false;
      }
      users.push(user);
      last = position;
      return true;
    };
    if (!filter) {
      for (const key of index.all.from(position ?? "", position !== undefined)) if (!take(key, key)) break;
    } else if ((STATUS_ATTRIBUTES as readonly string[]).includes(filter.attribute)) {
      const wanted = indexValue(filter.attribute, filter.value);
      const accept = filter.operator === "=" ? (v: string) => v === wanted : (v: string) => v.startsWith(wanted);
      for (const key of index.withStatus(filter.attribute, accept, position)) if (!take(key, key)) break;
    } else {
      const value = filter.attribute === "username" ? this.normalize(pool, filter.value) : filter.value;
      const prefix = indexValue(filter.attribute, value) + (filter.operator === "=" ? "\0" : "");
      for (const entry of index.valueEntries(filter.attribute, prefix, position)) if (!take(entry, orderKeyOfEntry(entry))) break;
    }
    return { users, ...(more && last !== undefined ? { nextToken: encodePageToken([last]) } : {}) };
  }
  putUser(pool: UserPoolRecord, user: UserRecord): void {
    this.store.putText(C.users, userKey(user.userPoolId, this.normalize(pool, user.username)), encodeUser(user));
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
      this.memoryOnlyDeliveries.delete(deliveryKey);
    }
    this.store.delete(C.users, userKey(user.userPoolId, key));
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
    this.store.put(C.members, memberKey(poolId, groupName, username), m);
  }
  removeFromGroup(poolId: string, groupName: string, username: string): void {
    this.store.delete(C.members, memberKey(poolId, groupName, username));
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
      deleteFromSet(this.groupsOfUser, byUser, m.groupName);
      deleteFromSet(this.usersOfGroup, byGroup, m.username);
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
  }
  deleteSession(originJti: string): void {
    this.store.delete(C.sessions, originJti);
  }
  private indexSession(s: SessionRecord, present: boolean): void {
    const ofUser = `${s.userPoolId}/${s.username}`;
    if (present) {
      this.sessionsByRefreshHash.set(s.refreshTokenHash, s.originJti);
      setOf(this.sessionsOfUser, ofUser).add(s.originJti);
    } else {
      if (this.sessionsByRefreshHash.get(s.refreshTokenHash) === s.originJti) this.sessionsByRefreshHash.delete(s.refreshTokenHash);
      deleteFromSet(this.sessionsOfUser, ofUser, s.originJti);
    }
  }
  private indexIdentity(i: IdentityRecord, present: boolean): void {
    if (!i.login) return;
    const key = `${i.IdentityPoolId}/${i.login}`;
    if (present) this.identitiesByLogin.set(key, i.IdentityId);
    else if (this.identitiesByLogin.get(key) === i.IdentityId) this.identitiesByLogin.delete(key);
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
   * Keeps the latest delivered code per user and purpose, for the local code route and the Wing Console. In memory only,
   * never on disk: a temporary password (ADMIN_CREATE_USER), which is a password, and a one-time sign-in code
   * (SIGN_IN), which answers only its challenge session, itself in memory and gone after a restart (so the sign-in's
   * first call writes nothing durable and waits for no disk).
   */
  recordDelivery(delivery: DeliveredCode): void {
    const key = `${delivery.userPoolId}/${delivery.username}/${delivery.purpose}`;
    if (delivery.purpose === "ADMIN_CREATE_USER" || delivery.purpose === "SIGN_IN") this.memoryOnlyDeliveries.set(key, delivery);
    else this.store.put(C.delivered, key, delivery);
  }
  *deliveries(): Iterable<DeliveredCode> {
    yield* this.store.entries<DeliveredCode>(C.delivered).values();
    yield* this.memoryOnlyDeliveries.values();
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
/** Group names and usernames may both contain "/": a membership's key must not be ambiguous. */
const memberKey = (poolId: string, groupName: string, username: string) => JSON.stringify([poolId, groupName, username]);

function splitUserKey(key: string): { poolId: string; normalized: string } {
  const slash = key.indexOf("/"); // pool ids never contain "/"
  return { poolId: key.slice(0, slash), normalized: key.slice(slash + 1) };
}

/** A pagination position of listUsers: the index string of the last user of the previous page. */
function readPosition(after: PageKey): string {
  if (after.length === 1 && typeof after[0] === "string") return after[0];
  // Tokens of earlier versions: [createdAt, normalized username], the unfiltered listing order.
  if (after.length === 2 && typeof after[0] === "number" && typeof after[1] === "string") return orderKey(after[0], after[1]);
  throw errors.invalidParameter("Invalid pagination token.");
}

const DEFAULT_MFA = JSON.stringify({ smsEnabled: false, softwareTokenEnabled: false, emailEnabled: false });
const EVEN_HEX = /^(?:[0-9a-f]{2})+$/;

/**
 * A user record as stored: without the pool id (it is in the key), without the sub when attributes carry it, without
 * default MFA settings and a zero failure count, and with the SRP salt and verifier as base64 (`pw`) rather than hex:
 * about a third smaller than the record's JSON. decodeUser gives the record back exactly.
 */
export function encodeUser(user: UserRecord): string {
  const { userPoolId: _pool, sub, password, mfa, failedSignIns, ...rest } = user;
  const stored: Record<string, unknown> = rest;
  if (sub !== user.attributes.sub) stored.sub = sub;
  if (JSON.stringify(mfa) !== DEFAULT_MFA) stored.mfa = mfa;
  if (failedSignIns !== 0) stored.failedSignIns = failedSignIns;
  if (password && EVEN_HEX.test(password.salt) && EVEN_HEX.test(password.verifier)) {
    stored.pw = [Buffer.from(password.salt, "hex").toString("base64"), Buffer.from(password.verifier, "hex").toString("base64")];
  } else if (password) {
    stored.password = password;
  }
  return JSON.stringify(stored);
}

export function decodeUser(poolId: string, text: string): UserRecord {
  const stored = JSON.parse(text) as UserRecord & { pw?: [string, string] };
  const { pw, ...user } = stored;
  user.userPoolId ??= poolId;
  user.sub ??= user.attributes.sub;
  user.mfa ??= JSON.parse(DEFAULT_MFA) as UserRecord["mfa"];
  user.failedSignIns ??= 0;
  if (pw) user.password = { salt: Buffer.from(pw[0], "base64").toString("hex"), verifier: Buffer.from(pw[1], "base64").toString("hex") };
  return user;
}
/** One outstanding code per user and purpose; attribute verification codes are per attribute. */
const codeKey = (poolId: string, username: string, purpose: string, attribute: string | undefined) =>
  `${poolId}/${username}/${purpose}/${purpose === "VERIFY_ATTRIBUTE" ? attribute ?? "" : ""}`;

function deleteFromSet<K>(map: Map<K, Set<string>>, key: K, value: string): void {
  const s = map.get(key);
  if (!s) return;
  s.delete(value);
  if (s.size === 0) map.delete(key);
}

function setOf<K>(map: Map<K, Set<string>>, key: K): Set<string> {
  let s = map.get(key);
  if (!s) {
    s = new Set();
    map.set(key, s);
  }
  return s;
}
