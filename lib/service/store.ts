// Durable state of the local Cognito service: keyed collections of JSON records, and sorted string sets (the user
// indexes), in one SQLite database (better-sqlite3, WAL mode). Nothing is replayed at start and nothing but small
// caches is held in memory, so a pool of a million users opens at once and costs its page cache, not its size.
//
// Every change goes straight into an open SQLite transaction (reads see it at once). commit() is group commit: one
// COMMIT takes every change that arrived meanwhile, then the WAL is fdatasync'ed off the event loop, and only then are
// the callers answered. SQLite checkpoints the WAL into the database incrementally (a thousand pages at a time); a
// kill -9 at any moment leaves the last committed state.
//
// What a client is told failed leaves no trace: when a COMMIT fails (a full disk) SQLite rolls it back; when the
// fdatasync after it fails, the changes are undone by writing the earlier values back. Either way the listeners see
// the undo, and the transactions the changes belong to fail. An operation run through `transaction()` that throws an
// unexpected error has its own changes undone. One process at a time owns a data directory, through a lock the kernel
// releases when its owner dies (see acquireLock). Directories of earlier versions (snapshot + journal) are imported
// once (./legacy-store.ts).
import Database from "better-sqlite3";
import { AsyncLocalStorage } from "node:async_hooks";
import { createHash } from "node:crypto";
import * as nodeFs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { hasLegacyState, LEGACY_FILES, readLegacyState } from "./legacy-store";

const DATABASE_FILE = "store.sqlite";
/** Informational: the pid of the owner, for the message a second process gets. The lock itself is a socket. */
const OWNER_FILE = "LOCK";
/** How long a new owner waits for a dying owner (kill -9 of a big process takes a while) to release the lock. */
const LOCK_WAIT_MS = 60_000;
/** SQLite's page cache (the database's hot pages stay in memory; the rest is read from the OS's file cache). */
const DEFAULT_CACHE_MIB = 128;
/** Rows fetched per query while iterating a sorted set. */
const FIRST_PAGE = 64;
const NEXT_PAGE = 1024;

/** The file-system calls the store makes itself (SQLite does its own I/O): tests inject failures (EIO on fdatasync). */
export type StoreFileSystem = Pick<
  typeof nodeFs,
  "openSync" | "closeSync" | "fdatasync" | "rmSync" | "readFileSync" | "existsSync" | "mkdirSync" | "statSync" | "writeFileSync" | "renameSync"
>;

export interface StoreOptions {
  /** Injectable file system (default node:fs). */
  fs?: StoreFileSystem;
  /** Most pages (4 KiB) the database may have: a full disk, for tests. */
  maxPages?: number;
  /** WAL pages after which a commit checkpoints (SQLite's default 1000); small values let tests hit checkpoints. */
  checkpointPages?: number;
  /** SQLite page cache in MiB (default 128). */
  cacheMiB?: number;
}

/** One change not yet known to be durable (or made by a transaction still running): what to put back to undo it. */
interface Change {
  collection: string;
  key: string;
  before: string | undefined;
  after: string | undefined;
  transaction: Transaction | undefined;
}

/** The changes one operation made, so that they can be undone if it fails. */
class Transaction {
  readonly changes: Change[] = [];
  /** Set when a failed commit undid some of this transaction's changes. */
  failure: unknown;
}

/** Called on every change of a record (also when a change is undone), with the serialized texts before and after. */
export type ChangeListener = (collection: string, key: string, before: string | undefined, after: string | undefined) => void;

const currentTransaction = new AsyncLocalStorage<Transaction>();

type Statement = Database.Statement<unknown[], unknown>;

/** A set of named collections of JSON records that survive `kill -9` once `commit()` resolves. */
export class DurableStore {
  /** Parsed records of the few small collections read on every request (pools, clients): see cacheParsed. */
  private readonly parsed = new Map<string, Map<string, unknown>>();
  private readonly listeners: ChangeListener[] = [];
  private readonly sets = new Map<string, DurableSortedSet>();
  private readonly sql: Record<"get" | "put" | "delete" | "all" | "count" | "meta" | "setMeta", Statement>;
  /** Changes not yet durable, oldest first: those of the COMMIT being synced (`syncing` of them), then later ones. */
  private unflushed: Change[] = [];
  private syncing = 0;
  private waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  private flushing = false;
  private closed = false;

