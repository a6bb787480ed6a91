// Tests of the server-side SRP module against the real client code of amazon-cognito-identity-js: its
// AuthenticationHelper (maths), DateHelper (TIMESTAMP) and, end to end, CognitoUser.authenticateUser talking
// to a small loopback server built on lib/service/srp.ts.

import { test } from "node:test";
import assert from "node:assert/strict";
import { createHmac, randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { AuthenticationDetails, CognitoUser, CognitoUserPool } from "amazon-cognito-identity-js";
import {
  SRP_N,
  SrpParameterError,
  createPasswordVerifier,
  formatSrpTimestamp,
  generatorTableComplete,
  isTimestampFresh,
  padHex,
  parseSrpTimestamp,
  passwordMatchesVerifier,
  srpPoolName,
  startSrpSession,
  verifyPasswordClaim,
} from "../../lib/service/srp";
import { DEFAULT_PROVEN_PASSWORDS, setProvenPasswordCapacity } from "../../lib/service/proven-passwords";

// ---- the client library's internals (shipped as CommonJS in lib/, without type declarations) ----------------
interface ClientBigInteger {
  toString(radix: number): string;
}
interface ClientBigIntegerCtor {
  new (value: string, radix: number): ClientBigInteger;
}
interface ClientAuthenticationHelper {
  getLargeAValue(cb: (err: unknown, a: ClientBigInteger) => void): void;
  getPasswordAuthenticationKey(
    username: string,
    password: string,
    serverB: ClientBigInteger,
    salt: ClientBigInteger,
    cb: (err: unknown, hkdf: Uint8Array) => void,
  ): void;
  padHex(value: ClientBigInteger): string;
}
const AuthenticationHelper: new (poolName: string) => ClientAuthenticationHelper = require(
  "amazon-cognito-identity-js/lib/AuthenticationHelper",
).default;
const BigInteger: ClientBigIntegerCtor = require("amazon-cognito-identity-js/lib/BigInteger").default;
const DateHelper: new () => { getNowString(): string } = require("amazon-cognito-identity-js/lib/DateHelper").default;

const POOL_ID = "us-east-1_AbCdEf123";
const USER_ID = "alice";
const PASSWORD = "Correct-Horse-Battery-9";

/** What the client sends and signs, computed by the real AuthenticationHelper (as CognitoUser does it). */
function clientLargeA(helper: ClientAuthenticationHelper): string {
  let hex = "";
  helper.getLargeAValue((err, a) => {
    assert.equal(err, null);
    hex = a.toString(16);
  });
  return hex;
}

function clientHkdf(helper: ClientAuthenticationHelper, userId: string, password: string, srpB: string, salt: string): Buffer {
  let key: Buffer | undefined;
  helper.getPasswordAuthenticationKey(userId, password, new BigInteger(srpB, 16), new BigInteger(salt, 16), (err, hkdf) => {
    assert.equal(err, null);
    key = Buffer.from(hkdf);
  });
  assert.ok(key, "the client computes the key synchronously");
  return key;
}

/** PASSWORD_CLAIM_SIGNATURE exactly as CognitoUser.authenticateUserDefaultAuth builds it. */
function clientSignature(poolId: string, userId: string, hkdf: Buffer, secretBlock: string, timestamp: string): string {
  return createHmac("sha256", hkdf)
    .update(
      Buffer.concat([
        Buffer.from(poolId.split("_")[1]!, "utf8"),
        Buffer.from(userId, "utf8"),
        Buffer.from(secretBlock, "base64"),
        Buffer.from(timestamp, "utf8"),
      ]),
    )
    .digest("base64");
}

/** One complete sign-in: client A, server B, client key and signature. Returns the server's claim input. */
function srpExchange(opts: { clientUserId?: string; clientPassword?: string; stored?: { salt: string; verifier: string } } = {}) {
  const stored = opts.stored ?? createPasswordVerifier(POOL_ID, USER_ID, PASSWORD);
  const helper = new AuthenticationHelper(srpPoolName(POOL_ID));
  const srpA = clientLargeA(helper);
  const { serverSecretB, srpB } = startSrpSession(stored.verifier, srpA);
  const secretBlock = randomBytes(64).toString("base64");
  const timestamp = new DateHelper().getNowString();
  const hkdf = clientHkdf(helper, opts.clientUserId ?? USER_ID, opts.clientPassword ?? PASSWORD, srpB, stored.salt);
  const signature = clientSignature(POOL_ID, opts.clientUserId ?? USER_ID, hkdf, secretBlock, timestamp);
  return {
    userPoolId: POOL_ID,
    userIdForSrp: USER_ID,
    salt: stored.salt,
    verifier: stored.verifier,
    srpA,
    serverSecretB,
    srpB,
    secretBlock,
    timestamp,
    signature,
    hkdf,
  };
}

test("padHex mirrors the client's padHex for positive, negative and edge values", () => {
  const helper = new AuthenticationHelper("pool");
  const samples: bigint[] = [0n, 1n, 20n, 56n, 127n, 128n, 200n, 236n, 255n, 256n, 0x7fffn, 0x8000n, SRP_N, SRP_N - 1n];
  for (let i = 0; i < 200; i++) samples.push(BigInt(`0x${randomBytes(1 + (i % 48)).toString("hex")}`));
  for (const value of [...samples]) samples.push(-value);
  samples.push(-128n, -236n, -20n, -200n, -0x8000n, -0x800000n, -256n);
  for (const value of samples) {
    const clientHex = helper.padHex(new BigInteger(value.toString(16), 16)).toLowerCase();
    assert.equal(padHex(value), clientHex, `padHex(${value})`);
  }
  assert.equal(padHex(-236n), "ff14");
  assert.equal(padHex(236n), "00ec");
  assert.equal(padHex(-128n), "80");
});

test("srpPoolName is the part of the pool id after the underscore", () => {
  assert.equal(srpPoolName("us-east-1_AbCdEf123"), "AbCdEf123");
  assert.equal(srpPoolName("eu-west-2_x9"), "x9");
  assert.throws(() => srpPoolName("no-underscore"), SrpParameterError);
});

test("createPasswordVerifier makes a random salt per call and never stores the password", () => {
  const one = createPasswordVerifier(POOL_ID, USER_ID, PASSWORD);
  const two = createPasswordVerifier(POOL_ID, USER_ID, PASSWORD);
  assert.notEqual(one.salt, two.salt);
  assert.notEqual(one.verifier, two.verifier);
  for (const stored of [one, two]) {
    assert.match(stored.salt, /^[0-9a-f]+$/);
    assert.equal(stored.salt.length % 2, 0);
    assert.match(stored.verifier, /^[0-9a-f]+$/);
    assert.ok(BigInt(`0x${stored.verifier}`) < SRP_N);
    assert.ok(!JSON.stringify(stored).includes(Buffer.from(PASSWORD).toString("hex")));
  }
});

test("the real client's key and signature are accepted by verifyPasswordClaim", () => {
  for (let i = 0; i < 8; i++) {
    const claim = srpExchange();
    assert.equal(verifyPasswordClaim(claim), true, `round ${i}`);
  }
});

test("non-ASCII passwords and user ids hash as UTF-8 on both sides", () => {
  const userId = "jürgen-ü";
  const password = "pässwörd-✓-Ω";
  const stored = createPasswordVerifier(POOL_ID, userId, password);
  const helper = new AuthenticationHelper(srpPoolName(POOL_ID));
  const srpA = clientLargeA(helper);
  const session = startSrpSession(stored.verifier, srpA);
  const secretBlock = randomBytes(32).toString("base64");
  const timestamp = new DateHelper().getNowString();
  const hkdf = clientHkdf(helper, userId, password, session.srpB, stored.salt);
  const signature = clientSignature(POOL_ID, userId, hkdf, secretBlock, timestamp);
  const claim = { userPoolId: POOL_ID, userIdForSrp: userId, ...stored, srpA, ...session, secretBlock, timestamp, signature };
  assert.equal(verifyPasswordClaim(claim), true);
  assert.equal(passwordMatchesVerifier(POOL_ID, userId, password, stored.salt, stored.verifier), true);
  assert.equal(passwordMatchesVerifier(POOL_ID, userId, "passwörd-✓-Ω", stored.salt, stored.verifier), false);
});

test("verifyPasswordClaim rejects a wrong password", () => {
  assert.equal(verifyPasswordClaim(srpExchange({ clientPassword: `${PASSWORD}x` })), false);
  assert.equal(verifyPasswordClaim(srpExchange({ clientPassword: "" })), false);
});

test("verifyPasswordClaim rejects a tampered secret block", () => {
  const claim = srpExchange();
  const block = Buffer.from(claim.secretBlock, "base64");
  block[5] = block[5]! ^ 0x01;
  assert.equal(verifyPasswordClaim({ ...claim, secretBlock: block.toString("base64") }), false);
  assert.equal(verifyPasswordClaim({ ...claim, secretBlock: "not base64 !" }), false);
  assert.equal(verifyPasswordClaim(claim), true);
});

test("verifyPasswordClaim rejects a timestamp other than the signed one", () => {
  const claim = srpExchange();
  const signedAt = parseSrpTimestamp(claim.timestamp);
  assert.ok(signedAt);
  const later = formatSrpTimestamp(new Date(signedAt.getTime() + 1000));
  assert.equal(verifyPasswordClaim({ ...claim, timestamp: later }), false);
});

test("verifyPasswordClaim rejects a different user", () => {
  // The client signs as bob against alice's verifier and session.
  assert.equal(verifyPasswordClaim(srpExchange({ clientUserId: "bob" })), false);
  // Alice's own claim presented for bob (bob has the same password but his own verifier).
  const claim = srpExchange();
  const bob = createPasswordVerifier(POOL_ID, "bob", PASSWORD);
  assert.equal(verifyPasswordClaim({ ...claim, userIdForSrp: "bob", ...bob }), false);
  assert.equal(verifyPasswordClaim({ ...claim, userIdForSrp: "bob" }), false);
  // Same user name in another pool.
  assert.equal(verifyPasswordClaim({ ...claim, userPoolId: "us-east-1_Other1234" }), false);
});

test("verifyPasswordClaim rejects a tampered signature, B, b or A", () => {
  const claim = srpExchange();
  const sig = Buffer.from(claim.signature, "base64");
  sig[0] = sig[0]! ^ 0x80;
  assert.equal(verifyPasswordClaim({ ...claim, signature: sig.toString("base64") }), false);
  assert.equal(verifyPasswordClaim({ ...claim, signature: claim.signature.slice(0, 20) }), false);
  assert.equal(verifyPasswordClaim({ ...claim, signature: "" }), false);
  const other = startSrpSession(claim.verifier, claim.srpA);
  assert.equal(verifyPasswordClaim({ ...claim, srpB: other.srpB }), false);
  assert.equal(verifyPasswordClaim({ ...claim, serverSecretB: other.serverSecretB }), false);
  assert.equal(verifyPasswordClaim({ ...claim, serverSecretB: "xyz" }), false);
  assert.equal(verifyPasswordClaim({ ...claim, srpA: clientLargeA(new AuthenticationHelper("x")) }), false);
  assert.equal(verifyPasswordClaim({ ...claim, srpA: SRP_N.toString(16) }), false);
  assert.equal(verifyPasswordClaim(claim), true);
});

for (const memo of [0, DEFAULT_PROVEN_PASSWORDS]) test(`passwordMatchesVerifier accepts the right password only (password memo of ${memo})`, () => {
  setProvenPasswordCapacity(memo);
  const stored = createPasswordVerifier(POOL_ID, USER_ID, PASSWORD);
  assert.equal(passwordMatchesVerifier(POOL_ID, USER_ID, PASSWORD, stored.salt, stored.verifier), true);
  assert.equal(passwordMatchesVerifier(POOL_ID, USER_ID, PASSWORD.toLowerCase(), stored.salt, stored.verifier), false);
  assert.equal(passwordMatchesVerifier(POOL_ID, "bob", PASSWORD, stored.salt, stored.verifier), false);
  assert.equal(passwordMatchesVerifier("us-east-1_Other1234", USER_ID, PASSWORD, stored.salt, stored.verifier), false);
  assert.equal(passwordMatchesVerifier(POOL_ID, USER_ID, PASSWORD, "00", stored.verifier), false);
  assert.equal(passwordMatchesVerifier(POOL_ID, USER_ID, PASSWORD, stored.salt, "zz"), false);
  assert.equal(passwordMatchesVerifier(POOL_ID, USER_ID, PASSWORD, stored.salt, SRP_N.toString(16)), false);
});

test("the stored verifier equals g^x mod N computed with the client's own hashes and BigInteger maths", () => {
  // Cross-check against the client's own BigInteger maths: g^x mod N with x from the same hashes.
  const stored = createPasswordVerifier(POOL_ID, USER_ID, PASSWORD);
  const helper = new AuthenticationHelper(srpPoolName(POOL_ID)) as ClientAuthenticationHelper & {
    hash(s: string): string;
    hexHash(s: string): string;
  };
  const x = helper.hexHash(helper.padHex(new BigInteger(stored.salt, 16)) + helper.hash(`${srpPoolName(POOL_ID)}${USER_ID}:${PASSWORD}`));
  const g = new BigInteger("2", 16) as ClientBigInteger & {
    modPow(e: ClientBigInteger, m: ClientBigInteger, cb: (err: unknown, r: ClientBigInteger) => void): void;
  };
  let clientV = "";
  g.modPow(new BigInteger(x, 16), new BigInteger(SRP_N.toString(16), 16), (err, r) => {
    assert.equal(err, null);
    clientV = r.toString(16);
  });
  assert.equal(BigInt(`0x${clientV}`), BigInt(`0x${stored.verifier}`));
});

test("startSrpSession refuses A ≡ 0 (mod N), degenerate and malformed A", () => {
  const stored = createPasswordVerifier(POOL_ID, USER_ID, PASSWORD);
  for (const bad of ["0", "00", SRP_N.toString(16), (2n * SRP_N).toString(16), "1", (SRP_N - 1n).toString(16), "", "xyz", "-5", "f".repeat(5000)]) {
    assert.throws(() => startSrpSession(stored.verifier, bad), SrpParameterError, `A = ${bad.slice(0, 16)}`);
  }
  const ok = startSrpSession(stored.verifier, clientLargeA(new AuthenticationHelper("p")));
  assert.match(ok.srpB, /^[0-9a-f]+$/);
  assert.match(ok.serverSecretB, /^[0-9a-f]{64}$/);
  const B = BigInt(`0x${ok.srpB}`);
  assert.ok(B > 0n && B < SRP_N);
});

test("TIMESTAMP: the client's DateHelper format parses, is fresh, and stale or malformed ones are not", () => {
  const before = formatSrpTimestamp(new Date());
  const clientNow = new DateHelper().getNowString();
  const after = formatSrpTimestamp(new Date());
  assert.ok(clientNow === before || clientNow === after, `${clientNow} vs ${before}`);
  assert.equal(isTimestampFresh(clientNow), true);

  const now = new Date(Date.UTC(2024, 2, 5, 9, 4, 3));
  assert.equal(formatSrpTimestamp(now), "Tue Mar 5 09:04:03 UTC 2024");
  assert.equal(parseSrpTimestamp("Tue Mar 5 09:04:03 UTC 2024")?.getTime(), now.getTime());
  assert.equal(parseSrpTimestamp("Tue Mar 05 09:04:03 UTC 2024")?.getTime(), now.getTime(), "zero-padded day");
  assert.equal(isTimestampFresh("Tue Mar 5 09:08:03 UTC 2024", now), true, "+4 min");
  assert.equal(isTimestampFresh("Tue Mar 5 09:09:03 UTC 2024", now), true, "+5 min exactly");
  assert.equal(isTimestampFresh("Tue Mar 5 09:09:04 UTC 2024", now), false, "+5 min 1 s");
  assert.equal(isTimestampFresh("Tue Mar 5 08:58:03 UTC 2024", now), false, "-6 min");
  assert.equal(isTimestampFresh("Tue Mar 5 09:05:03 UTC 2024", now, 30_000), false, "custom tolerance");
  for (const bad of ["", "Wed Mar 5 09:04:03 UTC 2024", "Tue Foo 5 09:04:03 UTC 2024", "Tue Feb 30 09:04:03 UTC 2024", "Tue Mar 5 9:04:03 UTC 2024", "Tue Mar 5 09:04:03 GMT 2024", "2024-03-05T09:04:03Z"]) {
    assert.equal(parseSrpTimestamp(bad), undefined, bad);
    assert.equal(isTimestampFresh(bad, now), false, bad);
  }
});

test("end to end: unmodified CognitoUser.authenticateUser signs in over USER_SRP_AUTH against a loopback server", async (t) => {
  // A minimal InitiateAuth/RespondToAuthChallenge server that uses only lib/service/srp.ts for the maths.
  // The user signs in with an alias ("alice@example.com") and USER_ID_FOR_SRP tells the client the real id.
  const stored = createPasswordVerifier(POOL_ID, USER_ID, PASSWORD);
  const sessions = new Map<string, { srpA: string; serverSecretB: string; srpB: string; secretBlock: string }>();
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      const target = String(req.headers["x-amz-target"] ?? "");
      const input = JSON.parse(body) as Record<string, any>;
      const reply = (status: number, payload: unknown) => {
        res.writeHead(status, { "content-type": "application/x-amz-json-1.1" });
        res.end(JSON.stringify(payload));
      };
      const fail = (type: string, message: string) => reply(400, { __type: type, message });
      if (target.endsWith(".InitiateAuth")) {
        assert.equal(input.AuthFlow, "USER_SRP_AUTH");
        assert.equal(input.AuthParameters.USERNAME, "alice@example.com");
        let session;
        try {
          session = startSrpSession(stored.verifier, input.AuthParameters.SRP_A);
        } catch {
          return fail("InvalidParameterException", "Invalid SRP_A");
        }
        const id = randomBytes(16).toString("hex");
        const secretBlock = randomBytes(48).toString("base64");
        sessions.set(id, { srpA: input.AuthParameters.SRP_A, ...session, secretBlock });
        return reply(200, {
          ChallengeName: "PASSWORD_VERIFIER",
          Session: id,
          ChallengeParameters: { SALT: stored.salt, SRP_B: session.srpB, SECRET_BLOCK: secretBlock, USER_ID_FOR_SRP: USER_ID, USERNAME: USER_ID },
        });
      }
      if (target.endsWith(".RespondToAuthChallenge")) {
        const session = sessions.get(input.Session);
        const responses = input.ChallengeResponses;
        sessions.delete(input.Session);
        if (!session || responses.USERNAME !== USER_ID || responses.PASSWORD_CLAIM_SECRET_BLOCK !== session.secretBlock) return fail("NotAuthorizedException", "Invalid session");
        if (!isTimestampFresh(responses.TIMESTAMP)) return fail("NotAuthorizedException", "Stale timestamp");
        const ok = verifyPasswordClaim({
          userPoolId: POOL_ID,
          userIdForSrp: USER_ID, // the USER_ID_FOR_SRP this server issued, not the client's echo
          ...stored,
          ...session,
          secretBlock: responses.PASSWORD_CLAIM_SECRET_BLOCK,
          timestamp: responses.TIMESTAMP,
          signature: responses.PASSWORD_CLAIM_SIGNATURE,
        });
        if (!ok) return fail("NotAuthorizedException", "Incorrect username or password.");
        // Unsigned JWT-shaped tokens: only their payload matters to the client's session object here.
        const now = Math.floor(Date.now() / 1000);
        const jwt = (claims: object) =>
          `${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.`;
        return reply(200, {
          ChallengeParameters: {},
          AuthenticationResult: {
            IdToken: jwt({ "cognito:username": responses.USERNAME, token_use: "id", iat: now, exp: now + 3600 }),
            AccessToken: jwt({ username: responses.USERNAME, token_use: "access", iat: now, exp: now + 3600 }),
            RefreshToken: randomBytes(32).toString("base64"),
            ExpiresIn: 3600,
            TokenType: "Bearer",
          },
        });
      }
      return fail("UnknownOperationException", target);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const pool = new CognitoUserPool({ UserPoolId: POOL_ID, ClientId: "abcdefghijklmnopqrstuvwxyz", endpoint });

  const signIn = (password: string) =>
    new Promise<{ ok: true; idUser: unknown } | { ok: false; code: string }>((resolve) => {
      const user = new CognitoUser({ Username: "alice@example.com", Pool: pool });
      user.authenticateUser(new AuthenticationDetails({ Username: "alice@example.com", Password: password }), {
        onSuccess: (session) => resolve({ ok: true, idUser: session.getIdToken().decodePayload()["cognito:username"] }),
        onFailure: (err: { code?: string; name?: string }) => resolve({ ok: false, code: err.code ?? err.name ?? "?" }),
      });
    });

  assert.deepEqual(await signIn(PASSWORD), { ok: true, idUser: USER_ID });
  assert.deepEqual(await signIn("wrong-password"), { ok: false, code: "NotAuthorizedException" });
  assert.equal(sessions.size, 0);
});

test("the generator table is built only under load, and its powers equal OpenSSL's", async () => {
  // Earlier tests computed a few powers: not enough to start the table (a test run or `wing it` never pays for it).
  assert.equal(generatorTableComplete(), false);
  const before = Array.from({ length: 8 }, (_, i) => ({ user: `user-${i}`, stored: createPasswordVerifier(POOL_ID, `user-${i}`, PASSWORD) }));
  for (let i = 0; i < 64; i++) createPasswordVerifier(POOL_ID, USER_ID, PASSWORD);
  for (let turns = 0; !generatorTableComplete() && turns < 1000; turns++) await new Promise((resolve) => setImmediate(resolve));
  assert.equal(generatorTableComplete(), true);
  // Verifiers made by OpenSSL before the table check out with the table's powers, and wrong passwords still fail.
  for (const { user, stored } of before) {
    assert.equal(passwordMatchesVerifier(POOL_ID, user, PASSWORD, stored.salt, stored.verifier), true);
    assert.equal(passwordMatchesVerifier(POOL_ID, user, "Wrong-Passw0rd!", stored.salt, stored.verifier), false);
  }
  const claim = srpExchange({ stored: createPasswordVerifier(POOL_ID, USER_ID, PASSWORD) });
  assert.ok(verifyPasswordClaim(claim));
});

test("timings per call (printed, not asserted)", () => {
  const rounds = 40;
  const time = (label: string, fn: () => void) => {
    fn(); // warm-up
    const start = process.hrtime.bigint();
    for (let i = 0; i < rounds; i++) fn();
    const ms = Number(process.hrtime.bigint() - start) / 1e6 / rounds;
    console.log(`srp ${label}: ${ms.toFixed(3)} ms/call`);
    return ms;
  };
  const stored = createPasswordVerifier(POOL_ID, USER_ID, PASSWORD);
  const claim = srpExchange({ stored });
  time("createPasswordVerifier", () => createPasswordVerifier(POOL_ID, USER_ID, PASSWORD));
  time("passwordMatchesVerifier", () => assert.ok(passwordMatchesVerifier(POOL_ID, USER_ID, PASSWORD, stored.salt, stored.verifier)));
  time("startSrpSession", () => startSrpSession(stored.verifier, claim.srpA));
  time("verifyPasswordClaim", () => assert.ok(verifyPasswordClaim(claim)));
  const helper = new AuthenticationHelper(srpPoolName(POOL_ID));
  const A = clientLargeA(helper);
  const session = startSrpSession(stored.verifier, A);
  const start = process.hrtime.bigint();
  clientHkdf(helper, USER_ID, PASSWORD, session.srpB, stored.salt);
  console.log(`srp (for comparison) client getPasswordAuthenticationKey in JS BigInteger: ${(Number(process.hrtime.bigint() - start) / 1e6).toFixed(1)} ms`);
});
