// Durable state of the local Cognito service: keyed collections of JSON records held in memory as their serialized text
// (compact: a record costs its JSON length, not a tree of objects), every change appended to a journal and fsynced with
// group commit (one fsync covers every write that arrived while the previous one ran), and the journal folded into a
// snapshot once it outgrows half the snapshot.
//
// What a client is told failed leaves no trace: a change is undone in memory when the journal write or fsync that
// carries it fails, and an operation run through `transaction()` that throws an unexpected error has its own changes
// undone (and that undo journaled). A failed compaction leaves the previous snapshot and the journal as they were, and
// is retried only after a growing pause. One process at a time owns a data directory, through a lock the kernel
// releases when its owner dies (see acquireLock).
import { AsyncLocalStorage } from "node:async_hooks";
import { createHash } from "node:crypto";
import * as nodeFs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";

const SNAPSHOT_FILE = "snapshot.log";
/** The snapshot format of earlier versions (one JSON object), still read. */
const LEGACY_SNAPSHOT_FILE = "snapshot.json";
const JOURNAL_FILE = "journal.log";
/** Informational: the pid of the owner, for the message a second process gets. The lock itself is a socket. */
const OWNER_FILE = "LOCK";
const DEFAULT_MIN_COMPACTION_BYTES = 8 * 1024 * 1024;
const SNAPSHOT_END = "END\t";
const WRITE_CHUNK_BYTES = 1024 * 1024;
const FIRST_COMPACTION_BACKOFF_MS = 1_000;
const MAX_COMPACTION_BACKOFF_MS = 5 * 60_000;
/** How long a new owner waits for a dying owner (kill -9 of a big process takes a while) to release the lock. */
const LOCK_WAIT_MS = 60_000;

/** The file-system calls the store makes: tests inject failures (ENOSPC, short writes, EIO on fsync or rename). */
export type StoreFileSystem = Pick<
  typeof nodeFs,
  "openSync" | "writeSync" | "fsyncSync" | "closeSync" | "renameSync" | "ftruncateSync" | "rmSync" | "readFileSync" | "existsSync" |
  "fstatSync" | "mkdirSync" | "statSync" | "writeFileSync" | "write" | "fdatasync"
>;

export interface StoreOptions {
  /** Injectable file system (default node:fs). */
  fs?: StoreFileSystem;
  /** Journal size below which no compaction happens (default 8 MiB). */
  minCompactionBytes?: number;
  /** Clock in epoch ms for the compaction back-off (default Date.now). */
  clock?: () => number;
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
  /** Set when a failed journal write undid some of this transaction's changes. */
  failure: unknown;
}

/** Called on every change of a record (also when a change is undone), with the serialized texts before and after. */
export type ChangeListener = (collection: string, key: string, before: string | undefined, after: string | undefined) => void;

const currentTransaction = new AsyncLocalStorage<Transaction>();

/** A set of named collections of JSON records that survive `kill -9` once `commit()` resolves. */
export class DurableStore {
  private readonly collections = new Map<string, Map<string, string>>();
  /** Parsed records of the few small collections read on every request (pools, clients): see cacheParsed. */
  private readonly parsed = new Map<string, Map<string, unknown>>();
  private readonly listeners: ChangeListener[] = [];
  private journalFd = -1;
  /** Bytes of the journal known to be on disk. */
  private journalBytes = 0;
  private snapshotBytes = 0;
  /** Journal lines not yet written, one per entry of `unflushed`. */
  private pending: string[] = [];
  /** Changes not yet durable, oldest first: the batch being written, then the pending ones. */
  private unflushed: Change[] = [];
  private waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  private flushing = false;
  private closed = false;
  private compactionBackoffMs = 0;
  private compactionBlockedUntil = 0;
  /** Compactions attempted and failed so far (for tests and logs). */
  compactionFailures = 0;
  compactions = 0;