  private constructor(
    private readonly dir: string,
    private readonly fs: StoreFileSystem,
    private readonly db: Database.Database,
    private readonly walFd: number,
    private readonly lock: net.Server,
  ) {
    this.sql = {
      get: db.prepare("SELECT value FROM records WHERE collection = ? AND key = ?").pluck(),
      put: db.prepare("INSERT INTO records (collection, key, value) VALUES (?, ?, ?) ON CONFLICT (collection, key) DO UPDATE SET value = excluded.value"),
      delete: db.prepare("DELETE FROM records WHERE collection = ? AND key = ?"),
      all: db.prepare("SELECT key, value FROM records WHERE collection = ? ORDER BY id"),
      count: db.prepare("SELECT count(*) FROM records WHERE collection = ?").pluck(),
      meta: db.prepare("SELECT value FROM meta WHERE key = ?").pluck(),
      setMeta: db.prepare("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
    };
  }

  /**
   * Opens (or creates) the store in `dir`. One process at a time: a second live process is refused; a dead owner's
   * lock is released by the kernel, and a restart waits for that if needed.
   */
  static async open(dir: string, options: StoreOptions = {}): Promise<DurableStore> {
    const fs = options.fs ?? nodeFs;
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const lock = await acquireLock(dir, fs);
    let db: Database.Database | undefined;
    let walFd = -1;
    try {
      const file = path.join(dir, DATABASE_FILE);
      const fresh = !fs.existsSync(file);
      // SQLite gives its -wal and -shm files the database file's permissions: owner only.
      if (fresh) fs.writeFileSync(file, "", { mode: 0o600 });
      db = new Database(file);
      db.pragma("journal_mode = WAL");
      // The COMMIT writes the WAL; the store then fdatasyncs it itself, off the event loop (see flush).
      db.pragma("synchronous = NORMAL");
      db.pragma(`cache_size = ${-1024 * (options.cacheMiB ?? DEFAULT_CACHE_MIB)}`);
      // The savepoint of each change (see change()) keeps its undo pages in memory, not in a temporary file.
      db.pragma("temp_store = MEMORY");
      db.pragma(`wal_autocheckpoint = ${options.checkpointPages ?? 1000}`);
      if (options.maxPages !== undefined) db.pragma(`max_page_count = ${options.maxPages}`);
      db.exec(SCHEMA);
      if (hasLegacyState(fs, dir)) importLegacy(db, fs, dir);
      walFd = fs.openSync(`${file}-wal`, "r+");
      return new DurableStore(dir, fs, db, walFd, lock);
    } catch (e) {
      if (walFd >= 0) fs.closeSync(walFd);
      db?.close();
      lock.close();
      throw e;
    }
  }

  /** Keeps parsed copies of `collection`'s records (for small collections read often); get() then returns them. */
  cacheParsed(collection: string): void {
    if (!this.parsed.has(collection)) this.parsed.set(collection, new Map());
  }

  /** Calls `listener` on every later change, including undone ones. */
  onChange(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  /** The record `key` of `collection`, or undefined. */
  get<T>(collection: string, key: string): T | undefined {
    const cache = this.parsed.get(collection);
    const cached = cache?.get(key);
    if (cached !== undefined) return cached as T;
    const text = this.getText(collection, key);
    if (text === undefined) return undefined;
    const value = JSON.parse(text) as T;
    cache?.set(key, value);
    return value;
  }

  /** The serialized text of a record, or undefined. */
  getText(collection: string, key: string): string | undefined {
    return this.sql.get.get(collection, key) as string | undefined;
  }

  /** The keys and serialized texts of `collection`, in insertion order (a copy). */
  texts(collection: string): ReadonlyMap<string, string> {
    const out = new Map<string, string>();
    for (const row of this.sql.all.iterate(collection) as IterableIterator<{ key: string; value: string }>) out.set(row.key, row.value);
    return out;
  }

  /** Number of records in `collection`. */
  size(collection: string): number {
    return this.sql.count.get(collection) as number;
  }

  /** Every record of `collection`, parsed (a copy: safe to write while iterating it). */
  entries<T>(collection: string): Map<string, T> {
    const cache = this.parsed.get(collection);
    const out = new Map<string, T>();
    for (const [key, text] of this.texts(collection)) {
      let value = cache?.get(key) as T | undefined;
      if (value === undefined) {
        value = JSON.parse(text) as T;
        cache?.set(key, value);
      }
      out.set(key, value);
    }
    return out;
  }

  /** Sets `key` of `collection`; durable once commit() resolves. */
  put(collection: string, key: string, value: unknown): void {
    this.change(collection, key, JSON.stringify(value));
  }

  /** Sets `key` of `collection` to an already serialized JSON text. */
  putText(collection: string, key: string, text: string): void {
    this.change(collection, key, text);
  }

  /** Removes `key` of `collection`; durable once commit() resolves. */
  delete(collection: string, key: string): void {
    this.change(collection, key, undefined);
  }

  /** A value the store keeps for its users (the version of a derived structure, say), or undefined. */
  meta(key: string): string | undefined {
    return this.sql.meta.get(key) as string | undefined;
  }

  /** Sets a meta value, in the same transaction as the changes around it. */
  setMeta(key: string, value: string): void {
    this.writing(() => this.sql.setMeta.run(key, value));
  }

  /** The durable sorted set of strings named `name` (created empty on first use). */
  sortedSet(name: string): DurableSortedSet {
    let set = this.sets.get(name);
    if (!set) this.sets.set(name, (set = new DurableSortedSet(this.db, name, (write) => this.writing(write))));
    return set;
  }

  /**
   * Runs one operation as a unit: when it throws anything but an `expected` error, its changes are undone (and the undo
   * made durable) before the error propagates; when its changes were undone by a failed commit, it fails too.
   * Resolves once its outcome is durable.
   */
  async transaction<T>(run: () => T | Promise<T>, expected: (e: unknown) => boolean = () => false): Promise<T> {
    const txn = new Transaction();
    let result: T;
    try {
      result = await currentTransaction.run(txn, run);
    } catch (e) {
      if (!expected(e)) {
        this.undo(txn);
        await this.commit().catch(() => undefined);
        throw e;
      }
      await this.settle(txn);
      throw e;
    }
    await this.settle(txn);
    return result;
  }

  /** Waits for `txn`'s changes to be durable; throws (with them undone) if a commit failed on the way. */
  private async settle(txn: Transaction): Promise<void> {
    try {
      await this.commit();
    } catch (e) {
      txn.failure ??= e;
    }
    if (txn.failure !== undefined) {
      this.undo(txn);
      await this.commit().catch(() => undefined);
      throw txn.failure;
    }
  }

  /**
   * Resolves once every change made so far is on disk; rejects (with those changes undone) if writing it failed. The
   * COMMIT waits for the end of the current turn of the event loop (setImmediate, no timer): the requests that turn
   * served (the HTTP parser hands over several at once under load) share one COMMIT and one fdatasync.
   */
  commit(): Promise<void> {
    if (!this.db.inTransaction && !this.flushing) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  /** Commits what is pending, closes the database and releases the lock. */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.commit();
    } finally {
      this.closed = true;
      if (this.db.inTransaction) this.db.exec("ROLLBACK");
      this.db.close(); // checkpoints the WAL into the database
      this.fs.closeSync(this.walFd);
      this.fs.rmSync(path.join(this.dir, OWNER_FILE), { force: true });
      await new Promise<void>((resolve) => this.lock.close(() => resolve()));
    }
  }

  /** Runs an SQL write inside the open transaction (opening one if needed), noticing when SQLite rolled it back. */
  private writing<T>(write: () => T): T {
    if (this.closed) throw new Error("store is closed");
    if (!this.db.inTransaction) this.db.exec("BEGIN");
    try {
      return write();
    } catch (e) {
      // Most errors fail the statement only; some (a full disk) roll the whole transaction back.
      if (!this.db.inTransaction) this.rolledBack(e);
      throw e;
    }
  }

  /**
   * Writes one record and lets the listeners write what they derive from it (the user indexes), as one unit: a
   * savepoint, so that a failing write (a full disk) leaves neither half in the database, and the listeners are told
   * the change is undone.
   */
  private change(collection: string, key: string, after: string | undefined): void {
    if (this.closed) throw new Error("store is closed");
    const before = this.getText(collection, key);
    if (before === after) return;
    if (!this.db.inTransaction) this.db.exec("BEGIN");
    this.db.exec("SAVEPOINT change");
    let told = false;
    try {
      if (after === undefined) this.sql.delete.run(collection, key);
      else this.sql.put.run(collection, key, after);
      told = true;
      this.notify(collection, key, before, after);
      this.db.exec("RELEASE change");
    } catch (e) {
      const rolledBack = !this.db.inTransaction;
      if (!rolledBack) {
        this.db.exec("ROLLBACK TO change");
        this.db.exec("RELEASE change");
      }
      for (const set of this.sets.values()) set.forgetSize();
      try {
        // What the listeners keep in memory goes back too (their SQL writes are no-ops now).
        if (told) this.notify(collection, key, after, before);
      } catch {
        // the database refuses even those: the store's state is the rolled-back one either way
      }
      if (rolledBack) this.rolledBack(e);
      throw e;
    }
    const transaction = currentTransaction.getStore();
    const change: Change = { collection, key, before, after, transaction };
    this.unflushed.push(change);
    transaction?.changes.push(change);
  }

  private notify(collection: string, key: string, before: string | undefined, after: string | undefined): void {
    this.parsed.get(collection)?.delete(key);
    for (const listener of this.listeners) listener(collection, key, before, after);
  }

  /**
   * Undoes a transaction's changes, newest first. A record changed again since by another operation keeps that later
   * value (that operation saw this one's change and may already have been answered).
   */
  private undo(txn: Transaction): void {
    for (let i = txn.changes.length - 1; i >= 0; i--) {
      const c = txn.changes[i];
      if (this.closed || this.getText(c.collection, c.key) !== c.after) continue;
      currentTransaction.exit(() => this.change(c.collection, c.key, c.before));
    }
    txn.changes.length = 0;
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.db.inTransaction || this.waiters.length > 0) {
        const waiters = this.waiters;
        this.waiters = [];
        if (!this.db.inTransaction) {
          // Commits that arrived during the last fdatasync without writing anything: what they saw is durable now.
          for (const w of waiters) w.resolve();
          continue;
        }
        try {
          this.db.exec("COMMIT");
        } catch (e) {
          if (this.db.inTransaction) this.db.exec("ROLLBACK");
          this.rolledBack(e, waiters);
          continue;
        }
        const committed = this.unflushed.length;
        this.syncing = committed;
        try {
          await new Promise<void>((resolve, reject) => this.fs.fdatasync(this.walFd, (e) => (e ? reject(e) : resolve())));
        } catch (e) {
          this.syncing = 0;
          this.notDurable(e, waiters);
          continue;
        }
        this.syncing = 0;
        this.unflushed.splice(0, committed);
        for (const w of waiters) w.resolve();
      }
    } finally {
      this.flushing = false;
    }
  }

  /**
   * SQLite rolled the open transaction back (a failed COMMIT, or a write that failed it whole): its changes are gone
   * from the database; tell the listeners, newest first, fail their transactions and whoever waited for them.
   */
  private rolledBack(e: unknown, waiters: Array<{ reject: (e: unknown) => void }> = []): void {
    const lost = this.unflushed.splice(this.syncing);
    for (const set of this.sets.values()) set.forgetSize();
    for (let i = lost.length - 1; i >= 0; i--) {
      const c = lost[i];
      this.forget(c, e);
      this.notify(c.collection, c.key, c.after, c.before);
    }
    const waiting = [...waiters, ...this.waiters];
    this.waiters = [];
    for (const w of waiting) w.reject(e);
  }

  /**
   * A COMMIT went through but the fdatasync after it failed: nothing since the last durable point may be kept. Puts
   * every such record back as it was, newest first, with what the listeners derive from it, and commits that at once
   * (the next fdatasync covers it); fails their transactions and the waiters. If even that cannot be written, the
   * store refuses further writes.
   */
  private notDurable(e: unknown, waiters: Array<{ reject: (e: unknown) => void }>): void {
    const lost = this.unflushed;
    this.unflushed = [];
    for (const set of this.sets.values()) set.forgetSize();
    try {
      // One transaction: the records put back and what the listeners derive from them (the user indexes).
      if (!this.db.inTransaction) this.db.exec("BEGIN");
      for (let i = lost.length - 1; i >= 0; i--) {
        const c = lost[i];
        this.forget(c, e);
        if (c.before === undefined) this.sql.delete.run(c.collection, c.key);
        else this.sql.put.run(c.collection, c.key, c.before);
        this.notify(c.collection, c.key, c.after, c.before);
      }
      this.db.exec("COMMIT");
    } catch {
      if (this.db.inTransaction) this.db.exec("ROLLBACK");
      this.closed = true; // the database no longer matches what clients were told: refuse further writes
    }
    const waiting = [...waiters, ...this.waiters];
    this.waiters = [];
    for (const w of waiting) w.reject(e);
  }

  /** Drops an undone change from its transaction, which then fails with `e`. */
  private forget(c: Change, e: unknown): void {
    if (!c.transaction) return;
    c.transaction.failure ??= e;
    const at = c.transaction.changes.indexOf(c);
    if (at >= 0) c.transaction.changes.splice(at, 1);
  }
}

