// Durability test of the local Cognito service run as its CLI (`lib/service/cli.ts`) in a child process: concurrent SignUps
// (and 20 racing SignUps of one name), `kill -9` in the middle of a stream of writes, a restart on the same data
// directory, then every acknowledged user is there, exactly one racer won, and tokens issued before the kill still
// verify (the signing keys survive). State files are readable by their owner only. Then the store alone, checkpointing
// its WAL every few commits, killed at random moments (so also during checkpoints): every acknowledged record is there.
import { after, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CognitoJwtVerifier } from "aws-jwt-verify";
import {
  AdminConfirmSignUpCommand, AdminGetUserCommand, CognitoIdentityProviderClient, GetUserCommand, InitiateAuthCommand, ListUsersCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { createPoolAndClient, TEST_CREDENTIALS } from "../support/local-service";
import { DurableStore } from "../../lib/service/store";

const REPO = path.resolve(__dirname, "..", "..");
const PASSWORD = "Corr3ct-Horse!";

interface RunningCli {
  child: ChildProcess;
  url: string;
  idp: CognitoIdentityProviderClient;
  exited: Promise<NodeJS.Signals | number | null>;
}

const children: ChildProcess[] = [];

/** Starts `node --import tsx lib/service/cli.ts --port 0 --data <dir>` and waits for its "listening on <url>" line. */
async function startCli(dataDir: string): Promise<RunningCli> {
  const child = spawn(process.execPath, ["--import", "tsx", "lib/service/cli.ts", "--port", "0", "--data", dataDir], { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.once("exit", (code, signal) => resolve(signal ?? code)));
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = "";
    const timer = setTimeout(() => reject(new Error(`service did not start within 20 s\n${stdout}\n${stderr}`)), 20_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const m = /Local Cognito listening on (http:\/\/\S+)/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    void exited.then((how) => {
      clearTimeout(timer);
      reject(new Error(`service exited (${how}) before listening\n${stdout}\n${stderr}`));
    });
  });
  // One attempt per call: after the kill, requests must fail rather than be retried.
  const idp = new CognitoIdentityProviderClient({ endpoint: url, region: "us-east-1", credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  return { child, url, idp, exited };
}

describe("durability across kill -9", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cognito-durability-"));
  after(() => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("keeps every acknowledged write, one winner of a race, and the signing keys", async () => {
    const first = await startCli(dataDir);
    const { userPoolId, clientId } = await createPoolAndClient(first.idp);
    const signUp = (idp: CognitoIdentityProviderClient, Username: string) =>
      idp.send(new SignUpCommand({ ClientId: clientId, Username, Password: PASSWORD, UserAttributes: [{ Name: "email", Value: `${Username}@example.com` }] }));

    // Tokens issued before the crash.
    await signUp(first.idp, "keeper");
    await first.idp.send(new AdminConfirmSignUpCommand({ UserPoolId: userPoolId, Username: "keeper" }));
    const before = (await first.idp.send(new InitiateAuthCommand({
      ClientId: clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "keeper", PASSWORD },
    }))).AuthenticationResult!;
    const jwksBefore = await (await fetch(`${first.url}/${userPoolId}/.well-known/jwks.json`)).json();

    // 20 concurrent SignUps of one username: exactly one wins.
    const race = await Promise.allSettled(Array.from({ length: 20 }, () => signUp(first.idp, "contested")));
    const winners = race.filter((r) => r.status === "fulfilled");
    assert.equal(winners.length, 1, "exactly one SignUp of the contested name succeeds");
    for (const r of race) if (r.status === "rejected") assert.equal((r.reason as Error).name, "UsernameExistsException");

    // A batch of concurrent SignUps, all acknowledged.
    const acknowledged: string[] = [];
    const batch = Array.from({ length: 100 }, (_, i) => `batch-${i}`);
    await Promise.all(batch.map(async (name) => {
      await signUp(first.idp, name);
      acknowledged.push(name);
    }));
    assert.equal(acknowledged.length, 100);

    // A stream of SignUps, 16 in flight; kill -9 right after the 60th acknowledgement of the stream.
    let next = 0;
    let streamed = 0;
    let killed = false;
    const worker = async () => {
      while (!killed) {
        const name = `stream-${next++}`;
        try {
          await signUp(first.idp, name);
        } catch {
          if (killed) return;
          throw new Error(`SignUp of ${name} failed before the kill`);
        }
        if (killed) {
          // Answered just before the kill took effect: acknowledged all the same.
          acknowledged.push(name);
          return;
        }
        acknowledged.push(name);
        if (++streamed === 60) {
          killed = true;
          first.child.kill("SIGKILL");
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    assert.equal(await first.exited, "SIGKILL");
    first.idp.destroy();
    assert.ok(next > 60, `writes were still in flight at the kill (${next - 60} unacknowledged)`);

    // Owner-only state.
    assert.equal(fs.statSync(dataDir).mode & 0o077, 0, "the data directory is private");
    const files = fs.readdirSync(dataDir);
    assert.ok(files.length > 0);
    for (const file of files) assert.equal(fs.statSync(path.join(dataDir, file)).mode & 0o777, 0o600, `${file} is mode 0600`);

    // Restart on the same directory.
    const second = await startCli(dataDir);
    try {
      const missing: string[] = [];
      for (let i = 0; i < acknowledged.length; i += 25) {
        await Promise.all(acknowledged.slice(i, i + 25).map(async (name) => {
          try {
            const user = await second.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: name }));
            assert.equal(user.UserStatus, "UNCONFIRMED");
          } catch (e) {
            if ((e as Error).name === "UserNotFoundException") missing.push(name);
            else throw e;
          }
        }));
      }
      assert.deepEqual(missing, [], "every acknowledged SignUp survived kill -9");
      const contested = await second.idp.send(new ListUsersCommand({ UserPoolId: userPoolId, Filter: 'username = "contested"' }));
      assert.equal(contested.Users!.length, 1);

      // The keys survived: the JWKS is the same, and tokens from before the kill verify and work.
      const jwksAfter = await (await fetch(`${second.url}/${userPoolId}/.well-known/jwks.json`)).json();
      assert.deepEqual(jwksAfter, jwksBefore);
      for (const [tokenUse, token] of [["id", before.IdToken!], ["access", before.AccessToken!]] as const) {
        const verifier = CognitoJwtVerifier.create({ userPoolId, tokenUse, clientId });
        verifier.cacheJwks(jwksAfter as Parameters<typeof verifier.cacheJwks>[0]);
        await verifier.verify(token);
      }
      assert.equal((await second.idp.send(new GetUserCommand({ AccessToken: before.AccessToken! }))).Username, "keeper");
      const refreshed = await second.idp.send(new InitiateAuthCommand({
        ClientId: clientId, AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: before.RefreshToken! },
      }));
      assert.ok(refreshed.AuthenticationResult?.AccessToken);

      // A user acknowledged just before the kill signs in with its password once confirmed.
      const last = acknowledged[acknowledged.length - 1];
      await second.idp.send(new AdminConfirmSignUpCommand({ UserPoolId: userPoolId, Username: last }));
      const auth = await second.idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: last, PASSWORD } }));
      assert.ok(auth.AuthenticationResult?.IdToken);
      // And the service goes on writing after recovery.
      await signUp(second.idp, "after-restart");
    } finally {
      second.idp.destroy();
      second.child.kill("SIGTERM");
      assert.equal(await second.exited, 0, "SIGTERM closes the service cleanly");
    }
  });
});

