// Durable state of the local Cognito service: keyed collections kept in memory, every change appended to a journal and
// fsynced with group commit (one fsync covers every write that arrived while the previous one ran). The journal is
// folded into a snapshot when it grows past a multiple of the snapshot's size, so a write never rewrites the whole state.
import * as fs from "node:fs";
import * as path from "node:path";

const SNAPSHOT_FILE = "snapshot.json";
const JOURNAL_FILE = "journal.log";
const LOCK_FILE = "LOCK";
const MIN_COMPACTION_BYTES = 8 * 1024 * 1024;

type JournalRecord = [op: "put", collection: string, key: string, value: unknown] | [op: "del", collection: string, key: string];

/** A set of named collections of JSON records that survive `kill -9` once `commit()` resolves. */
export class DurableStore {
  private readonly collections = new Map<string, Map<string, unknown>>();
  private journalFd = -1;
  private journalBytes = 0;
  private snapshotBytes = 0;
  private pending: string[] = [];
  private pendingWaiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  private flushing = false;
  private closed = false;

  private constructor(private readonly dir: string) {}

  /**
   * Opens (or creates) the store in `dir`, replaying the snapshot and the journal. One process at a time: a LOCK file
   * holds the owner's pid, and a lock whose process is gone is taken over.
   */
  static open(dir: string): DurableStore {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    takeLock(dir);
    const store = new DurableStore(dir);
    store.recover();
    return store;
  }

  /** The record `key` of `collection`, or undefined. */
  get<T>(collection: string, key: string): T | undefined {
    return this.collections.get(collection)?.get(key) as T | undefined;
  }

  /** Every record of `collection` (live view; do not mutate while iterating with writes). */
  entries<T>(collection: string): Map<string, T> {
    return this.collection(collection) as Map<string, T>;
  }

  /** Sets `key` of `collection` in memory and queues the change for the journal. */
  put(collection: string, key: string, value: unknown): void {
    this.collection(collection).set(key, value);
    this.append(["put", collection, key, value]);
  }

  /** Removes `key` of `collection` in memory and queues the change for the journal. */
  delete(collection: string, key: string): void {
    if (!this.collection(collection).delete(key)) return;
    this.append(["del", collection, key]);
  }

