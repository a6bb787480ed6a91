// A memo, in memory only, of the passwords this process has recently proven against their SRP verifiers: when it made
// a verifier from a password (sign-up, a new password) or when a password check succeeded. A later check of the same
// password against the same verifier is then answered from the memo, without the 3072-bit power of g that a check
// costs (the largest share of a USER_PASSWORD_AUTH sign-in's CPU after the two RS256 signatures). Dovecot's auth cache
// and Apache's mod_authn_socache do the same for their password hashes.
//
// What is kept is no password: an HMAC-SHA-256, under a random key that lives only in this process, of the SRP exponent
// x (itself a salted hash of the password) and the verifier. Nothing is written to disk and everything is gone with the
// process. A wrong password never matches, so it always costs the full check, exactly as an unknown user's decoy check
// does: the memo changes only how fast a right password is accepted. A new password comes with a new salt and verifier,
// so the memo of the old one can never match again; the oldest entries go once the memo is full.
import { createHmac, randomBytes } from "node:crypto";

/** Most passwords remembered by default (about 100 bytes each: some 7 MB when full). */
export const DEFAULT_PROVEN_PASSWORDS = 65_536;
let capacity = DEFAULT_PROVEN_PASSWORDS;
/** The memo's key: made per process, never stored. */
const MEMO_KEY = randomBytes(32);
/** Digests of proven (exponent, verifier) pairs, oldest first (a Set keeps insertion order). */
const proven = new Set<string>();

/** The memo's name for "the password whose SRP exponent is `exponent` made `verifierHex`". */
export function provenPasswordDigest(exponent: Uint8Array, verifierHex: string): string {
  return createHmac("sha256", MEMO_KEY).update(exponent).update(verifierHex).digest("base64");
}

/**
 * Sets how many passwords the memo keeps (the service's `passwordMemo` option); 0 turns it off, so that every check
 * computes the power of g (the benchmark measures both). Shrinking forgets the oldest.
 */
export function setProvenPasswordCapacity(entries: number): void {
  if (!Number.isInteger(entries) || entries < 0) throw new Error(`the password memo's size must be a whole number >= 0, not ${entries}`);
  capacity = entries;
  while (proven.size > capacity) proven.delete(proven.values().next().value!);
}

/** True when this process proved the password behind `digest` (and keeps it as the most recently used). */
export function isProvenPassword(digest: string): boolean {
  if (!proven.delete(digest)) return false;
  proven.add(digest);
  return true;
}

/** Remembers a password proven against a verifier (just made from it, or just checked), forgetting the oldest if full. */
export function rememberProvenPassword(digest: string): void {
  if (capacity === 0) return;
  proven.delete(digest);
  proven.add(digest);
  if (proven.size > capacity) proven.delete(proven.values().next().value!);
}

/** How many passwords are remembered (tests). */
export function provenPasswordCount(): number {
  return proven.size;
}
