// Unit tests of DurableStore, the journal + snapshot under the local Cognito service's state: what commit() promises,
// recovery from a torn or corrupt journal tail, compaction into a snapshot, reopening, and owner-only file modes.
import { after, describe, it, test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DurableStore } from "../../lib/service/store";

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cognito-store-"));
  dirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

const journalOf = (dir: string) => path.join(dir, "journal.log");
const snapshotOf = (dir: string) => path.join(dir, "snapshot.log");

/** Fails instead of hanging when a promise never settles. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

describe("DurableStore", () => {
  it("keeps committed puts and deletes across a reopen", async () => {
    const dir = tempDir();
    const store = await DurableStore.open(dir);
    store.put("users", "a", { name: "alice", n: 1 });
    store.put("users", "b", { name: "bob" });
    store.put("pools", "p", { id: "p" });
    store.put("users", "a", { name: "alice", n: 2 });
    store.delete("users", "b");
    store.delete("users", "never-there"); // a no-op, not a journal record
    await store.commit();
    await store.close();

    const reopened = await DurableStore.open(dir);
    assert.deepEqual(reopened.get("users", "a"), { name: "alice", n: 2 });
    assert.equal(reopened.get("users", "b"), undefined);
    assert.deepEqual(reopened.get("pools", "p"), { id: "p" });
    assert.deepEqual([...reopened.entries("users").keys()], ["a"]);
    assert.equal(fs.readFileSync(journalOf(dir), "utf8").trim().split("\n").length, 5, "four puts and one real delete");
    await reopened.close();
  });

  it("ignores a torn last line, truncates it away, and appends cleanly after it", async () => {
    const dir = tempDir();
    const store = await DurableStore.open(dir);
    store.put("users", "a", { name: "alice" });
    store.put("users", "b", { name: "bob" });
    await store.close();
    const good = fs.statSync(journalOf(dir)).size;
    // A write the process never finished (and so never acknowledged): half a record, no newline.
    fs.appendFileSync(journalOf(dir), '["put","users","c",{"name":"car');

    const reopened = await DurableStore.open(dir);
    assert.deepEqual(reopened.get("users", "a"), { name: "alice" });
    assert.deepEqual(reopened.get("users", "b"), { name: "bob" });
    assert.equal(reopened.get("users", "c"), undefined);
    assert.equal(fs.statSync(journalOf(dir)).size, good, "the torn tail is cut off");
    reopened.put("users", "d", { name: "dave" });
    await reopened.close();

    const third = await DurableStore.open(dir);
    assert.deepEqual(third.get("users", "d"), { name: "dave" }, "a record written after recovery is not glued to the torn tail");
    assert.deepEqual([...third.entries("users").keys()].sort(), ["a", "b", "d"]);
    await third.close();
  });

  it("ignores a corrupt last line that does end in a newline", async () => {
    const dir = tempDir();
    const store = await DurableStore.open(dir);
    store.put("users", "a", { name: "alice" });
    await store.close();
    fs.appendFileSync(journalOf(dir), "\u0000\u0000garbage{]\n");
    const reopened = await DurableStore.open(dir);
    assert.deepEqual(reopened.get("users", "a"), { name: "alice" });
    assert.equal(reopened.entries("users").size, 1);
    await reopened.close();
  });

  it("compacts a large journal into a snapshot without losing or resurrecting records", async () => {
    const dir = tempDir();
    const store = await DurableStore.open(dir);
    const blob = "x".repeat(16 * 1024);
    // Past the 8 MiB compaction threshold, committed in batches as the service does.
    for (let batch = 0; batch < 12; batch++) {
      for (let i = 0; i < 50; i++) store.put("users", `u${batch * 50 + i}`, { i: batch * 50 + i, blob });
      if (batch === 3) store.delete("users", "u7");
      await store.commit();
    }
    assert.ok(fs.existsSync(snapshotOf(dir)), "a snapshot was written");
    const journalAfterCompaction = fs.statSync(journalOf(dir)).size;
    assert.ok(journalAfterCompaction < 8 * 1024 * 1024, `journal restarted after compaction (${journalAfterCompaction} bytes)`);
    // Changes after the compaction land in the new journal, on top of the snapshot.
    store.delete("users", "u8");
    store.put("users", "u9", { i: 9, changed: true });
    await store.close();

    const reopened = await DurableStore.open(dir);
    const users = reopened.entries<{ i: number; changed?: boolean }>("users");
    assert.equal(users.size, 600 - 2);
    assert.equal(users.get("u7"), undefined, "deleted before the compaction");
    assert.equal(users.get("u8"), undefined, "deleted after the compaction");
    assert.deepEqual(users.get("u9"), { i: 9, changed: true });
    assert.equal(users.get("u599")?.i, 599);
    await reopened.close();
  });

  it("resolves every commit, including one that wrote nothing while a flush was running", async () => {
    const dir = tempDir();
    const store = await DurableStore.open(dir);
    store.put("users", "a", { name: "alice" });
    const writer = store.commit();
    // A read-only operation finishing now must wait for the flush in progress, then be answered too.
    const reader = store.commit();
    await within(Promise.all([writer, reader]), 5_000, "commit()");
    // And with many interleaved writers and readers (group commit).
    const commits: Array<Promise<void>> = [];
    for (let i = 0; i < 200; i++) {
      if (i % 3 !== 0) store.put("users", `k${i}`, { i });
      commits.push(store.commit());
    }
    await within(Promise.all(commits), 10_000, "200 interleaved commits");
    await store.close();
    const reopened = await DurableStore.open(dir);
    assert.equal(reopened.entries("users").size, 1 + 133);
    await reopened.close();
  });

  it("creates its directory and files readable by the owner only", async () => {
    const dir = path.join(tempDir(), "nested", "state");
    const store = await DurableStore.open(dir);
    store.put("users", "a", { name: "alice" });
    await store.close();
    assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
    assert.equal(fs.statSync(journalOf(dir)).mode & 0o777, 0o600);
  });

  it("refuses writes after close", async () => {
    const store = await DurableStore.open(tempDir());
    await store.close();
    assert.throws(() => store.put("users", "a", {}), /closed/);
  });
});

test("a stale LOCK file (the pid of a dead process) never blocks an open; a second open in this process is refused", async () => {
  const lockDir = fs.mkdtempSync(path.join(os.tmpdir(), "store-lock-"));
  try {
    fs.writeFileSync(path.join(lockDir, "LOCK"), "999999999");
    const store = await DurableStore.open(lockDir);
    assert.equal(fs.readFileSync(path.join(lockDir, "LOCK"), "utf8"), String(process.pid));
    await assert.rejects(DurableStore.open(lockDir), /already open in this process/);
    await store.close();
    assert.equal(fs.existsSync(path.join(lockDir, "LOCK")), false);
    const again = await DurableStore.open(lockDir);
    await again.close();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
});

test("reads the data directories of earlier versions (snapshot.json and JSON-array journal lines)", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "store-legacy-"));
  try {
    fs.writeFileSync(path.join(dir, "snapshot.json"), JSON.stringify({ users: { a: { name: "alice" }, b: { name: "bob" } } }));
    fs.writeFileSync(journalOf(dir), `${JSON.stringify(["put", "users", "c", { name: "carol" }])}\n${JSON.stringify(["del", "users", "b"])}\n`);
    const store = await DurableStore.open(dir, { minCompactionBytes: 1 });
    assert.deepEqual([...store.entries("users").keys()], ["a", "c"]);
    store.put("users", "d", { name: "dave" }); // a journal past the (tiny) threshold: compacts into the new format
    await store.commit();
    assert.equal(store.compactions, 1);
    await store.close();
    assert.equal(fs.existsSync(path.join(dir, "snapshot.json")), false);
    const reopened = await DurableStore.open(dir);
    assert.deepEqual(reopened.get("users", "d"), { name: "dave" });
    assert.deepEqual([...reopened.entries("users").keys()].sort(), ["a", "c", "d"]);
    await reopened.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
