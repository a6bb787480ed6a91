// The memo of proven passwords (lib/service/proven-passwords.ts) behind the SRP password check (lib/service/srp.ts): it
// answers only a password proven against the very same verifier, never a wrong one, forgets the oldest when full and
// nothing when off; what it keeps is a keyed digest, not the password. Through the service, a sign-in with the memo
// off and on gives the same answers, and a new password makes the old one fail at once.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  AdminSetUserPasswordCommand, CognitoIdentityProviderClient, CreateUserPoolClientCommand, CreateUserPoolCommand, InitiateAuthCommand,
  NotAuthorizedException, SignUpCommand, AdminConfirmSignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { createPasswordVerifier, passwordMatchesVerifier, passwordMatchesVerifierOffMainThread } from "../../lib/service/srp";
import {
  DEFAULT_PROVEN_PASSWORDS, isProvenPassword, provenPasswordCount, provenPasswordDigest, rememberProvenPassword, setProvenPasswordCapacity,
} from "../../lib/service/proven-passwords";
import { startCognitoService } from "../../lib/service/index";

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

test("a check that computes the power remembers a right password, never a wrong one", () => {
  setProvenPasswordCapacity(0);
  const made = createPasswordVerifier(POOL, "carol", "Carol-Passw0rd"); // made while the memo is off: not remembered
  setProvenPasswordCapacity(DEFAULT_PROVEN_PASSWORDS);
  assert.equal(provenPasswordCount(), 0);
  assert.equal(passwordMatchesVerifier(POOL, "carol", "Not-Carols-0", made.salt, made.verifier), false);
  assert.equal(provenPasswordCount(), 0);
  assert.equal(passwordMatchesVerifier(POOL, "carol", "Carol-Passw0rd", made.salt, made.verifier), true);
  assert.equal(provenPasswordCount(), 1);
  assert.equal(passwordMatchesVerifier(POOL, "carol", "Carol-Passw0rd", made.salt, made.verifier), true);
  assert.equal(provenPasswordCount(), 1);
});

test("the memo keeps keyed digests, not passwords: another process's digest of the same password differs", () => {
  const exponent = Buffer.alloc(32, 7);
  const digest = provenPasswordDigest(exponent, "abcdef");
  assert.equal(Buffer.from(digest, "base64").length, 32);
  assert.equal(provenPasswordDigest(exponent, "abcdef"), digest);
  assert.notEqual(provenPasswordDigest(exponent, "abcdee"), digest);
  const script = `const m = require(${JSON.stringify(path.resolve(__dirname, "../../lib/service/proven-passwords.ts"))}); process.stdout.write(m.provenPasswordDigest(Buffer.alloc(32, 7), "abcdef"))`;
  const other = require("node:child_process").execFileSync(process.execPath, ["--import", "tsx", "-e", script], { encoding: "utf8" }) as string;
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

for (const passwordMemo of [0, DEFAULT_PROVEN_PASSWORDS]) {
  test(`through the service (password memo of ${passwordMemo}): sign-in with the right password only, and a new password ends the old one at once`, async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "memo-"));
    const service = await startCognitoService({ port: 0, dataDir, passwordMemo, cacheDir: false, log: () => {} });
    const idp = new CognitoIdentityProviderClient({ endpoint: service.url, region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } });
    try {
      const { UserPool } = await idp.send(new CreateUserPoolCommand({ PoolName: "memo" }));
      const UserPoolId = UserPool!.Id!;
      const { UserPoolClient } = await idp.send(new CreateUserPoolClientCommand({ UserPoolId, ClientName: "c", ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] }));
      const ClientId = UserPoolClient!.ClientId!;
      await idp.send(new SignUpCommand({ ClientId, Username: "dave", Password: "Dave-Passw0rd!" }));
      await idp.send(new AdminConfirmSignUpCommand({ UserPoolId, Username: "dave" }));
      const signIn = (PASSWORD: string) => idp.send(new InitiateAuthCommand({ ClientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "dave", PASSWORD } }));
      for (let i = 0; i < 2; i++) assert.ok((await signIn("Dave-Passw0rd!")).AuthenticationResult?.IdToken);
      await assert.rejects(signIn("Dave-Passw0rd?"), (e: unknown) => e instanceof NotAuthorizedException && e.message === "Incorrect username or password.");
      await idp.send(new AdminSetUserPasswordCommand({ UserPoolId, Username: "dave", Password: "Dave-New-Passw0rd!", Permanent: true }));
      await assert.rejects(signIn("Dave-Passw0rd!"), (e: unknown) => e instanceof NotAuthorizedException && e.message === "Incorrect username or password.");
      assert.ok((await signIn("Dave-New-Passw0rd!")).AuthenticationResult?.IdToken);
      assert.equal(provenPasswordCount() > 0, passwordMemo > 0);
    } finally {
      idp.destroy();
      await service.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
      setProvenPasswordCapacity(DEFAULT_PROVEN_PASSWORDS);
    }
  });
}
