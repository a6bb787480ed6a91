// Session tracking (SetUserPoolSessionConfiguration): a pool's tracking switch and per-user maximum of token sessions,
// an app client's SSO reuse window, and what they govern: which of a user's sessions are live (ListUserSessions), the
// eviction of the least recently used session when a new sign-in would pass the maximum, and revocation by session id.
// A token session is one sign-in's refresh token; a rotated refresh token continues the same session (same id).
import * as errors from "./errors";
import type { SessionRecord, UserPoolRecord } from "./model";
import type { ServiceContext } from "./context";
import { sha256, type CognitoState } from "./state";

const CONFIG = "sessionConfiguration";
const poolKey = (poolId: string) => JSON.stringify(["pool", poolId]);
const clientKey = (poolId: string, clientId: string) => JSON.stringify(["client", poolId, clientId]);

export interface PoolSessionConfiguration {
  UserSessionTracking: "ENABLED" | "DISABLED";
  TokenSession: { MaxPerUser: number };
}
export interface ClientSessionConfiguration {
  SSOSession: { MaxValidityMinutes: number };
}

/** What a pool that never called SetUserPoolSessionConfiguration has (AWS's defaults). */
export const DEFAULT_POOL_SESSION_CONFIGURATION: PoolSessionConfiguration = { UserSessionTracking: "DISABLED", TokenSession: { MaxPerUser: 20 } };
export const DEFAULT_CLIENT_SESSION_CONFIGURATION: ClientSessionConfiguration = { SSOSession: { MaxValidityMinutes: 60 } };

/**
 * Per state: the pools' configurations as read (undefined: none set), so that a sign-in asks the store once per pool;
 * emptied on every change of the collection (also an undone one).
 */
const poolConfigurations = new WeakMap<CognitoState, Map<string, PoolSessionConfiguration | undefined>>();

/** Drops a pool's and a client's configuration with them, and keeps the memo in step (registered once per state). */
export function followDeletions(state: CognitoState): Map<string, PoolSessionConfiguration | undefined> {
  const known = poolConfigurations.get(state);
  if (known) return known;
  const memo = new Map<string, PoolSessionConfiguration | undefined>();
  poolConfigurations.set(state, memo);
  state.store.onChange((collection) => {
    if (collection === CONFIG) memo.clear();
  });
  state.cascades.pool.push((poolId) => {
    for (const key of [...state.store.entries(CONFIG).keys()]) if ((JSON.parse(key) as string[])[1] === poolId) state.store.delete(CONFIG, key);
  });
  state.cascades.client.push((client) => state.store.delete(CONFIG, clientKey(client.UserPoolId, client.ClientId)));
  return memo;
}

export function poolSessionConfiguration(ctx: ServiceContext, poolId: string): PoolSessionConfiguration {
  const memo = followDeletions(ctx.state);
  if (!memo.has(poolId)) memo.set(poolId, ctx.state.store.get<PoolSessionConfiguration>(CONFIG, poolKey(poolId)));
  return memo.get(poolId) ?? DEFAULT_POOL_SESSION_CONFIGURATION;
}
export function putPoolSessionConfiguration(ctx: ServiceContext, poolId: string, config: PoolSessionConfiguration): void {
  followDeletions(ctx.state);
  ctx.state.store.put(CONFIG, poolKey(poolId), config);
}
export function clientSessionConfiguration(ctx: ServiceContext, poolId: string, clientId: string): ClientSessionConfiguration {
  followDeletions(ctx.state);
  return ctx.state.store.get<ClientSessionConfiguration>(CONFIG, clientKey(poolId, clientId)) ?? DEFAULT_CLIENT_SESSION_CONFIGURATION;
}
export function putClientSessionConfiguration(ctx: ServiceContext, poolId: string, clientId: string, config: ClientSessionConfiguration): void {
  followDeletions(ctx.state);
  ctx.state.store.put(CONFIG, clientKey(poolId, clientId), config);
}

export function tracksSessions(ctx: ServiceContext, poolId: string): boolean {
  return poolSessionConfiguration(ctx, poolId).UserSessionTracking === "ENABLED";
}

