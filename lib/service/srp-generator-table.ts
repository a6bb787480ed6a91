// Powers of SRP's fixed generator g by table lookup: g^(j * 256^w) for every byte value j of each byte position w of
// the exponent, so that g^e costs one BigInt multiplication per exponent byte (about 0.65 ms for the 256-bit
// exponents of verifiers and password checks, against about 1 ms for a general exponentiation in OpenSSL).
//
// The table depends only on the group: it is built once per machine (200 to 400 ms of BigInt work, a row per turn of
// the event loop, in the background) and written to a cache file (3.9 MB, with a SHA-256 digest of its content) that
// later processes read (`load`, about 5 ms); entries become BigInts one by one as powers need them, so a process pays
// about 5 µs for each entry it uses, once, and never the build.
// (Table lookups are not constant-time: fine for a local emulator, not for production key material.)
import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/** Bits of the exponent each row covers. */
const WINDOW_BITS = 8;
const ENTRIES_PER_ROW = 1 << WINDOW_BITS;
/** Rows: exponents of up to ROWS bytes (320 bits) come from the table; longer ones do not. */
const ROWS = 40;
const DIGEST_BYTES = 32;

export class GeneratorTable {
  private readonly elementBytes: number;
  private readonly tableBytes: number;
  /** Entries already turned into BigInts, row-major; `undefined` until first needed. */
  private readonly entries: Array<bigint | undefined>;
  /** The whole table, big-endian fixed-width entries, once complete (loaded, or built here). */
  private bytes: Buffer | undefined;
  private cacheDir: string | undefined;
  private building: { rows: number; bytes: Buffer; nextRowBase: bigint } | undefined;

  constructor(
    private readonly modulus: bigint,
    private readonly generator: bigint,
  ) {
    this.elementBytes = Math.ceil(modulus.toString(16).length / 2);
    this.tableBytes = ROWS * ENTRIES_PER_ROW * this.elementBytes;
    this.entries = new Array<bigint | undefined>(ROWS * ENTRIES_PER_ROW);
  }

  /** Where the table is read from and written to; `undefined`: kept in memory only. */
  useCacheDir(dir: string | undefined): void {
    this.cacheDir = dir;
  }

  /** True once every entry is available (from the cache file or built here). */
  complete(): boolean {
    return this.bytes !== undefined;
  }

  /** g^exponent mod N from the table, or `undefined` when the table is not ready (or the exponent is too long). */
  power(exponent: Uint8Array): bigint | undefined {
    if (!this.bytes || exponent.length > ROWS) return undefined;
    return tablePower(this.bytes, this.entries, this.modulus, this.elementBytes, exponent);
  }

  /** The complete table (big-endian fixed-width entries, row-major) and its entry size, or `undefined` before that. */
  contents(): { bytes: Buffer; elementBytes: number; rows: number } | undefined {
    return this.bytes ? { bytes: this.bytes, elementBytes: this.elementBytes, rows: ROWS } : undefined;
  }

  /** Starts building the table in the background, a row per turn of the event loop (no-op once started). */
  startBuilding(): void {
    if (this.bytes || this.building) return;
    this.building = { rows: 0, bytes: Buffer.alloc(this.tableBytes), nextRowBase: this.generator };
    const step = (): void => {
      if (this.bytes) return; // a cache file appeared meanwhile
      const building = this.building!;
      this.buildRow(building);
      if (building.rows < ROWS) {
        setImmediate(step);
        return;
      }
      this.bytes = building.bytes;
      this.building = undefined;
      void this.writeCache(building.bytes);
    };
    setImmediate(step);
  }

  private buildRow(building: { rows: number; bytes: Buffer; nextRowBase: bigint }): void {
    const first = building.rows * ENTRIES_PER_ROW;
    let value = 1n;
    for (let j = 0; j < ENTRIES_PER_ROW; j++) {
      if (j > 0) value = (value * building.nextRowBase) % this.modulus;
      this.entries[first + j] = value;
      building.bytes.write(value.toString(16).padStart(this.elementBytes * 2, "0"), (first + j) * this.elementBytes, "hex");
    }
    building.nextRowBase = (value * building.nextRowBase) % this.modulus;
    building.rows++;
  }

  /** The cache file in the cache directory: its name names the group and the layout, so another table never matches. */
  cacheFile(): string | undefined {
    return this.cacheDir ? this.cacheFileIn(this.cacheDir) : undefined;
  }

  /** This table's cache file in `dir`, whether or not it exists yet. */
  cacheFileIn(dir: string): string {
    const params = createHash("sha256").update(`${this.modulus.toString(16)}|${this.generator}|${WINDOW_BITS}|${ROWS}`).digest("hex");
    return path.join(dir, `srp-generator-table-${params.slice(0, 16)}.bin`);
  }

  /**
   * Reads the table from the cache file and adopts it when it is whole (length, digest, and two entries checked against
   * g itself): about 5 ms. True when the table is complete afterwards.
   */
  load(): boolean {
    if (this.bytes) return true;
    const file = this.cacheFile();
    if (!file) return false;
    let content: Buffer;
    try {
      content = fs.readFileSync(file);
    } catch {
      return false; // not built on this machine yet
    }
    if (content.length !== this.tableBytes + DIGEST_BYTES) return false;
    const table = content.subarray(0, this.tableBytes);
    const digest = createHash("sha256").update(table).digest();
    if (!digest.equals(content.subarray(this.tableBytes))) return false;
    const at = (index: number) => BigInt(`0x${table.toString("hex", index * this.elementBytes, (index + 1) * this.elementBytes)}`);
    // Row 0 holds g^j and row 1 starts at g^256: a table of another group or layout fails here.
    if (at(1) !== this.generator || at(ENTRIES_PER_ROW + 1) !== this.generator ** BigInt(ENTRIES_PER_ROW) % this.modulus) return false;
    this.bytes = table;
    return true;
  }

  /** Writes the table for later processes: to a temporary name, then renamed, so no reader sees half a file. */
  private async writeCache(table: Buffer): Promise<void> {
    const file = this.cacheFile();
    if (!file) return;
    const temporary = `${file}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`;
    try {
      await fs.promises.mkdir(path.dirname(file), { recursive: true });
      await fs.promises.writeFile(temporary, Buffer.concat([table, createHash("sha256").update(table).digest()]));
      await fs.promises.rename(temporary, file);
    } catch {
      // The cache is an optimisation: a read-only or full disk only means the next process builds the table too.
      await fs.promises.rm(temporary, { force: true }).catch(() => undefined);
    }
  }
}

/**
 * g^exponent mod N from a complete table's bytes (at most ROWS exponent bytes): one BigInt multiplication per non-zero
 * exponent byte. Entries become BigInts in `entries` the first time they are used. Self-contained (no imports, no names
 * from outside, 256 entries per row written out): the worker threads of ./srp-power-workers.ts run its source text.
 */
export function tablePower(table: Uint8Array, entries: Array<bigint | undefined>, modulus: bigint, elementBytes: number, exponent: Uint8Array): bigint {
  let result = 1n;
  for (let row = 0; row < exponent.length; row++) {
    const byte = exponent[exponent.length - 1 - row]!;
    if (byte === 0) continue;
    const index = row * 256 + byte;
    let value = entries[index];
    if (value === undefined) {
      const start = index * elementBytes;
      value = BigInt(`0x${Buffer.from(table.buffer, table.byteOffset + start, elementBytes).toString("hex")}`);
      entries[index] = value;
    }
    result = (result * value) % modulus;
  }
  return result;
}
