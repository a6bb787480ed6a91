// Data safety of DurableStore under failures: a full disk (the database at its page limit, and a real tmpfs that runs
// out of space) refuses the write that does not fit and keeps every acknowledged one; a failed fdatasync (injected)
// leaves no trace in the store (nor later on disk); transactions undo unexpected failures; "/" in group and user names
// cannot make memberships collide; the operations' SignUp answered with an error leaves no user.
import { after, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DurableStore, type StoreFileSystem } from "../../lib/service/store";
import { CognitoState } from "../../lib/service/state";
import { ServiceContext } from "../../lib/service/context";
import { identityProviderOperations } from "../../lib/service";
import { CognitoError } from "../../lib/service/errors";

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "store-safety-"));
  dirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

const ioError = (code: string) => Object.assign(new Error(`${code}: injected failure`), { code });

/** Writes records one transaction at a time until one is refused; returns how many were acknowledged, and the error. */
async function fillUntilRefused(store: DurableStore, prefix: string, size: number): Promise<{ acknowledged: number; error: unknown }> {
  for (let i = 0; i < 100_000; i++) {
    try {
      await store.transaction(() => store.put("users", `${prefix}${i}`, { i, padding: "x".repeat(size) }));
    } catch (error) {
      return { acknowledged: i, error };
    }
  }
  throw new Error("the disk never filled up");
}

/** A tmpfs of `kib` KiB mounted for the test (needs root; undefined where mounting is not allowed). */
function smallDisk(kib: number): { dir: string; unmount(): void } | undefined {
  const dir = tempDir();
  const mounted = spawnSync("mount", ["-t", "tmpfs", "-o", `size=${kib}k`, "tmpfs", dir]);
  if (mounted.status !== 0) return undefined;
  return { dir: path.join(dir, "state"), unmount: () => spawnSync("umount", ["-l", dir]) };
}