/**
 * A durable set of strings kept in sorted order, in the store's database and transactions (so it never disagrees
 * with the records it indexes). Strings compare by Unicode code point (SQLite's BINARY order of UTF-8; see
 * compareCodePoints). Adding, removing and finding cost a B-tree lookup; iterating from any point reads pages of rows.
 */
export class DurableSortedSet {
  private readonly id: number;
  private count: number | undefined;
  private readonly sql: Record<"add" | "delete" | "has" | "atOrAfter" | "after" | "count", Statement>;

  constructor(
    db: Database.Database,
    readonly name: string,
    private readonly writing: <T>(write: () => T) => T,
  ) {
    // A stable 48-bit id from the name: rows carry a number, not the name.
    this.id = Number.parseInt(createHash("sha256").update(name).digest("hex").slice(0, 12), 16);
    this.sql = sortedSetStatements(db);
  }

  get size(): number {
    this.count ??= this.sql.count.get(this.id) as number;
    return this.count;
  }

  add(s: string): void {
    const { changes } = this.writing(() => this.sql.add.run(this.id, s));
    if (changes > 0 && this.count !== undefined) this.count++;
  }

  delete(s: string): boolean {
    const { changes } = this.writing(() => this.sql.delete.run(this.id, s));
    if (changes > 0 && this.count !== undefined) this.count--;
    return changes > 0;
  }

