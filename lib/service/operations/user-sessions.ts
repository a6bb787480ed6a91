// cognito-idp operations on a user's token sessions (one per sign-in; ../session-tracking.ts): ListUserSessions and
// RevokeUserSession for the signed-in user (access-token authorized, never the caller's own session), and
// AdminListUserSessions and AdminRevokeUserSession. Revoking a session kills its refresh token and its access tokens.
// They need session tracking on for the pool.
import * as errors from "../errors";
import { optionalString, requiredString, type Input } from "../input";
import type { SessionRecord, UserPoolRecord, UserRecord } from "../model";
import type { OperationTable, ServiceContext } from "../context";
import { pageAfter, readPageToken } from "../paging";
import { verifyAccessToken } from "../sessions";
import { constraintError, enumMember } from "../validation";
import { createdAtMsOf, lastActiveMsOf, liveSessionsOf, requireSessionTracking, revokeSession, sessionIdOf } from "../session-tracking";

/** Sessions per page (AWS returns a user's sessions in one page of up to 125). */
const PAGE_SIZE = 125;
const SESSION_ID = /^(tkn|sso)[a-z0-9]{25}$/;

export function userSessionOperations(ctx: ServiceContext): OperationTable {
  const adminSubject = (input: Input): { pool: UserPoolRecord; user: UserRecord } => {
    const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
    const user = ctx.requireUser(pool, requiredString(input, "Username"));
    return { pool, user };
  };
  const list = (pool: UserPoolRecord, user: UserRecord, input: Input, current?: SessionRecord) => {
    requireSessionTracking(ctx, pool);
    const live = liveSessionsOf(ctx, pool.Id, user.username);
    const { page, nextToken } = pageAfter(live, (s) => [createdAtMsOf(s), sessionIdOf(s)], readPageToken(input, "NextToken"), PAGE_SIZE);
    return {
      Sessions: page.map((s) => ({
        SessionId: sessionIdOf(s),
        SessionType: "TOKEN",
        ClientId: s.clientId,
        CreateDate: createdAtMsOf(s) / 1000,
        LastActiveDate: lastActiveMsOf(s) / 1000,
        IsCurrentSession: current !== undefined && sessionIdOf(current) === sessionIdOf(s),
      })),
      ...(nextToken ? { NextToken: nextToken } : {}),
    };
  };
  const revoke = (pool: UserPoolRecord, user: UserRecord, input: Input, current?: SessionRecord) => {
    const sessionId = requiredString(input, "SessionId");
    if (!SESSION_ID.test(sessionId)) throw constraintError(sessionId, "sessionId", `Member must satisfy regular expression pattern: ${SESSION_ID.source}`);
    enumMember(optionalString(input, "RevokeAssociatedSessions") ?? "NONE", ["NONE", "LINKED"], "revokeAssociatedSessions");
    requireSessionTracking(ctx, pool);
    if (current && sessionIdOf(current) === sessionId) throw errors.invalidParameter("The session of the access token in the request can not be revoked.");
    if (!liveSessionsOf(ctx, pool.Id, user.username).some((s) => sessionIdOf(s) === sessionId)) {
      throw errors.resourceNotFound(`Session ${sessionId} does not exist for the user.`);
    }
    // Token sessions begun through the API have no SSO session above them: LINKED revokes the same as NONE here.
    revokeSession(ctx, pool.Id, user.username, sessionId);
    return {};
  };
  return {
    ListUserSessions(input) {
      const { pool, user, session } = verifyAccessToken(ctx, requiredString(input, "AccessToken"));
      return list(pool, user, input, session);
    },
    AdminListUserSessions(input) {
      const { pool, user } = adminSubject(input);
      return list(pool, user, input);
    },
    RevokeUserSession(input) {
      const { pool, user, session } = verifyAccessToken(ctx, requiredString(input, "AccessToken"));
      return revoke(pool, user, input, session);
    },
    AdminRevokeUserSession(input) {
      const { pool, user } = adminSubject(input);
      return revoke(pool, user, input);
    },
  };
}