describe("a full disk", () => {
  it("refuses the write that does not fit, keeps every acknowledged one, and accepts writes again once there is room (database at its size limit)", async () => {
    const dir = tempDir();
    const store = await DurableStore.open(dir, { maxPages: 96 });
    const seen: string[] = [];
    store.onChange((_c, k, before, afterText) => seen.push(`${k}:${before === undefined ? "-" : "v"}>${afterText === undefined ? "-" : "v"}`));
    const { acknowledged, error } = await fillUntilRefused(store, "u", 2000);
    assert.match(String(error), /full/i);
    assert.ok(acknowledged > 20, `${acknowledged} writes fitted`);
    assert.equal(store.get("users", `u${acknowledged}`), undefined, "the refused write left nothing");
    assert.equal(seen.at(-1), `u${acknowledged - 1}:->v`, "the refused write changed nothing the listeners saw");
    for (let i = 0; i < 10; i++) store.delete("users", `u${i}`);
    await store.commit();
    await store.transaction(() => store.put("users", "after", { ok: true }));
    await store.close();
    const reopened = await DurableStore.open(dir);
    for (let i = 10; i < acknowledged; i++) assert.equal(reopened.get<{ i: number }>("users", `u${i}`)?.i, i, `u${i} survived`);
    assert.equal(reopened.get("users", `u${acknowledged}`), undefined);
    assert.deepEqual(reopened.get("users", "after"), { ok: true });
    await reopened.close();
  });

  it("never keeps a user without its index entries, or entries without their user, whichever write hits the limit", async () => {
    const dir = tempDir();
    const store = await DurableStore.open(dir, { maxPages: 160 });
    const state = new CognitoState(store);
    const ctx = new ServiceContext(state, "us-east-1", () => undefined);
    const ops = identityProviderOperations(ctx);
    const run = (name: string, input: Record<string, unknown>) => state.transaction(() => ops[name](input));
    const pool = (await run("CreateUserPool", { PoolName: "full", AliasAttributes: ["email"] })) as { UserPool: { Id: string } };
    const UserPoolId = pool.UserPool.Id;
    let created = 0;
    for (; created < 5000; created++) {
      const attributes = [{ Name: "email", Value: `user${created}@full.example` }, { Name: "given_name", Value: "g".repeat(200 + (created % 7) * 50) }];
      try {
        await run("AdminCreateUser", { UserPoolId, Username: `user${created}`, UserAttributes: attributes, MessageAction: "SUPPRESS" });
      } catch (e) {
        assert.match(String(e), /full/i);
        break;
      }
    }
    assert.ok(created > 10 && created < 5000, `${created} users fitted`);
    await store.close();
    const reopened = await DurableStore.open(dir);
    const again = new CognitoState(reopened);
    assert.equal(reopened.size("users"), created, "exactly the acknowledged users");
    assert.equal(again.userCount(UserPoolId), created, "the listing index agrees");
    const poolRecord = again.pool(UserPoolId)!;
    for (let i = 0; i < created; i++) assert.equal(again.findUser(poolRecord, `user${i}`)?.username, `user${i}`);
    const listed = again.listUsers(poolRecord, { attribute: "email", operator: "^=", value: "user" }, undefined, 60);
    assert.equal(listed.users.length, Math.min(60, created));
    await reopened.close();
  });

  it("on a real file system that runs out of space: the refused write leaves no trace, the restart keeps every acknowledged one", async (t) => {
    const disk = smallDisk(768);
    if (!disk) return t.skip("mounting a small tmpfs needs root");
    try {
      const store = await DurableStore.open(disk.dir);
      const { acknowledged, error } = await fillUntilRefused(store, "u", 4000);
      assert.match(String(error), /full|ENOSPC/i);
      assert.ok(acknowledged > 10, `${acknowledged} writes fitted`);
      assert.equal(store.get("users", `u${acknowledged}`), undefined, "the refused write left nothing");
      for (let i = 0; i < 20; i++) store.delete("users", `u${i}`);
      await store.commit().catch(() => undefined); // deleting may itself need WAL room; either way nothing acknowledged is lost
      await store.close().catch(() => undefined);
      const reopened = await DurableStore.open(disk.dir);
      for (let i = 20; i < acknowledged; i++) assert.equal(reopened.get<{ i: number }>("users", `u${i}`)?.i, i, `u${i} survived`);
      assert.equal(reopened.get("users", `u${acknowledged}`), undefined);
      await reopened.close();
    } finally {
      disk.unmount();
    }
  });
});

/** node:fs whose fdatasync (of the WAL) fails while `failing()` says so. */
function failingJournalSync(failing: () => boolean): StoreFileSystem {
  return {
    ...fs,
    fdatasync: ((fd: number, callback: (e: NodeJS.ErrnoException | null) => void) => {
      if (failing()) return process.nextTick(() => callback(ioError("EIO")));
      return fs.fdatasync(fd, callback);
    }) as typeof fs.fdatasync,
  };
}