  private constructor(
    private readonly dir: string,
    private readonly fs: StoreFileSystem,
    private readonly minCompactionBytes: number,
    private readonly lock: net.Server,
    private readonly clock: () => number,
  ) {}

  /**
   * Opens (or creates) the store in `dir`, replaying the snapshot and the journal. One process at a time: a second
   * live process is refused; a dead owner's lock is released by the kernel, and a restart waits for that if needed.
   */
  static async open(dir: string, options: StoreOptions = {}): Promise<DurableStore> {
    const fs = options.fs ?? nodeFs;
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const lock = await acquireLock(dir, fs);
    const store = new DurableStore(dir, fs, options.minCompactionBytes ?? DEFAULT_MIN_COMPACTION_BYTES, lock, options.clock ?? Date.now);
    try {
      store.recover();
    } catch (e) {
      lock.close();
      throw e;
    }
    return store;
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
    const text = this.collections.get(collection)?.get(key);
    if (text === undefined) return undefined;
    const value = JSON.parse(text) as T;
    cache?.set(key, value);
    return value;
  }

  /** The serialized text of a record (what the journal holds), or undefined. */
  getText(collection: string, key: string): string | undefined {
    return this.collections.get(collection)?.get(key);
  }

  /** The keys and serialized texts of `collection`, in insertion order. */
  texts(collection: string): ReadonlyMap<string, string> {
    return this.collection(collection);
  }

  /** Number of records in `collection`. */
  size(collection: string): number {
    return this.collections.get(collection)?.size ?? 0;
  }

  /** Every record of `collection`, parsed (a copy: safe to write while iterating it). */
  entries<T>(collection: string): Map<string, T> {
    const out = new Map<string, T>();
    for (const key of this.collection(collection).keys()) out.set(key, this.get<T>(collection, key) as T);
    return out;
  }

  /** Sets `key` of `collection` in memory and queues the change for the journal. */
  put(collection: string, key: string, value: unknown): void {
    this.change(collection, key, JSON.stringify(value));
  }

  /** Sets `key` of `collection` to an already serialized JSON text. */
  putText(collection: string, key: string, text: string): void {
    this.change(collection, key, text);
  }

  /** Removes `key` of `collection` in memory and queues the change for the journal. */
  delete(collection: string, key: string): void {
    if (!this.collections.get(collection)?.has(key)) return;
    this.change(collection, key, undefined);
  }

  /**
   * Runs one operation as a unit: when it throws anything but an `expected` error, its changes are undone (and the undo
   * made durable) before the error propagates; when its changes were undone by a failed journal write, it fails too.
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

  /** Waits for `txn`'s changes to be durable; throws (with them undone) if a journal write failed on the way. */
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

