// Unit tests of DurableStore, the SQLite database under the local Cognito service's state: what commit() promises,
// durable sorted sets, checkpoints, reopening, owner-only file modes, and the one-time import of earlier versions'
// snapshot + journal directories (with their torn or corrupt tails).
import { after, describe, it, test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { compareCodePoints, DurableStore } from "../../lib/service/store";

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
    await reopened.close();
  });

  it("keeps sorted sets in code point order, pages through them, and keeps them across a reopen", async () => {
    const dir = tempDir();
    const store = await DurableStore.open(dir);
    const set = store.sortedSet("pool\0email");
    const members = Array.from({ length: 3000 }, (_, i) => `m${String(i).padStart(5, "0")}`);
    for (const m of [...members].reverse()) set.add(m);
    set.add("m00001"); // already there
    // U+FFFF sorts before an astral character by code point (UTF-8, SQLite's order), after it by UTF-16 code unit.
    set.add("\uffff");
    set.add("\u{1f600}");
    assert.equal(set.size, 3002);
    assert.equal(set.delete("m00002"), true);
    assert.equal(set.delete("m00002"), false);
    assert.equal(set.has("m00003"), true);
    assert.equal(set.has("m00002"), false);
    await store.commit();
    await store.close();

    const reopened = await DurableStore.open(dir);
    const again = reopened.sortedSet("pool\0email");
    const all = [...again.from("")];
    const expected = [...members.filter((m) => m !== "m00002"), "\uffff", "\u{1f600}"];
    assert.deepEqual(all, expected, "every member once, ascending, across page boundaries");
    assert.deepEqual([...expected].sort(compareCodePoints), expected, "compareCodePoints agrees with the database");
    assert.ok(compareCodePoints("\uffff", "\u{1f600}") < 0 && "\uffff" > "\u{1f600}");
    assert.deepEqual([...again.from("m02998", true)], ["m02999", "\uffff", "\u{1f600}"]);
    assert.deepEqual([...again.from("m02998")].slice(0, 2), ["m02998", "m02999"]);
    assert.deepEqual([...reopened.sortedSet("another").from("")], [], "sets are apart");
    assert.equal(again.size, 3001);
    await reopened.close();
  });

  it("keeps every record through many checkpoints of a large store", async () => {
    const dir = tempDir();
    const store = await DurableStore.open(dir, { checkpointPages: 16 });
    const blob = "x".repeat(4 * 1024);
    for (let batch = 0; batch < 20; batch++) {
      for (let i = 0; i < 100; i++) store.put("users", `u${batch * 100 + i}`, { i: batch * 100 + i, blob });
      if (batch === 3) store.delete("users", "u7");
      await store.commit();
    }
    assert.ok(fs.statSync(path.join(dir, "store.sqlite-wal")).size < 4 * 1024 * 1024, "the WAL is checkpointed as it grows");
    store.delete("users", "u8");
    store.put("users", "u9", { i: 9, changed: true });
    await store.close();

    const reopened = await DurableStore.open(dir);
    const users = reopened.entries<{ i: number; changed?: boolean }>("users");
    assert.equal(users.size, 2000 - 2);
    assert.equal(reopened.size("users"), 2000 - 2);
    assert.equal(users.get("u7"), undefined);
    assert.equal(users.get("u8"), undefined);
    assert.deepEqual(users.get("u9"), { i: 9, changed: true });
    assert.equal(users.get("u1999")?.i, 1999);
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
    await store.commit();
    assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
    for (const file of ["store.sqlite", "store.sqlite-wal", "store.sqlite-shm"]) {
      assert.equal(fs.statSync(path.join(dir, file)).mode & 0o777, 0o600, file);
    }
    await store.close();
    assert.equal(fs.statSync(path.join(dir, "store.sqlite")).mode & 0o777, 0o600);
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

test("imports the data directories of earlier versions once (snapshot.json and JSON-array journal lines)", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "store-legacy-"));
  try {
    fs.writeFileSync(path.join(dir, "snapshot.json"), JSON.stringify({ users: { a: { name: "alice" }, b: { name: "bob" } } }));
    fs.writeFileSync(journalOf(dir), `${JSON.stringify(["put", "users", "c", { name: "carol" }])}\n${JSON.stringify(["del", "users", "b"])}\n`);
    const store = await DurableStore.open(dir);
    assert.deepEqual([...store.entries("users").keys()], ["a", "c"]);
    store.put("users", "d", { name: "dave" });
    store.delete("users", "a");
    await store.close();
    assert.equal(fs.existsSync(path.join(dir, "snapshot.json")), false, "the old files are moved aside");
    assert.equal(fs.existsSync(path.join(dir, "snapshot.json.imported")), true);
    const reopened = await DurableStore.open(dir);
    assert.deepEqual([...reopened.entries("users").keys()].sort(), ["c", "d"], "imported once: later changes stay");
    await reopened.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("imports a snapshot.log and journal, ignoring a torn or corrupt journal tail that was never acknowledged", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "store-legacy-"));
  try {
    const line = (c: string, k: string, v?: unknown) => `${JSON.stringify(c)}\t${JSON.stringify(k)}${v === undefined ? "" : `\t${JSON.stringify(v)}`}\n`;
    fs.writeFileSync(snapshotOf(dir), `${line("users", "a", { name: "alice" })}${line("users", "b", { name: "bob" })}END\t2\n`);
    fs.writeFileSync(journalOf(dir), `${line("users", "b")}${line("pools", "p", { id: "p" })}\u0000garbage{]\n${line("users", "z", { late: true })}`);
    const store = await DurableStore.open(dir);
    assert.deepEqual([...store.entries("users").keys()], ["a"]);
    assert.deepEqual(store.get("pools", "p"), { id: "p" });
    assert.equal(store.get("users", "z"), undefined, "nothing after the corrupt line");
    await store.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
