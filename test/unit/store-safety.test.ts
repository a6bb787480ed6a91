// Data safety of DurableStore under failures, proven with an injected file system: a full disk (or a failed fsync or
// rename) during compaction leaves the previous snapshot and the journal intact and backs off; a failed journal write
// leaves no trace in memory (nor later on disk); transactions undo unexpected failures; "/" in group and user names
// cannot make memberships collide; the operations' SignUp answered with an error leaves no user.
import { after, describe, it } from "node:test";
import * as assert from "node:assert/strict";
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
const record = (i: number) => ({ i, padding: "x".repeat(200) });

type Step = "write" | "short write then ENOSPC" | "fsync" | "rename" | "directory fsync";

/** node:fs, except that the compaction step `step` fails (on the snapshot's temporary file, or the directory). */
function failingCompaction(dir: string, step: Step): StoreFileSystem {
  let tmpFd = -1;
  let dirFd = -1;
  let shortWritten = false;
  return {
    ...fs,
    openSync: ((p: fs.PathLike, flags?: fs.OpenMode, mode?: fs.Mode) => {
      const fd = fs.openSync(p, flags ?? "r", mode);
      if (String(p).endsWith(".tmp")) tmpFd = fd;
      if (String(p) === dir) dirFd = fd;
      return fd;
    }) as typeof fs.openSync,
    writeSync: ((fd: number, ...rest: unknown[]) => {
      if (fd === tmpFd && step === "write") throw ioError("ENOSPC");
      if (fd === tmpFd && step === "short write then ENOSPC") {
        if (shortWritten) throw ioError("ENOSPC");
        shortWritten = true;
        const [buffer, offset, length] = rest as [Buffer, number, number];
        return fs.writeSync(fd, buffer, offset, Math.max(1, Math.floor(length / 3)));
      }
      return (fs.writeSync as (...a: unknown[]) => number)(fd, ...rest);
    }) as typeof fs.writeSync,
    fsyncSync: ((fd: number) => {
      if (fd === tmpFd && step === "fsync") throw ioError("EIO");
      if (fd === dirFd && step === "directory fsync") throw ioError("EIO");
      return fs.fsyncSync(fd);
    }) as typeof fs.fsyncSync,
    renameSync: ((from: fs.PathLike, to: fs.PathLike) => {
      if (step === "rename") throw ioError("EIO");
      return fs.renameSync(from, to);
    }) as typeof fs.renameSync,
  };
}

describe("compaction under a full disk or failing I/O", () => {
  for (const step of ["write", "short write then ENOSPC", "fsync", "rename", "directory fsync"] as const) {
    it(`a failing ${step} keeps the previous snapshot and the journal, and backs off`, async () => {
      const dir = tempDir();
      const first = await DurableStore.open(dir, { minCompactionBytes: 4096 });
      for (let i = 0; i < 40; i++) {
        first.put("users", `u${i}`, record(i));
        await first.commit();
      }
      assert.ok(first.compactions >= 1, "a first snapshot was written");
      await first.close();
      const snapshotBefore = fs.readFileSync(path.join(dir, "snapshot.log"));

      let now = 1_000_000;
      const store = await DurableStore.open(dir, { minCompactionBytes: 4096, fs: failingCompaction(dir, step), clock: () => now });
      for (let i = 40; i < 200; i++) {
        store.put("users", `u${i}`, record(i));
        await store.commit(); // every write is still acknowledged
      }
      if (step === "directory fsync") {
        // The new snapshot may be in place, but the journal was not emptied after it: both describe the same state.
        assert.ok(fs.statSync(path.join(dir, "journal.log")).size > 4096);
      } else {
        assert.deepEqual(fs.readFileSync(path.join(dir, "snapshot.log")), snapshotBefore, "the previous snapshot is untouched");
      }
      assert.equal(store.compactionFailures, 1, "after a failure, compaction waits instead of retrying after every write");
      now += 1_500; // past the first pause: the next write tries again (and fails again here), the pause doubles
      store.put("users", "u200", record(200));
      await store.commit();
      assert.equal(store.compactionFailures, 2);
      for (let i = 201; i < 260; i++) {
        store.put("users", `u${i}`, record(i));
        await store.commit();
      }
      assert.equal(store.compactionFailures, 2);
      assert.equal(fs.existsSync(path.join(dir, "snapshot.log.tmp")), false, "no partial snapshot is left behind");
      await store.close();

      const reopened = await DurableStore.open(dir);
      for (let i = 0; i < 260; i++) assert.deepEqual(reopened.get("users", `u${i}`), record(i), `u${i} survived`);
      await reopened.close();
    });
  }
});

/** node:fs whose journal fdatasync fails while `failing()` says so. */
function failingJournalSync(failing: () => boolean): StoreFileSystem {
  return {
    ...fs,
    fdatasync: ((fd: number, callback: (e: NodeJS.ErrnoException | null) => void) => {
      if (failing()) return process.nextTick(() => callback(ioError("EIO")));
      return fs.fdatasync(fd, callback);
    }) as typeof fs.fdatasync,
  };
}

describe("a failed journal write leaves no trace", () => {
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