  /** Resolves once every change made so far is on disk; rejects (with those changes undone) if writing it failed. */
  commit(): Promise<void> {
    if (this.pending.length === 0 && !this.flushing) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  /** Flushes what is pending, closes the journal and releases the lock. */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.commit();
    } finally {
      this.closed = true;
      if (this.journalFd >= 0) this.fs.closeSync(this.journalFd);
      this.journalFd = -1;
      this.fs.rmSync(path.join(this.dir, OWNER_FILE), { force: true });
      await new Promise<void>((resolve) => this.lock.close(() => resolve()));
    }
  }

  private collection(name: string): Map<string, string> {
    let c = this.collections.get(name);
    if (!c) {
      c = new Map();
      this.collections.set(name, c);
    }
    return c;
  }

  private change(collection: string, key: string, after: string | undefined): void {
    if (this.closed) throw new Error("store is closed");
    const records = this.collection(collection);
    const before = records.get(key);
    if (before === after) return;
    const transaction = currentTransaction.getStore();
    const change: Change = { collection, key, before, after, transaction };
    this.apply(collection, key, before, after);
    this.unflushed.push(change);
    this.pending.push(journalLine(collection, key, after));
    transaction?.changes.push(change);
  }

  /** Sets the in-memory value and tells the listeners. */
  private apply(collection: string, key: string, before: string | undefined, after: string | undefined): void {
    const records = this.collection(collection);
    if (after === undefined) records.delete(key);
    else records.set(key, after);
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
      const current = this.collections.get(c.collection)?.get(c.key);
      if (current !== c.after || this.closed) continue;
      currentTransaction.exit(() => this.change(c.collection, c.key, c.before));
    }
    txn.changes.length = 0;
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.pending.length > 0 || this.waiters.length > 0) {
        if (this.pending.length === 0) {
          // Commits that arrived during the last fsync without writing anything: what they saw is durable now.
          const answered = this.waiters;
          this.waiters = [];
          for (const w of answered) w.resolve();
          continue;
        }
        if (this.closed || this.journalFd < 0) {
          this.failUnflushed(new Error("store is closed"));
          continue;
        }
        const lines = this.pending;
        const batch = Buffer.from(lines.join(""), "utf8");
        const waiters = this.waiters;
        this.pending = [];
        this.waiters = [];
        try {
          await writeAll(this.fs, this.journalFd, batch);
          await new Promise<void>((resolve, reject) => this.fs.fdatasync(this.journalFd, (e) => (e ? reject(e) : resolve())));
        } catch (e) {
          // Cut a partly written batch off again, so that later batches never follow a torn line (recovery would stop
          // there and drop them), and undo in memory everything not durable: the batch and what was written after it.
          try {
            this.fs.ftruncateSync(this.journalFd, this.journalBytes);
          } catch {
            this.closed = true; // the journal is no longer trustworthy: refuse further writes
          }
          this.waiters = [...waiters, ...this.waiters];
          this.failUnflushed(e);
          continue;
        }
        this.journalBytes += batch.length;
        this.unflushed.splice(0, lines.length);
        for (const w of waiters) w.resolve();
        if (this.compactionDue()) this.compact();
      }
    } finally {
      this.flushing = false;
    }
  }

  /** Undoes every change that is not durable (newest first), fails the transactions they belong to and every waiter. */
  private failUnflushed(e: unknown): void {
    const changes = this.unflushed;
    this.unflushed = [];
    this.pending = [];
    for (let i = changes.length - 1; i >= 0; i--) {
      const c = changes[i];
      this.apply(c.collection, c.key, c.after, c.before);
      if (c.transaction) {
        c.transaction.failure ??= e;
        const at = c.transaction.changes.indexOf(c);
        if (at >= 0) c.transaction.changes.splice(at, 1);
      }
    }
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.reject(e);
  }

  private compactionDue(): boolean {
    if (this.journalBytes <= Math.max(this.minCompactionBytes, this.snapshotBytes / 2)) return false;
    return this.clock() >= this.compactionBlockedUntil;
  }

  /**
   * Writes the durable state as a new snapshot (to a temporary file, fsynced, renamed over the old one, directory
   * fsynced) and only then starts the journal over. Any failure on the way leaves the old snapshot and the journal as
   * they were, and the next attempt waits (1 s, doubling up to 5 min). Runs between flushes only.
   */
  private compact(): void {
    const tmp = path.join(this.dir, SNAPSHOT_FILE + ".tmp");
    let fd = -1;
    try {
      // The durable state is memory minus the changes still pending: for those keys, the value before the first one.
      const undurable = new Map<string, Map<string, string | undefined>>();
      for (const c of this.unflushed) {
        let m = undurable.get(c.collection);
        if (!m) undurable.set(c.collection, (m = new Map()));
        if (!m.has(c.key)) m.set(c.key, c.before);
      }
      fd = this.fs.openSync(tmp, "w", 0o600);
      let chunk = "";
      let bytes = 0;
      let count = 0;
      const emit = (line: string) => {
        chunk += line;
        if (chunk.length >= WRITE_CHUNK_BYTES) {
          bytes += writeAllSync(this.fs, fd, chunk);
          chunk = "";
        }
      };
      for (const [name, records] of this.collections) {
        const overrides = undurable.get(name);
        for (const [key, text] of records) {
          const value = overrides?.has(key) ? overrides.get(key) : text;
          if (value === undefined) continue;
          emit(journalLine(name, key, value));
          count++;
        }
        if (overrides) {
          for (const [key, before] of overrides) {
            if (before !== undefined && !records.has(key)) {
              emit(journalLine(name, key, before));
              count++;
            }
          }
        }
      }
      emit(`${SNAPSHOT_END}${count}\n`);
      bytes += writeAllSync(this.fs, fd, chunk);
      this.fs.fsyncSync(fd);
      this.fs.closeSync(fd);
      fd = -1;
      this.fs.renameSync(tmp, path.join(this.dir, SNAPSHOT_FILE));
      this.snapshotBytes = bytes;
      syncDir(this.fs, this.dir);
      // Everything in the journal is now in the snapshot: start it over.
      this.fs.ftruncateSync(this.journalFd, 0);
      this.journalBytes = 0;
      this.fs.fsyncSync(this.journalFd);
      this.fs.rmSync(path.join(this.dir, LEGACY_SNAPSHOT_FILE), { force: true });
      this.compactions++;
      this.compactionBackoffMs = 0;
      this.compactionBlockedUntil = 0;
    } catch {
      // Compaction is an optimisation: on an I/O error the journal simply keeps growing, and the next try waits.
      if (fd >= 0) {
        try {
          this.fs.closeSync(fd);
        } catch {
          // already failing
        }
      }
      try {
        this.fs.rmSync(tmp, { force: true });
      } catch {
        // a leftover temporary file is ignored by recovery
      }
      this.compactionFailures++;
      this.compactionBackoffMs = Math.min(MAX_COMPACTION_BACKOFF_MS, Math.max(FIRST_COMPACTION_BACKOFF_MS, this.compactionBackoffMs * 2));
      this.compactionBlockedUntil = this.clock() + this.compactionBackoffMs;
    }
  }

  private recover(): void {
    const snapshotPath = path.join(this.dir, SNAPSHOT_FILE);
    const legacyPath = path.join(this.dir, LEGACY_SNAPSHOT_FILE);
    if (this.fs.existsSync(snapshotPath)) {
      const bytes = this.fs.readFileSync(snapshotPath);
      this.snapshotBytes = bytes.length;
      const { good, ended } = this.replay(bytes, false);
      if (!ended || good !== bytes.length) throw new Error(`${snapshotPath} is incomplete or corrupt`);
    } else if (this.fs.existsSync(legacyPath)) {
      const text = this.fs.readFileSync(legacyPath, "utf8");
      this.snapshotBytes = text.length;
      const data = JSON.parse(text) as Record<string, Record<string, unknown>>;
      for (const [name, records] of Object.entries(data)) {
        const c = this.collection(name);
        for (const [key, value] of Object.entries(records)) c.set(key, JSON.stringify(value));
      }
    }
    const journalPath = path.join(this.dir, JOURNAL_FILE);
    this.journalFd = this.fs.openSync(journalPath, nodeFs.constants.O_RDWR | nodeFs.constants.O_CREAT | nodeFs.constants.O_APPEND, 0o600);
    const bytes = this.fs.readFileSync(journalPath);
    const { good } = this.replay(bytes, true);
    if (good < bytes.length) {
      this.fs.ftruncateSync(this.journalFd, good);
      this.fs.fsyncSync(this.journalFd);
    }
    this.journalBytes = good;
  }

  /**
   * Applies the lines of a snapshot or journal; returns how many bytes were good. Journal values are parsed to find a
   * corrupt tail; a snapshot is complete by construction (renamed into place after fsync) and ends with its END line.
   */
  private replay(bytes: Buffer, validate: boolean): { good: number; ended: boolean } {
    let good = 0;
    while (good < bytes.length) {
      const end = bytes.indexOf(0x0a, good);
      if (end < 0) break; // a torn last line was never acknowledged
      if (bytes.toString("latin1", good, Math.min(end, good + SNAPSHOT_END.length)) === SNAPSHOT_END) return { good: end + 1, ended: true };
      const record = parseLine(bytes, good, end, validate);
      if (!record) break;
      const c = this.collection(record.collection);
      if (record.text === undefined) c.delete(record.key);
      else c.set(record.key, record.text);
      good = end + 1;
    }
    return { good, ended: false };
  }
}

