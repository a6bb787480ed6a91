// Tests of the software-token MFA module: RFC 6238 test vectors, an independent RFC 4226 implementation on
// node:crypto, otpauth's own generator as an authenticator app would use it, the ±1 step window and replay steps.

import { test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { Secret, TOTP, URI } from "otpauth";
import {
  TOTP_PERIOD_SECONDS,
  currentTotpCode,
  generateTotpSecret,
  isTotpSecret,
  matchingTotpStep,
  totpCodeMatches,
  totpProvisioningUri,
  totpStep,
} from "../../lib/service/totp";

/** Independent reference: RFC 4226 HOTP with dynamic truncation, SHA-1, on node:crypto. */
function referenceCode(key: Buffer, step: number, digits = 6): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac("sha1", key).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, "0");
}

/** Independent reference: RFC 4648 base32 decoding. */
function base32Decode(text: string): Buffer {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const char of text.replace(/=+$/, "")) bits += alphabet.indexOf(char).toString(2).padStart(5, "0");
  const bytes: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

// RFC 6238 appendix B, SHA-1 rows; the key is the ASCII string "12345678901234567890".
const RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const RFC_VECTORS: Array<[seconds: number, eightDigits: string]> = [
  [59, "94287082"],
  [1111111109, "07081804"],
  [1111111111, "14050471"],
  [1234567890, "89005924"],
  [2000000000, "69279037"],
  [20000000000, "65353130"],
];

test("RFC 6238 SHA-1 vectors (6-digit codes are the last six digits)", () => {
  assert.equal(base32Decode(RFC_SECRET).toString("latin1"), "12345678901234567890");
  for (const [seconds, eight] of RFC_VECTORS) {
    const now = new Date(seconds * 1000);
    assert.equal(currentTotpCode(RFC_SECRET, now), eight.slice(2), `T = ${seconds}`);
    assert.equal(totpCodeMatches(RFC_SECRET, eight.slice(2), now), true);
    assert.equal(referenceCode(base32Decode(RFC_SECRET), Math.floor(seconds / 30), 8), eight, "reference implementation");
  }
});

test("generated secrets are 32-character base32 strings of 160 random bits", () => {
  const seen = new Set<string>();
  for (let i = 0; i < 50; i++) {
    const secret = generateTotpSecret();
    assert.match(secret, /^[A-Z2-7]{32}$/);
    assert.equal(base32Decode(secret).length, 20);
    assert.ok(isTotpSecret(secret));
    seen.add(secret);
  }
  assert.equal(seen.size, 50);
});

test("codes agree with an independent implementation and with otpauth used as an authenticator app", () => {
  const secret = generateTotpSecret();
  const key = base32Decode(secret);
  const app = new TOTP({ secret: Secret.fromBase32(secret) }); // an app's defaults: SHA1, 6 digits, 30 s
  for (let i = 0; i < 40; i++) {
    const now = new Date(1_700_000_000_000 + i * 7_919_000);
    const code = currentTotpCode(secret, now);
    assert.equal(code, referenceCode(key, totpStep(now)));
    assert.equal(code, app.generate({ timestamp: now.getTime() }));
    assert.equal(totpCodeMatches(secret, app.generate({ timestamp: now.getTime() }), now), true);
  }
});

test("the window is ±1 step of 30 s: the previous and next codes pass, two steps away fails", () => {
  const secret = generateTotpSecret();
  const key = base32Decode(secret);
  const now = new Date(1_720_000_000_000 + 12_345);
  const step = totpStep(now);
  for (const delta of [-1, 0, 1]) {
    const code = referenceCode(key, step + delta);
    assert.equal(totpCodeMatches(secret, code, now), true, `delta ${delta}`);
    assert.equal(matchingTotpStep(secret, code, now), step + delta);
  }
  for (const delta of [-3, -2, 2, 3]) {
    const code = referenceCode(key, step + delta);
    // A code of another step could collide by chance (1 in 10^6): only assert when it differs.
    if ([-1, 0, 1].some((d) => referenceCode(key, step + d) === code)) continue;
    assert.equal(totpCodeMatches(secret, code, now), false, `delta ${delta}`);
  }
  // At the edges of a step: the code of step s is still valid 29 s into step s+1, not 31 s.
  const code = referenceCode(key, step);
  const stepStart = step * TOTP_PERIOD_SECONDS * 1000;
  assert.equal(totpCodeMatches(secret, code, new Date(stepStart + 59_000)), true);
  assert.equal(totpCodeMatches(secret, code, new Date(stepStart + 60_000)), false);
  assert.equal(totpCodeMatches(secret, code, new Date(stepStart - 30_000)), true);
});

test("wrong, malformed codes and secrets are refused without throwing", () => {
  const secret = generateTotpSecret();
  const now = new Date();
  const code = currentTotpCode(secret, now);
  const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, "0");
  if (![-1, 0, 1].some((d) => currentTotpCode(secret, new Date(now.getTime() + d * 30_000)) === wrong)) {
    assert.equal(totpCodeMatches(secret, wrong, now), false);
  }
  for (const bad of ["", "12345", "1234567", "12 456", "abcdef", ` ${code}`, `${code}\n`, "１２３４５６"]) {
    assert.equal(totpCodeMatches(secret, bad, now), false, JSON.stringify(bad));
  }
  const otherSecret = generateTotpSecret();
  if (![-1, 0, 1].some((d) => currentTotpCode(otherSecret, new Date(now.getTime() + d * 30_000)) === code)) {
    assert.equal(totpCodeMatches(otherSecret, code, now), false, "another user's secret");
  }
  for (const badSecret of ["", "short", "not base32 at all!!", secret.toLowerCase()]) {
    assert.equal(totpCodeMatches(badSecret, code, now), false, badSecret);
  }
  assert.equal(isTotpSecret("GEZDGNBVGY3TQOJQ"), true);
  assert.equal(isTotpSecret("GEZDGNBV1Y3TQOJQ"), false);
});

test("the provisioning URI round-trips through otpauth's parser", () => {
  const secret = generateTotpSecret();
  const uri = totpProvisioningUri(secret, "alice@example.com", "My App");
  assert.match(uri, /^otpauth:\/\/totp\//);
  const parsed = URI.parse(uri);
  assert.ok(parsed instanceof TOTP);
  assert.equal(parsed.secret.base32, secret);
  assert.equal(parsed.issuer, "My App");
  assert.equal(parsed.label, "alice@example.com");
  assert.equal(parsed.digits, 6);
  assert.equal(parsed.period, 30);
  assert.equal(parsed.algorithm, "SHA1");
  const now = new Date();
  assert.equal(parsed.generate({ timestamp: now.getTime() }), currentTotpCode(secret, now));
});

test("timings per call (printed, not asserted)", () => {
  const secret = generateTotpSecret();
  const code = currentTotpCode(secret);
  const rounds = 2000;
  const start = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) assert.ok(totpCodeMatches(secret, code));
  console.log(`totp totpCodeMatches: ${(Number(process.hrtime.bigint() - start) / 1e6 / rounds).toFixed(4)} ms/call`);
});