/** OperationNotEnabledException unless the pool tracks sessions. */
export function requireSessionTracking(ctx: ServiceContext, pool: UserPoolRecord): void {
  if (!tracksSessions(ctx, pool.Id)) throw errors.operationNotEnabled(`Session tracking is not enabled for user pool ${pool.Id}.`);
}

/** A session record's id: its own, or for a record of an earlier version one derived from its origin_jti. */
export function sessionIdOf(session: SessionRecord): string {
  return session.sessionId ?? "tkn" + sha256(session.originJti).slice(0, 25);
}

/** When the session began, in epoch milliseconds (a record of an earlier version: its sign-in time). */
export function createdAtMsOf(session: SessionRecord): number {
  return session.createdAtMs ?? session.authTime * 1000;
}

/** When the session last signed in or refreshed, in epoch milliseconds. */
export function lastActiveMsOf(session: SessionRecord): number {
  return session.lastActiveAtMs ?? createdAtMsOf(session);
}

/** Whether a record's refresh token still answers (not revoked, not expired, not rotated out). */
function answers(session: SessionRecord, now: number): boolean {
  return !session.revoked && session.refreshExpiresAt > now && (session.refreshUsableUntil === undefined || session.refreshUsableUntil > now);
}

/** A user's live token sessions, one record per session id (the newest of a rotated session), oldest first. */
export function liveSessionsOf(ctx: ServiceContext, poolId: string, username: string): SessionRecord[] {
  const now = ctx.now();
  const newest = new Map<string, SessionRecord>();
  for (const s of ctx.state.sessionsOf(poolId, username)) {
    if (!answers(s, now)) continue;
    const id = sessionIdOf(s);
    const seen = newest.get(id);
    if (!seen || createdAtMsOf(s) >= createdAtMsOf(seen)) newest.set(id, s);
  }
  return [...newest.values()].sort((a, b) => createdAtMsOf(a) - createdAtMsOf(b) || sessionIdOf(a).localeCompare(sessionIdOf(b)));
}

/** Revokes every record of the session `sessionId` (its refresh token and the access tokens issued from it). */
export function revokeSession(ctx: ServiceContext, poolId: string, username: string, sessionId: string): void {
  for (const s of ctx.state.sessionsOf(poolId, username)) if (sessionIdOf(s) === sessionId && !s.revoked) ctx.state.putSession({ ...s, revoked: true });
}

/**
 * Before a new sign-in of `username` creates a session: with tracking on, evicts the least recently used sessions
 * until the new one fits under the pool's MaxPerUser (a lowered maximum is reached on the next sign-in, as on AWS).
 */
export function makeRoomForNewSession(ctx: ServiceContext, poolId: string, username: string): void {
  const config = poolSessionConfiguration(ctx, poolId);
  if (config.UserSessionTracking !== "ENABLED") return;
  const live = liveSessionsOf(ctx, poolId, username).sort((a, b) => lastActiveMsOf(a) - lastActiveMsOf(b));
  for (const s of live.slice(0, Math.max(0, live.length - config.TokenSession.MaxPerUser + 1))) revokeSession(ctx, poolId, username, sessionIdOf(s));
}

/** Records a refresh on a session (its LastActiveDate), when the pool tracks sessions. */
export function touchSession(ctx: ServiceContext, session: SessionRecord): SessionRecord {
  if (!tracksSessions(ctx, session.userPoolId)) return session;
  const touched = { ...session, lastActiveAtMs: ctx.nowMs() };
  ctx.state.putSession(touched);
  return touched;
}

/**
 * Whether the hosted pages may sign a client in silently from the single sign-on session of a sign-in at `authTime`:
 * with tracking on, only within the client's MaxValidityMinutes of that sign-in (0: never); without, as before.
 */
export function reusesSsoSession(ctx: ServiceContext, poolId: string, clientId: string, authTime: number): boolean {
  if (!tracksSessions(ctx, poolId)) return true;
  const minutes = clientSessionConfiguration(ctx, poolId, clientId).SSOSession.MaxValidityMinutes;
  return ctx.now() - authTime < minutes * 60;
}
