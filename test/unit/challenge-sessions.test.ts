// Sign-in challenges held in memory are bounded: per source (the caller's address) and in total, the oldest challenge
// is evicted first, in O(1), and expired ones are dropped as new ones arrive. Also measures what a full table costs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { ChallengeSessions, MAX_SESSIONS, MAX_SESSIONS_PER_SOURCE } from "../../lib/service/challenge-sessions";

/** SRP state of the real sizes (A and B of 3072 bits, b of 256 bits, a sealed secret block), every string distinct. */
const srpState = () => {
  const r = randomBytes(916);
  return { srpA: r.toString("hex", 0, 384), serverSecretB: r.toString("hex", 384, 416), srpB: r.toString("hex", 416, 800), secretBlock: r.toString("base64", 800) };
};
const challenge = (username: string) => ({ challenge: "PASSWORD_VERIFIER" as const, userPoolId: "us-east-1_x", clientId: "c", username, srp: srpState() });

test("one source cannot hold more than its share, nor push out another source's challenges", () => {
  const sessions = new ChallengeSessions(() => 1000);
  const victim = sessions.open(challenge("victim"), "10.0.0.2");
  const first = sessions.open(challenge("flood-0"), "10.0.0.1");
  for (let i = 1; i < MAX_SESSIONS_PER_SOURCE + 500; i++) sessions.open(challenge(`flood-${i}`), "10.0.0.1");
  assert.equal(sessions.size, MAX_SESSIONS_PER_SOURCE + 1);
  assert.equal(sessions.find(first), undefined, "the flood's oldest challenge went first");
  assert.equal(sessions.find(victim)?.username, "victim", "another source's challenge is untouched");
});

test("the total is bounded; the oldest challenge of all is evicted first", () => {
  const sessions = new ChallengeSessions(() => 1000, { total: 100, perSource: 30 });
  const tokens: string[] = [];
  for (let i = 0; i < 300; i++) tokens.push(sessions.open(challenge(`u${i}`), `10.0.${i % 10}.1`));
  assert.equal(sessions.size, 100);
  assert.equal(sessions.find(tokens[199]), undefined);
  assert.equal(sessions.find(tokens[200])?.username, "u200");
  assert.equal(sessions.find(tokens[299])?.username, "u299");
});

test("expired challenges are dropped as new ones are opened, and answer nothing", () => {
  let now = 1000;
  const sessions = new ChallengeSessions(() => now);
  const old = sessions.open(challenge("old"), "a");
  now += 181;
  assert.equal(sessions.find(old), undefined);
  const again = sessions.open(challenge("old2"), "a");
  now += 100;
  sessions.open(challenge("new"), "b");
  assert.equal(sessions.size, 2);
  assert.equal(sessions.find(again)?.username, "old2");
});

test("eviction stays O(1): opening past the limit costs what opening below it costs", () => {
  const sessions = new ChallengeSessions(() => 1000, { total: 5000, perSource: 5000 });
  const timeOf = (n: number) => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) sessions.open({ challenge: "NEW_PASSWORD_REQUIRED", userPoolId: "p", clientId: "c", username: "u" }, "s");
    return Number(process.hrtime.bigint() - start);
  };
  const below = timeOf(5000);
  const above = Math.min(timeOf(5000), timeOf(5000), timeOf(5000));
  // Linear eviction (a scan per open) would be ~1000x slower here; allow generous noise.
  assert.ok(above < below * 20, `opening past the limit: ${above} ns vs ${below} ns below it`);
});

test(`a full table (${MAX_SESSIONS} SRP challenges) stays within 64 MiB`, () => {
  const sessions = new ChallengeSessions(() => 1000);
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < MAX_SESSIONS + 1000; i++) sessions.open(challenge(`u${i}`), `10.${(i >> 8) & 255}.${i & 255}.1`);
  const used = process.memoryUsage().heapUsed - before;
  assert.equal(sessions.size, MAX_SESSIONS);
  console.log(`${MAX_SESSIONS} SRP challenges: ${(used / 2 ** 20).toFixed(1)} MiB of heap`);
  assert.ok(used < 64 * 2 ** 20, `${used} bytes`);
});