describe("durability across kill -9 during checkpoints", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cognito-checkpoint-kill-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("keeps every acknowledged record when killed at random moments of a checkpointing write stream", async () => {
    const acknowledged: string[] = [];
    for (let round = 0; round < 4; round++) {
      const child = spawn(process.execPath, ["--import", "tsx", "test/support/store-writer.ts", dir, `r${round}`], { cwd: REPO, stdio: ["ignore", "pipe", "inherit"] });
      children.push(child);
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      let buffered = "";
      let acks = 0;
      const enough = new Promise<void>((resolve) => {
        child.stdout!.on("data", (chunk: Buffer) => {
          buffered += chunk.toString();
          const lines = buffered.split("\n");
          buffered = lines.pop()!;
          for (const line of lines) {
            if (line.startsWith("ack ")) {
              acknowledged.push(line.slice(4));
              acks++;
            }
          }
          // Kill at a random point, a few hundred commits (and so dozens of checkpoints) in.
          if (acks > 200 + Math.random() * 600) resolve();
        });
      });
      await Promise.race([enough, exited]);
      child.kill("SIGKILL");
      await exited;
    }
    // Records reach the database file only through checkpoints: its size shows they ran.
    const databaseBytes = fs.statSync(path.join(dir, "store.sqlite")).size;
    assert.ok(databaseBytes > 1024 * 1024, `the WAL was checkpointed into the database (${databaseBytes} bytes)`);
    const store = await DurableStore.open(dir);
    try {
      const missing = acknowledged.filter((key) => store.get("records", key) === undefined);
      assert.deepEqual(missing.slice(0, 5), [], `${missing.length} of ${acknowledged.length} acknowledged records lost`);
    } finally {
      await store.close();
    }
  });
});