  has(s: string): boolean {
    return this.sql.has.get(this.id, s) !== undefined;
  }

  /** The strings >= `from` (or > it, when `exclusive`), ascending; read a page at a time, so writes may interleave. */
  *from(from: string, exclusive = false): IterableIterator<string> {
    let bound = from;
    let strictly = exclusive;
    let page = FIRST_PAGE;
    for (;;) {
      const rows = (strictly ? this.sql.after : this.sql.atOrAfter).all(this.id, bound, page) as string[];
      yield* rows;
      if (rows.length < page) return;
      bound = rows[rows.length - 1];
      strictly = true;
      page = NEXT_PAGE;
    }
  }

  /** After a rollback the cached size may be wrong: count again when next asked. */
  forgetSize(): void {
    this.count = undefined;
  }
}

const statementsByDb = new WeakMap<Database.Database, Record<"add" | "delete" | "has" | "atOrAfter" | "after" | "count", Statement>>();

function sortedSetStatements(db: Database.Database): Record<"add" | "delete" | "has" | "atOrAfter" | "after" | "count", Statement> {
  let sql = statementsByDb.get(db);
  if (!sql) {
    sql = {
      add: db.prepare("INSERT OR IGNORE INTO sorted_members (set_id, member) VALUES (?, ?)"),
      delete: db.prepare("DELETE FROM sorted_members WHERE set_id = ? AND member = ?"),
      has: db.prepare("SELECT 1 FROM sorted_members WHERE set_id = ? AND member = ?").pluck(),
      atOrAfter: db.prepare("SELECT member FROM sorted_members WHERE set_id = ? AND member >= ? ORDER BY member LIMIT ?").pluck(),
      after: db.prepare("SELECT member FROM sorted_members WHERE set_id = ? AND member > ? ORDER BY member LIMIT ?").pluck(),
      count: db.prepare("SELECT count(*) FROM sorted_members WHERE set_id = ?").pluck(),
    };
    statementsByDb.set(db, sql);
  }
  return sql;
}