/** One journal (and snapshot) line: the JSON-quoted collection and key, then the record's JSON; no record deletes. */
function journalLine(collection: string, key: string, text: string | undefined): string {
  return text === undefined ? `${JSON.stringify(collection)}\t${JSON.stringify(key)}\n` : `${JSON.stringify(collection)}\t${JSON.stringify(key)}\t${text}\n`;
}

/** Decodes the line bytes[start, end) straight from the buffer (no intermediate line string); undefined if corrupt. */
function parseLine(bytes: Buffer, start: number, end: number, validate: boolean): { collection: string; key: string; text: string | undefined } | undefined {
  try {
    if (bytes[start] === 0x5b) {
      // The journal format of earlier versions: ["put", collection, key, value] or ["del", collection, key].
      const r = JSON.parse(bytes.toString("utf8", start, end)) as unknown;
      if (Array.isArray(r) && (r[0] === "put" || r[0] === "del") && typeof r[1] === "string" && typeof r[2] === "string") {
        return { collection: r[1], key: r[2], text: r[0] === "put" ? JSON.stringify(r[3]) : undefined };
      }
      return undefined;
    }
    const first = bytes.indexOf(0x09, start);
    if (first < 0 || first >= end) return undefined;
    let second = bytes.indexOf(0x09, first + 1);
    if (second >= end) second = -1;
    const collection = quoted(bytes, start, first);
    const key = quoted(bytes, first + 1, second < 0 ? end : second);
    if (second < 0) return { collection, key, text: undefined };
    const text = bytes.toString("utf8", second + 1, end);
    if (validate) JSON.parse(text);
    return { collection, key, text };
  } catch {
    return undefined; // a corrupt tail
  }
}

