// Reader of the data directories that earlier versions of the local service wrote (a snapshot, `snapshot.log` or the
// older `snapshot.json`, plus an append-only `journal.log`), so that DurableStore can import them once into its
// database: nothing a developer kept in a `wing it` state directory is lost on upgrade. Read-only; a torn or corrupt
// journal tail (a write that was never acknowledged) is ignored, as those versions did.
import * as path from "node:path";

export const LEGACY_FILES = ["snapshot.log", "snapshot.json", "journal.log"] as const;
const SNAPSHOT_END = "END\t";

/** The file-system calls this reader makes. */
export interface LegacyFileSystem {
  existsSync(file: string): boolean;
  readFileSync(file: string): Buffer;
}

/** Whether `dir` holds files of an earlier version. */
export function hasLegacyState(fs: LegacyFileSystem, dir: string): boolean {
  return LEGACY_FILES.some((name) => fs.existsSync(path.join(dir, name)));
}

/** The collections an earlier version's directory holds: collection → key → record JSON text. */
export function readLegacyState(fs: LegacyFileSystem, dir: string): Map<string, Map<string, string>> {
  const collections = new Map<string, Map<string, string>>();
  const collection = (name: string) => {
    let c = collections.get(name);
    if (!c) collections.set(name, (c = new Map()));
    return c;
  };
  const apply = (bytes: Buffer, validate: boolean): { good: number; ended: boolean } => {
    let good = 0;
    while (good < bytes.length) {
      const end = bytes.indexOf(0x0a, good);
      if (end < 0) break; // a torn last line was never acknowledged
      if (bytes.toString("latin1", good, Math.min(end, good + SNAPSHOT_END.length)) === SNAPSHOT_END) return { good: end + 1, ended: true };
      const record = parseLine(bytes, good, end, validate);
      if (!record) break;
      if (record.text === undefined) collection(record.collection).delete(record.key);
      else collection(record.collection).set(record.key, record.text);
      good = end + 1;
    }
    return { good, ended: false };
  };
  const snapshotPath = path.join(dir, "snapshot.log");
  const jsonSnapshotPath = path.join(dir, "snapshot.json");
  if (fs.existsSync(snapshotPath)) {
    const bytes = fs.readFileSync(snapshotPath);
    const { good, ended } = apply(bytes, false);
    if (!ended || good !== bytes.length) throw new Error(`${snapshotPath} is incomplete or corrupt`);
  } else if (fs.existsSync(jsonSnapshotPath)) {
    const data = JSON.parse(fs.readFileSync(jsonSnapshotPath).toString("utf8")) as Record<string, Record<string, unknown>>;
    for (const [name, records] of Object.entries(data)) {
      for (const [key, value] of Object.entries(records)) collection(name).set(key, JSON.stringify(value));
    }
  }
  const journalPath = path.join(dir, "journal.log");
  if (fs.existsSync(journalPath)) apply(fs.readFileSync(journalPath), true);
  return collections;
}

/** One journal (and snapshot) line: the JSON-quoted collection and key, then the record's JSON; no record deletes. */
function parseLine(bytes: Buffer, start: number, end: number, validate: boolean): { collection: string; key: string; text: string | undefined } | undefined {
  try {
    if (bytes[start] === 0x5b) {
      // The oldest journal format: ["put", collection, key, value] or ["del", collection, key].
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

/** A JSON string literal in bytes[start, end). */
function quoted(bytes: Buffer, start: number, end: number): string {
  if (bytes[start] !== 0x22 || bytes[end - 1] !== 0x22 || end - start < 2) throw new Error("not a JSON string");
  const value = JSON.parse(bytes.toString("utf8", start, end)) as unknown;
  if (typeof value !== "string") throw new Error("not a JSON string");
  return value;
}