/** Compares strings by Unicode code point, the order of the database's sorted sets (negative, 0 or positive). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // UTF-16 order differs from code point order only where a surrogate meets U+E000..U+FFFF.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS records (id INTEGER PRIMARY KEY, collection TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS records_by_key ON records (collection, key);
CREATE TABLE IF NOT EXISTS sorted_members (set_id INTEGER NOT NULL, member TEXT NOT NULL, PRIMARY KEY (set_id, member)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

/**
 * Imports an earlier version's directory into the (new) database in one transaction, marks it imported in the same
 * transaction, then renames the old files to `<name>.imported` (a crash before the rename leaves them ignored).
 */
function importLegacy(db: Database.Database, fs: StoreFileSystem, dir: string): void {
  const imported = db.prepare("SELECT value FROM meta WHERE key = 'legacyImported'").pluck().get() !== undefined;
  if (!imported) {
    const collections = readLegacyState({ existsSync: fs.existsSync, readFileSync: (file) => fs.readFileSync(file) as Buffer }, dir);
    const put = db.prepare("INSERT INTO records (collection, key, value) VALUES (?, ?, ?) ON CONFLICT (collection, key) DO UPDATE SET value = excluded.value");
    db.transaction(() => {
      for (const [name, records] of collections) for (const [key, text] of records) put.run(name, key, text);
      db.prepare("INSERT INTO meta (key, value) VALUES ('legacyImported', ?)").run(new Date().toISOString());
    })();
    db.pragma("wal_checkpoint(FULL)"); // WAL and database synced: the import is durable before the old files move
  }
  for (const name of LEGACY_FILES) {
    const file = path.join(dir, name);
    if (fs.existsSync(file)) fs.renameSync(file, `${file}.imported`);
  }
}

