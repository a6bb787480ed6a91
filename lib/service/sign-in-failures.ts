// Failed sign-ins and lockouts, kept in memory for real and unknown usernames alike. Recording a failure writes nothing to
// disk, so a wrong password costs the same for a user who exists and one who does not (a durable write and its fsync
// would tell them apart), and an unknown name is locked out like a real one. A restart forgives past failures.
// A real user's entry is keyed with its password salt: a new password (ChangePassword, ConfirmForgotPassword,
// AdminSetUserPassword...) starts a fresh count. Bounded: the least recently failed names are forgotten first (O(1)).
import type { ServiceContext } from "./context";
import * as errors from "./errors";
import type { UserPoolRecord, UserRecord } from "./model";

/** Failed sign-ins allowed before a lockout, and how the lockout grows. */
const FREE_FAILED_SIGN_INS = 5;
const FIRST_LOCKOUT_SECONDS = 2;
const MAX_LOCKOUT_SECONDS = 15 * 60;
/** Most usernames remembered. */
const MAX_TRACKED = 50_000;

interface FailureCount {
  failures: number;
  lockedUntil?: number;
}

const trackers = new WeakMap<ServiceContext, Map<string, FailureCount>>();

function trackerOf(ctx: ServiceContext): Map<string, FailureCount> {
  let map = trackers.get(ctx);
  if (!map) {
    map = new Map();
    trackers.set(ctx, map);
  }
  return map;
}

/** Whose failures: a real user (with its current password), or a name no user has. */
export type SignInSubject = { pool: UserPoolRecord; user: UserRecord } | { pool: UserPoolRecord; unknownName: string };

function keyOf(subject: SignInSubject): string {
  if ("user" in subject) return `u\u0000${subject.pool.Id}\u0000${subject.user.username}\u0000${subject.user.password?.salt ?? ""}`;
  const name = subject.pool.caseSensitive ? subject.unknownName : subject.unknownName.toLowerCase();
  return `n\u0000${subject.pool.Id}\u0000${name}`;
}

/** Throws "Password attempts exceeded" while the subject is locked out. */
export function checkNotLockedOut(ctx: ServiceContext, subject: SignInSubject): void {
  const entry = trackerOf(ctx).get(keyOf(subject));
  if (entry?.lockedUntil !== undefined && entry.lockedUntil > ctx.now()) throw errors.notAuthorized("Password attempts exceeded");
}

/** Counts a failed sign-in: after a few, each further failure locks the subject out for a growing while. */
export function recordFailedSignIn(ctx: ServiceContext, subject: SignInSubject): void {
  const map = trackerOf(ctx);
  const key = keyOf(subject);
  const previous = map.get(key);
  const failures = (previous?.failures ?? 0) + 1;
  const over = failures - FREE_FAILED_SIGN_INS;
  const lockedUntil = over >= 0 ? ctx.now() + Math.min(MAX_LOCKOUT_SECONDS, FIRST_LOCKOUT_SECONDS * 2 ** over) : previous?.lockedUntil;
  map.delete(key); // re-inserted last: the map's order is least recently failed first
  map.set(key, { failures, lockedUntil });
  if (map.size > MAX_TRACKED) map.delete(map.keys().next().value!);
}

/** Clears the count after a successful sign-in. */
export function recordSuccessfulSignIn(ctx: ServiceContext, subject: SignInSubject): void {
  trackerOf(ctx).delete(keyOf(subject));
}