  /** Resolves once every change made so far is on disk. */
  commit(): Promise<void> {
    if (this.pending.length === 0 && !this.flushing) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.pendingWaiters.push({ resolve, reject });
      if (!this.flushing) this.flush().catch((e: unknown) => this.failWaiters(e));
    });
  }

  private failWaiters(e: unknown): void {
    const waiters = this.pendingWaiters;
    this.pendingWaiters = [];
    for (const w of waiters) w.reject(e);
  }

  /** Flushes what is pending and closes the journal. */
  async close(): Promise<void> {
    await this.commit();
    this.closed = true;
    if (this.journalFd >= 0) fs.closeSync(this.journalFd);
    this.journalFd = -1;
    fs.rmSync(path.join(this.dir, LOCK_FILE), { force: true });
  }

  private collection(name: string): Map<string, unknown> {
    let c = this.collections.get(name);
    if (!c) {
      c = new Map();
      this.collections.set(name, c);
    }
    return c;
  }

  private append(record: JournalRecord): void {
    if (this.closed) throw new Error("store is closed");
    this.pending.push(JSON.stringify(record) + "\n");
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.pending.length > 0 || this.pendingWaiters.length > 0) {
        if (this.pending.length === 0) {
          // Commits that arrived during the last fsync without writing anything: what they saw is durable now.
          const answered = this.pendingWaiters;
          this.pendingWaiters = [];
          for (const w of answered) w.resolve();
          continue;
        }
        const batch = Buffer.from(this.pending.join(""), "utf8");
        const waiters = this.pendingWaiters;
        this.pending = [];
        this.pendingWaiters = [];
        try {
          await writeAll(this.journalFd, batch);
          await new Promise<void>((resolve, reject) => fs.fdatasync(this.journalFd, (e) => (e ? reject(e) : resolve())));
          this.journalBytes += batch.length;
          for (const w of waiters) w.resolve();
        } catch (e) {
          // Cut a partly written batch off again, so that later batches never follow a torn line (recovery would
          // stop there and drop them).
          try {
            fs.ftruncateSync(this.journalFd, this.journalBytes);
          } catch {
            this.closed = true; // the journal is no longer trustworthy: refuse further writes
          }
          for (const w of waiters) w.reject(e);
        }
        if (this.journalBytes > Math.max(MIN_COMPACTION_BYTES, 2 * this.snapshotBytes)) {
          try {
            this.compact();
          } catch {
            // Compaction is an optimisation: on an I/O error the journal simply keeps growing.
          }
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  /** Writes the whole state as a new snapshot and starts an empty journal. Runs between flushes only. */
  private compact(): void {
    const data: Record<string, Record<string, unknown>> = {};
    for (const [name, c] of this.collections) data[name] = Object.fromEntries(c);
    const text = JSON.stringify(data);
    const tmp = path.join(this.dir, SNAPSHOT_FILE + ".tmp");
    const fd = fs.openSync(tmp, "w", 0o600);
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(tmp, path.join(this.dir, SNAPSHOT_FILE));
    syncDir(this.dir);
    // Everything in the journal is now in the snapshot: start it over.
    fs.ftruncateSync(this.journalFd, 0);
    fs.fsyncSync(this.journalFd);
    this.snapshotBytes = text.length;
    this.journalBytes = 0;
  }

  private recover(): void {
    const snapshotPath = path.join(this.dir, SNAPSHOT_FILE);
    if (fs.existsSync(snapshotPath)) {
      const text = fs.readFileSync(snapshotPath, "utf8");
      this.snapshotBytes = text.length;
      const data = JSON.parse(text) as Record<string, Record<string, unknown>>;
      for (const [name, records] of Object.entries(data)) this.collections.set(name, new Map(Object.entries(records)));
    }
    const journalPath = path.join(this.dir, JOURNAL_FILE);
    this.journalFd = fs.openSync(journalPath, fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_APPEND, 0o600);
    const bytes = fs.readFileSync(journalPath);
    let good = 0;
    while (good < bytes.length) {
      const end = bytes.indexOf(0x0a, good);
      if (end < 0) break; // a torn last line was never acknowledged
      const record = parseRecord(bytes.toString("utf8", good, end));
      if (!record) break;
      this.applyRecovered(record);
      good = end + 1;
    }
    const size = fs.fstatSync(this.journalFd).size;
    if (good < size) {
      fs.ftruncateSync(this.journalFd, good);
      fs.fsyncSync(this.journalFd);
    }
    this.journalBytes = good;
  }

  private applyRecovered(record: JournalRecord): void {
    if (record[0] === "put") this.collection(record[1]).set(record[2], record[3]);
    else this.collection(record[1]).delete(record[2]);
  }
}

function parseRecord(line: string): JournalRecord | undefined {
  try {
    const r = JSON.parse(line) as unknown;
    if (Array.isArray(r) && (r[0] === "put" || r[0] === "del") && typeof r[1] === "string" && typeof r[2] === "string") return r as JournalRecord;
  } catch {
    // fall through: a corrupt tail
  }
  return undefined;
}

function writeAll(fd: number, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    let offset = 0;
    const next = () =>
      fs.write(fd, data, offset, data.length - offset, null, (err, written) => {
        if (err) return reject(err);
        offset += written;
        if (offset < data.length) next();
        else resolve();
      });
    next();
  });
}

function syncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, "r");
    fs.fsyncSync(fd);
    fs.closeSync(fd);
  } catch {
    // not every platform can fsync a directory
  }
}

function takeLock(dir: string): void {
  const lockPath = path.join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: "wx", mode: 0o600 });
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const owner = Number(fs.readFileSync(lockPath, "utf8"));
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && processIsAlive(owner)) {
        throw new Error(`${dir} is in use by process ${owner} (remove ${lockPath} if that is wrong)`);
      }
      fs.rmSync(lockPath, { force: true }); // left by a process that is gone (kill -9), or by this one
    }
  }
  throw new Error(`could not lock ${dir}`);
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
