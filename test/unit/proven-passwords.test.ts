// The memo of proven passwords (lib/service/proven-passwords.ts) behind the SRP password check (lib/service/srp.ts): it
// answers only a password proven against the very same verifier, never a wrong one, forgets the oldest when full and
// nothing when off; what it keeps is a keyed digest, not the password; a hit computes no power of g. (Through the
// service: test/integration/password-memo.test.ts.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { createPasswordVerifier, generatorPowerCount, passwordMatchesVerifier, passwordMatchesVerifierOffMainThread } from "../../lib/service/srp";
import {
  DEFAULT_PROVEN_PASSWORDS, isProvenPassword, provenPasswordCount, provenPasswordDigest, rememberProvenPassword, setProvenPasswordCapacity,
} from "../../lib/service/proven-passwords";

const POOL = "us-east-1_memoTests";

test("a password is remembered when its verifier is made, and only the same password against the same verifier matches", async () => {
  setProvenPasswordCapacity(0);
  setProvenPasswordCapacity(DEFAULT_PROVEN_PASSWORDS);
  const made = createPasswordVerifier(POOL, "alice", "Right-Passw0rd");
  assert.equal(provenPasswordCount(), 1);
  assert.equal(passwordMatchesVerifier(POOL, "alice", "Right-Passw0rd", made.salt, made.verifier), true);
  assert.equal(await passwordMatchesVerifierOffMainThread(POOL, "alice", "Right-Passw0rd", made.salt, made.verifier), true);
  // Wrong passwords, another user, another pool, another salt, another verifier: never a match, never remembered.
  assert.equal(passwordMatchesVerifier(POOL, "alice", "Wrong-Passw0rd", made.salt, made.verifier), false);
  assert.equal(await passwordMatchesVerifierOffMainThread(POOL, "alice", "right-passw0rd", made.salt, made.verifier), false);
  assert.equal(passwordMatchesVerifier(POOL, "bob", "Right-Passw0rd", made.salt, made.verifier), false);
  assert.equal(passwordMatchesVerifier("us-east-1_otherPool", "alice", "Right-Passw0rd", made.salt, made.verifier), false);
  const again = createPasswordVerifier(POOL, "alice", "Right-Passw0rd"); // a new password record: new salt and verifier
  assert.equal(passwordMatchesVerifier(POOL, "alice", "Right-Passw0rd", again.salt, made.verifier), false);
  assert.equal(passwordMatchesVerifier(POOL, "alice", "Right-Passw0rd", made.salt, again.verifier), false);
  assert.equal(provenPasswordCount(), 2);
});

test("a check that computes the power remembers a right password, never a wrong one; a remembered one costs no power", async () => {
  setProvenPasswordCapacity(0);
  const made = createPasswordVerifier(POOL, "carol", "Carol-Passw0rd"); // made while the memo is off: not remembered
  setProvenPasswordCapacity(DEFAULT_PROVEN_PASSWORDS);
  assert.equal(provenPasswordCount(), 0);
  let powers = generatorPowerCount();
  assert.equal(passwordMatchesVerifier(POOL, "carol", "Not-Carols-0", made.salt, made.verifier), false);
  assert.equal(generatorPowerCount(), ++powers, "a wrong password costs the power");
  assert.equal(provenPasswordCount(), 0);
  assert.equal(passwordMatchesVerifier(POOL, "carol", "Carol-Passw0rd", made.salt, made.verifier), true);
  assert.equal(generatorPowerCount(), ++powers, "the first check of a right password costs the power");
  assert.equal(provenPasswordCount(), 1);
  assert.equal(passwordMatchesVerifier(POOL, "carol", "Carol-Passw0rd", made.salt, made.verifier), true);
  assert.equal(await passwordMatchesVerifierOffMainThread(POOL, "carol", "Carol-Passw0rd", made.salt, made.verifier), true);
  assert.equal(generatorPowerCount(), powers, "later checks of it are answered from the memo");
  assert.equal(passwordMatchesVerifier(POOL, "carol", "Not-Carols-0", made.salt, made.verifier), false);
  assert.equal(generatorPowerCount(), ++powers, "a wrong password still costs the power");
  assert.equal(provenPasswordCount(), 1);
});

test("a check answered from the memo keeps its entry as the most recently used", () => {
  setProvenPasswordCapacity(0);
  setProvenPasswordCapacity(2);
  const first = createPasswordVerifier(POOL, "erin", "Erin-Passw0rd");
  const second = createPasswordVerifier(POOL, "frank", "Frank-Passw0rd");
  assert.equal(passwordMatchesVerifier(POOL, "erin", "Erin-Passw0rd", first.salt, first.verifier), true); // erin: now the newest
  createPasswordVerifier(POOL, "grace", "Grace-Passw0rd"); // the memo is full: frank, the least recently used, goes
  const powers = generatorPowerCount();
  assert.equal(passwordMatchesVerifier(POOL, "erin", "Erin-Passw0rd", first.salt, first.verifier), true);
  assert.equal(generatorPowerCount(), powers);
  assert.equal(passwordMatchesVerifier(POOL, "frank", "Frank-Passw0rd", second.salt, second.verifier), true);
  assert.equal(generatorPowerCount(), powers + 1);
  setProvenPasswordCapacity(DEFAULT_PROVEN_PASSWORDS);
});

test("the memo keeps keyed digests, not passwords: another process's digest of the same password differs", () => {
  const exponent = Buffer.alloc(32, 7);
  const digest = provenPasswordDigest(exponent, "abcdef");
  assert.equal(Buffer.from(digest, "base64").length, 32);
  assert.equal(provenPasswordDigest(exponent, "abcdef"), digest);
  assert.notEqual(provenPasswordDigest(exponent, "abcdee"), digest);
  const script = `const m = require(${JSON.stringify(path.resolve(__dirname, "../../lib/service/proven-passwords.ts"))}); process.stdout.write(m.provenPasswordDigest(Buffer.alloc(32, 7), "abcdef"))`;
  const other = execFileSync(process.execPath, ["--import", "tsx", "-e", script], { encoding: "utf8" }) as string;
  assert.equal(Buffer.from(other, "base64").length, 32);
  assert.notEqual(other, digest);
});

test("a full memo forgets the least recently used; a smaller one forgets the oldest; size 0 keeps nothing", () => {
  setProvenPasswordCapacity(0);
  setProvenPasswordCapacity(2);
  rememberProvenPassword("a");
  rememberProvenPassword("b");
  assert.equal(isProvenPassword("a"), true); // a is now the most recently used
  rememberProvenPassword("c");
  assert.deepEqual([isProvenPassword("a"), isProvenPassword("b"), isProvenPassword("c")], [true, false, true]);
  setProvenPasswordCapacity(1);
  assert.equal(provenPasswordCount(), 1);
  assert.equal(isProvenPassword("c"), true);
  setProvenPasswordCapacity(0);
  rememberProvenPassword("d");
  assert.equal(provenPasswordCount(), 0);
  assert.equal(isProvenPassword("d"), false);
  assert.throws(() => setProvenPasswordCapacity(-1), /whole number/);
  assert.throws(() => setProvenPasswordCapacity(1.5), /whole number/);
  setProvenPasswordCapacity(DEFAULT_PROVEN_PASSWORDS);
});