/** A JSON string literal in bytes[start, end): sliced directly when it has no escapes. */
function quoted(bytes: Buffer, start: number, end: number): string {
  if (bytes[start] !== 0x22 || bytes[end - 1] !== 0x22 || end - start < 2) throw new Error("not a JSON string");
  const inner = bytes.subarray(start + 1, end - 1);
  if (!inner.includes(0x5c)) return inner.toString("utf8");
  const value = JSON.parse(bytes.toString("utf8", start, end)) as unknown;
  if (typeof value !== "string") throw new Error("not a JSON string");
  return value;
}

function writeAll(fs: StoreFileSystem, fd: number, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    let offset = 0;
    const next = () =>
      fs.write(fd, data, offset, data.length - offset, null, (err, written) => {
        if (err) return reject(err);
        if (written <= 0) return reject(new Error("journal write made no progress"));
        offset += written;
        if (offset < data.length) next();
        else resolve();
      });
    next();
  });
}

/** Writes all of `text`, looping over short writes; a write that makes no progress is an error. Returns the bytes. */
function writeAllSync(fs: StoreFileSystem, fd: number, text: string): number {
  const data = Buffer.from(text, "utf8");
  let offset = 0;
  while (offset < data.length) {
    const written = fs.writeSync(fd, data, offset, data.length - offset);
    if (written <= 0) throw new Error("snapshot write made no progress");
    offset += written;
  }
  return data.length;
}

function syncDir(fs: StoreFileSystem, dir: string): void {
  let fd: number;
  try {
    fd = fs.openSync(dir, "r");
  } catch {
    return; // not every platform can open a directory
  }
  try {
    fs.fsyncSync(fd);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== "EINVAL" && code !== "ENOTSUP" && code !== "EPERM") throw e; // a real I/O error: the rename may not be durable
  } finally {
    fs.closeSync(fd);
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