describe("a failed fdatasync leaves no trace", () => {
  it("undoes the changes in memory, tells the listeners, and a later write does not make them durable", async () => {
    const dir = tempDir();
    let fail = false;
    const store = await DurableStore.open(dir, { fs: failingJournalSync(() => fail) });
    store.put("users", "a", { v: 1 });
    await store.commit();
    const seen: string[] = [];
    store.onChange((c, k, before, afterText) => seen.push(`${k}:${before ?? "-"}>${afterText ?? "-"}`));
    fail = true;
    store.put("users", "a", { v: 2 });
    store.put("users", "b", { v: 1 });
    await assert.rejects(store.commit(), /EIO/);
    fail = false;
    assert.deepEqual(store.get("users", "a"), { v: 1 });
    assert.equal(store.get("users", "b"), undefined);
    assert.deepEqual(seen.slice(2), ['b:{"v":1}>-', 'a:{"v":2}>{"v":1}'], "listeners saw the undo, newest first");
    store.put("users", "c", { v: 1 });
    await store.commit();
    await store.close();
    const reopened = await DurableStore.open(dir);
    assert.deepEqual(reopened.get("users", "a"), { v: 1 });
    assert.equal(reopened.get("users", "b"), undefined);
    assert.deepEqual(reopened.get("users", "c"), { v: 1 });
    await reopened.close();
  });

  it("a transaction undoes its writes on an unexpected error, keeps them on an expected one, and fails if a flush undid them", async () => {
    const dir = tempDir();
    let fail = false;
    const store = await DurableStore.open(dir, { fs: failingJournalSync(() => fail) });
    await assert.rejects(store.transaction(() => {
      store.put("users", "crash", {});
      throw new TypeError("bug");
    }), TypeError);
    assert.equal(store.get("users", "crash"), undefined);
    const expected = (e: unknown) => e instanceof CognitoError;
    await assert.rejects(store.transaction(() => {
      store.put("attempts", "u", { failed: 1 });
      throw new CognitoError("NotAuthorizedException", "Incorrect username or password.");
    }, expected), CognitoError);
    assert.deepEqual(store.get("attempts", "u"), { failed: 1 });
    // A transaction still running when another's flush fails: its earlier write was undone, so it must fail too.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = store.transaction(async () => {
      store.put("users", "slow", { step: 1 });
      await gate;
      store.put("users", "slow-2", { step: 2 });
    });
    fail = true;
    await assert.rejects(store.commit(), /EIO/);
    fail = false;
    release();
    await assert.rejects(slow, /EIO/);
    assert.equal(store.get("users", "slow"), undefined);
    assert.equal(store.get("users", "slow-2"), undefined);
    await store.close();
    const reopened = await DurableStore.open(dir);
    assert.equal(reopened.get("users", "crash"), undefined);
    assert.equal(reopened.get("users", "slow-2"), undefined);
    assert.deepEqual(reopened.get("attempts", "u"), { failed: 1 });
    await reopened.close();
  });

  it("a SignUp answered with an error leaves no user; a retry succeeds; the restart agrees", async () => {
    const dir = tempDir();
    let fail = false;
    const store = await DurableStore.open(dir, { fs: failingJournalSync(() => fail) });
    const state = new CognitoState(store);
    const ctx = new ServiceContext(state, "us-east-1", () => undefined);
    const ops = identityProviderOperations(ctx);
    const run = (name: string, input: Record<string, unknown>) => state.transaction(() => ops[name](input));
    const pool = (await run("CreateUserPool", { PoolName: "p" })) as { UserPool: { Id: string } };
    const UserPoolId = pool.UserPool.Id;
    const client = (await run("CreateUserPoolClient", { UserPoolId, ClientName: "c" })) as { UserPoolClient: { ClientId: string } };
    const signUp = { ClientId: client.UserPoolClient.ClientId, Username: "alice", Password: "Passw0rd!x", UserAttributes: [{ Name: "email", Value: "alice@example.com" }] };
    fail = true;
    await assert.rejects(run("SignUp", signUp), /EIO/);
    fail = false;
    await assert.rejects(run("AdminGetUser", { UserPoolId, Username: "alice" }), /User does not exist/);
    assert.equal(state.userCount(UserPoolId), 0);
    await run("SignUp", signUp); // not UsernameExistsException
    await store.close();
    const reopened = await DurableStore.open(dir);
    const again = new CognitoState(reopened);
    assert.equal(again.userCount(UserPoolId), 1);
    await reopened.close();
  });
});

describe("group memberships with '/' in names", () => {
  it("keeps group 'a/b' with user 'c' apart from group 'a' with user 'b/c', across a restart", async () => {
    const dir = tempDir();
    const store = await DurableStore.open(dir);
    const state = new CognitoState(store);
    state.addToGroup("us-east-1_P", "a/b", "c");
    state.addToGroup("us-east-1_P", "a", "b/c");
    await state.commit();
    await store.close();
    const reopened = await DurableStore.open(dir);
    const again = new CognitoState(reopened);
    assert.deepEqual([...again.usernamesInGroup("us-east-1_P", "a/b")], ["c"]);
    assert.deepEqual([...again.usernamesInGroup("us-east-1_P", "a")], ["b/c"]);
    again.removeFromGroup("us-east-1_P", "a", "b/c");
    assert.deepEqual([...again.usernamesInGroup("us-east-1_P", "a/b")], ["c"]);
    await reopened.close();
  });
});
