// Auth events of advanced security (UserPoolAddOns.AdvancedSecurityMode AUDIT or ENFORCED): sign-ins (Password and
// Mfa challenge results, Pass/Fail/InProgress), sign-ups, password resets and changes and code resends are recorded per
// user, listed by AdminListUserAuthEvents (newest first) and take feedback through AdminUpdateAuthEventFeedback and
// UpdateAuthEventFeedback (with the event's feedback token, "delivered" to the service log as AWS would e-mail it).
// `withAuthEvents` wraps the operation table so that the recording stays out of the sign-in code.
import { randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import * as errors from "../errors";
import { CognitoError } from "../errors";
import { optionalNumber, requiredString, type Input } from "../input";
import type { UserPoolRecord, UserRecord } from "../model";
import type { OperationTable, ServiceContext } from "../context";
import { pageAfter, readPageToken } from "../paging";
import { sha256, type CognitoState } from "../state";

type EventType = "SignIn" | "SignUp" | "ForgotPassword" | "PasswordChange" | "ResendCode";
type EventResponse = "Pass" | "Fail" | "InProgress";

interface AuthEventRecord {
  EventId: string;
  userPoolId: string;
  username: string;
  EventType: EventType;
  CreationDate: number;
  EventResponse: EventResponse;
  ChallengeResponses: Array<{ ChallengeName: "Password" | "Mfa"; ChallengeResponse: "Success" | "Failure" }>;
  feedbackTokenHash: string;
  EventFeedback?: { FeedbackValue: "Valid" | "Invalid"; Provider: string; FeedbackDate: number };
  /** Order within a second. */
  seq: number;
}

const EVENTS = "authEvents";
/** Events kept per user (the oldest are dropped). */
const MAX_EVENTS_PER_USER = 100;
/** How long a sign-in in progress keeps adding its challenge results to the same event. */
const IN_PROGRESS_SECONDS = 180;

class EventStore {
  private readonly byUser = new Map<string, string[]>();
  private seq = 0;
  constructor(readonly state: CognitoState) {
    const all = [...state.store.entries<AuthEventRecord>(EVENTS).values()].sort((a, b) => a.CreationDate - b.CreationDate || a.seq - b.seq);
    for (const e of all) this.index(e);
    state.cascades.user.push((user) => {
      for (const id of this.byUser.get(userKey(user.userPoolId, user.username)) ?? []) state.store.delete(EVENTS, id);
      this.byUser.delete(userKey(user.userPoolId, user.username));
    });
  }
  get(id: string): AuthEventRecord | undefined {
    return this.state.store.get<AuthEventRecord>(EVENTS, id);
  }
  of(poolId: string, username: string): AuthEventRecord[] {
    return (this.byUser.get(userKey(poolId, username)) ?? []).map((id) => this.get(id)).filter((e): e is AuthEventRecord => !!e);
  }
  latest(poolId: string, username: string): AuthEventRecord | undefined {
    const ids = this.byUser.get(userKey(poolId, username));
    return ids?.length ? this.get(ids[ids.length - 1]) : undefined;
  }
  add(event: Omit<AuthEventRecord, "seq">): AuthEventRecord {
    const record = { ...event, seq: ++this.seq };
    this.state.store.put(EVENTS, record.EventId, record);
    this.index(record);
    const ids = this.byUser.get(userKey(record.userPoolId, record.username))!;
    while (ids.length > MAX_EVENTS_PER_USER) this.state.store.delete(EVENTS, ids.shift()!);
    return record;
  }
  update(event: AuthEventRecord): void {
    this.state.store.put(EVENTS, event.EventId, event);
  }
  private index(e: AuthEventRecord): void {
    const key = userKey(e.userPoolId, e.username);
    let ids = this.byUser.get(key);
    if (!ids) {
      ids = [];
      this.byUser.set(key, ids);
    }
    ids.push(e.EventId);
    this.seq = Math.max(this.seq, e.seq);
  }
}

const userKey = (poolId: string, username: string) => `${poolId}\u0000${username}`;
const stores = new WeakMap<CognitoState, EventStore>();
function eventsOf(ctx: ServiceContext): EventStore {
  let store = stores.get(ctx.state);
  if (!store) {
    store = new EventStore(ctx.state);
    stores.set(ctx.state, store);
  }
  return store;
}

function advancedSecurity(pool: UserPoolRecord): boolean {
  const mode = (pool.settings.UserPoolAddOns as { AdvancedSecurityMode?: string } | undefined)?.AdvancedSecurityMode;
  return mode === "AUDIT" || mode === "ENFORCED";
}

function requireAdvancedSecurity(pool: UserPoolRecord): void {
  if (!advancedSecurity(pool)) throw new CognitoError("UserPoolAddOnNotEnabledException", "Advanced security features are not enabled for this user pool.");
}

function record(ctx: ServiceContext, pool: UserPoolRecord, user: UserRecord, type: EventType, response: EventResponse, challenges: AuthEventRecord["ChallengeResponses"] = []): void {
  const store = eventsOf(ctx);
  const now = ctx.now();
  if (type === "SignIn") {
    // Challenge answers continue the sign-in that is in progress.
    const latest = store.latest(pool.Id, user.username);
    if (latest?.EventType === "SignIn" && latest.EventResponse === "InProgress" && latest.CreationDate + IN_PROGRESS_SECONDS > now && challenges.length && !(challenges[0].ChallengeName === "Password" && latest.ChallengeResponses.some((c) => c.ChallengeName === "Password"))) {
      store.update({ ...latest, EventResponse: response, ChallengeResponses: [...latest.ChallengeResponses, ...challenges] });
      return;
    }
  }
  const feedbackToken = randomBytes(24).toString("base64url");
  const event = store.add({
    EventId: randomUUID(), userPoolId: pool.Id, username: user.username, EventType: type, CreationDate: now, EventResponse: response,
    ChallengeResponses: challenges, feedbackTokenHash: sha256(feedbackToken),
  });
  ctx.log(`[auth-event] pool=${pool.Id} user=${user.username} event=${event.EventId} type=${type} feedbackToken=${feedbackToken}`);
}

/** What an operation did, as an auth event: its type, the user, and the outcome. */
function describeOutcome(ctx: ServiceContext, name: string, input: Input, output: Record<string, unknown> | undefined, error: unknown):
  { pool: UserPoolRecord; user: UserRecord; type: EventType; response: EventResponse; challenges: AuthEventRecord["ChallengeResponses"] } | undefined {
  const clientId = typeof input.ClientId === "string" ? input.ClientId : undefined;
  const client = clientId ? ctx.state.client(clientId) : undefined;
  const pool = ctx.state.pool(typeof input.UserPoolId === "string" ? input.UserPoolId : client?.UserPoolId ?? "");
  if (!pool || !advancedSecurity(pool)) return undefined;
  const params = (name.endsWith("InitiateAuth") ? input.AuthParameters : input.ChallengeResponses) as Record<string, unknown> | undefined;
  const nameOf = (v: unknown) => (typeof v === "string" ? ctx.state.findUser(pool, v) : undefined);
  const failed = error instanceof CognitoError;
  const outcome = output?.AuthenticationResult ? "Pass" : output?.ChallengeName ? "InProgress" : "Fail";
  switch (name) {
    case "InitiateAuth":
    case "AdminInitiateAuth": {
      const flow = input.AuthFlow;
      if (typeof flow !== "string" || flow.startsWith("REFRESH")) return undefined;
      const user = nameOf(params?.USERNAME);
      if (!user) return undefined;
      // SRP's first step proves nothing yet; the password is judged at PASSWORD_VERIFIER.
      if (flow === "USER_SRP_AUTH" && !failed) return { pool, user, type: "SignIn", response: "InProgress", challenges: [] };
      const passwordFailed = failed && (error as CognitoError).type === "NotAuthorizedException";
      if (failed && !passwordFailed) return undefined;
      return { pool, user, type: "SignIn", response: passwordFailed ? "Fail" : outcome, challenges: [{ ChallengeName: "Password", ChallengeResponse: passwordFailed ? "Failure" : "Success" }] };
    }
    case "RespondToAuthChallenge":
    case "AdminRespondToAuthChallenge": {
      const user = nameOf(params?.USERNAME);
      const challenge = input.ChallengeName;
      if (!user || typeof challenge !== "string") return undefined;
      const kind = challenge === "PASSWORD_VERIFIER" || challenge === "NEW_PASSWORD_REQUIRED" ? "Password" : /MFA|OTP/.test(challenge) ? "Mfa" : undefined;
      const wrong = failed && ["NotAuthorizedException", "CodeMismatchException", "ExpiredCodeException"].includes((error as CognitoError).type);
      if (failed && !wrong) return undefined;
      return { pool, user, type: "SignIn", response: wrong ? "Fail" : outcome, challenges: kind ? [{ ChallengeName: kind, ChallengeResponse: wrong ? "Failure" : "Success" }] : [] };
    }
    case "SignUp": {
      const user = failed ? undefined : nameOf(typeof output?.UserSub === "string" ? output.UserSub : undefined);
      return user ? { pool, user, type: "SignUp", response: "Pass", challenges: [] } : undefined;
    }
    case "ForgotPassword":
    case "ConfirmForgotPassword":
    case "ResendConfirmationCode": {
      const user = nameOf(input.Username);
      if (!user) return undefined;
      const type: EventType = name === "ResendConfirmationCode" ? "ResendCode" : "ForgotPassword";
      return { pool, user, type, response: failed ? "Fail" : "Pass", challenges: [] };
    }
    default:
      return undefined;
  }
}

/** The operations whose outcome becomes an auth event. */
const RECORDED = ["InitiateAuth", "AdminInitiateAuth", "RespondToAuthChallenge", "AdminRespondToAuthChallenge", "SignUp", "ForgotPassword", "ConfirmForgotPassword", "ResendConfirmationCode"];

/** Wraps the operations that sign users in, up or through a reset so that pools with advanced security record events. */
export function withAuthEvents(ctx: ServiceContext, table: OperationTable): OperationTable {
  const wrapped: OperationTable = { ...table };
  for (const name of RECORDED) {
    const operation = table[name];
    if (!operation) continue;
    wrapped[name] = async (input) => {
      let output: Record<string, unknown> | undefined;
      try {
        output = await operation(input);
        return output;
      } catch (e) {
        const outcome = describeOutcome(ctx, name, input, undefined, e);
        if (outcome) record(ctx, outcome.pool, outcome.user, outcome.type, outcome.response, outcome.challenges);
        throw e;
      } finally {
        if (output) {
          const outcome = describeOutcome(ctx, name, input, output, undefined);
          if (outcome) record(ctx, outcome.pool, outcome.user, outcome.type, outcome.response, outcome.challenges);
        }
      }
    };
  }
  // ChangePassword names the user through its access token: recorded after it succeeds.
  const changePassword = table.ChangePassword;
  if (changePassword) {
    wrapped.ChangePassword = async (input) => {
      const output = await changePassword(input);
      const token = typeof input.AccessToken === "string" ? input.AccessToken : "";
      const claims = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8") || "{}") as { iss?: string; username?: string };
      const pool = ctx.state.pool(claims.iss?.slice(claims.iss.lastIndexOf("/") + 1) ?? "");
      const user = pool && claims.username ? ctx.state.userByUsername(pool, claims.username) : undefined;
      if (pool && user && advancedSecurity(pool)) record(ctx, pool, user, "PasswordChange", "Pass");
      return output;
    };
  }
  return wrapped;
}

function eventView(e: AuthEventRecord) {
  return {
    EventId: e.EventId,
    EventType: e.EventType,
    CreationDate: e.CreationDate,
    EventResponse: e.EventResponse,
    EventRisk: { RiskDecision: "NoRisk", CompromisedCredentialsDetected: false },
    ChallengeResponses: e.ChallengeResponses,
    ...(e.EventFeedback ? { EventFeedback: e.EventFeedback } : {}),
  };
}

function feedbackValue(input: Input): "Valid" | "Invalid" {
  const value = requiredString(input, "FeedbackValue");
  if (value !== "Valid" && value !== "Invalid") {
    throw errors.invalidParameter(`1 validation error detected: Value '${value}' at 'feedbackValue' failed to satisfy constraint: Member must satisfy enum value set: [Valid, Invalid]`);
  }
  return value;
}

export function authEventOperations(ctx: ServiceContext): OperationTable {
  const store = eventsOf(ctx);
  const subject = (input: Input) => {
    const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
    const username = requiredString(input, "Username");
    requireAdvancedSecurity(pool);
    return { pool, user: ctx.requireUser(pool, username) };
  };
  const eventOf = (pool: UserPoolRecord, user: UserRecord, input: Input) => {
    const event = store.get(requiredString(input, "EventId"));
    if (!event || event.userPoolId !== pool.Id || event.username !== user.username) throw errors.resourceNotFound("Auth event does not exist.");
    return event;
  };
  return {
    AdminListUserAuthEvents(input) {
      const { pool, user } = subject(input);
      const max = optionalNumber(input, "MaxResults");
      if (max !== undefined && (!Number.isInteger(max) || max < 0 || max > 60)) {
        throw errors.invalidParameter(`1 validation error detected: Value '${max}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60`);
      }
      // Newest first: the page key counts down.
      const { page, nextToken } = pageAfter(store.of(pool.Id, user.username), (e) => [-e.CreationDate, -e.seq], readPageToken(input, "NextToken"), max || 60);
      return { AuthEvents: page.map(eventView), ...(nextToken ? { NextToken: nextToken } : {}) };
    },
    AdminUpdateAuthEventFeedback(input) {
      const { pool, user } = subject(input);
      const value = feedbackValue(input);
      const event = eventOf(pool, user, input);
      store.update({ ...event, EventFeedback: { FeedbackValue: value, Provider: "Admin", FeedbackDate: ctx.now() } });
      return {};
    },
    UpdateAuthEventFeedback(input) {
      const { pool, user } = subject(input);
      const token = requiredString(input, "FeedbackToken");
      const value = feedbackValue(input);
      const event = eventOf(pool, user, input);
      const given = Buffer.from(sha256(token), "hex");
      if (!timingSafeEqual(given, Buffer.from(event.feedbackTokenHash, "hex"))) throw errors.notAuthorized("Invalid feedback token.");
      store.update({ ...event, EventFeedback: { FeedbackValue: value, Provider: "User", FeedbackDate: ctx.now() } });
      return {};
    },
  };
}