/**
 * Takes the data directory's lock: a listening socket bound to a name derived from the directory's identity. Binding is
 * atomic (of two racers exactly one wins), and the kernel frees the name when the owner's process ends, however it ends:
 * no stale lock, no window. On Linux the name is in the abstract socket namespace (nothing on disk); elsewhere it is a
 * socket file in the directory, whose stale copy is removed only after a connection to it is refused.
 *
 * When the name is taken: if the owner recorded in LOCK is alive, the open is refused at once; if it is gone or
 * exiting (a killed process can take a while to release its resources), the open waits for the kernel to free the name.
 */
async function acquireLock(dir: string, fs: StoreFileSystem): Promise<net.Server> {
  const stat = fs.statSync(dir);
  const abstract = process.platform === "linux";
  const name = abstract
    ? `\0winglibs-cognito-store-${createHash("sha256").update(`${stat.dev}:${stat.ino}`).digest("hex").slice(0, 40)}`
    : path.join(dir, "LOCK.sock");
  const ownerPath = path.join(dir, OWNER_FILE);
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    const server = await listenOn(name);
    if (server) {
      server.on("connection", (socket) => socket.destroy());
      server.unref();
      fs.writeFileSync(ownerPath, String(process.pid), { mode: 0o600 });
      return server;
    }
    if (!abstract && !(await answers(name))) {
      // A socket file left by a dead owner (nothing listens): remove it and race again for the bind.
      fs.rmSync(name, { force: true });
      continue;
    }
    const owner = readOwner(fs, ownerPath);
    if (owner !== undefined && owner !== process.pid && processIsRunning(owner)) {
      throw new Error(`${dir} is in use by process ${owner}`);
    }
    if (owner === process.pid) throw new Error(`${dir} is already open in this process`);
    if (Date.now() > deadline) throw new Error(`${dir} is locked by a process that did not exit within ${LOCK_WAIT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function listenOn(name: string): Promise<net.Server | undefined> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", (e: NodeJS.ErrnoException) => (e.code === "EADDRINUSE" ? resolve(undefined) : reject(e)));
    server.listen(name, () => resolve(server));
  });
}

function answers(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(socketPath);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

function readOwner(fs: StoreFileSystem, ownerPath: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(ownerPath, "utf8"));
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `pid` is a live process that is not exiting (a zombie, or a killed process still releasing its memory). */
function processIsRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  try {
    const stat = nodeFs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const state = fields[0];
    const flags = Number(fields[6]);
    const PF_EXITING = 0x4;
    return state !== "Z" && state !== "X" && (flags & PF_EXITING) === 0;
  } catch {
    return true; // no /proc: trust kill(pid, 0)
  }
}
