// Powers of SRP's fixed generator g by table lookup: g^(j * 2^(10w)) for every 10-bit value j of each 10-bit window w
// of the exponent, so that g^e costs one BigInt multiplication per window (26 for the 256-bit exponents of verifiers
// and password checks, about 0.3 ms, against about 1 ms for a general exponentiation in OpenSSL). Byte-wide windows
// took 32 multiplications; wider ones than 10 bits would cost tens of megabytes per process for a few percent more.
//
// The table depends only on the group: it is built once per machine (0.3 to 0.6 s of BigInt work, a quarter row per
// turn of the event loop, in the background) and written to a cache file (10 MB, with a SHA-256 digest of its content)
// that later processes read (`load`, about 10 ms); entries become BigInts one by one as powers need them, so a process
// pays about 5 µs for each entry it uses, once, and never the build.
// (Table lookups are not constant-time: fine for a local emulator, not for production key material.)
import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/** Bits of the exponent each row covers. */
const WINDOW_BITS = 10;
const ENTRIES_PER_ROW = 1 << WINDOW_BITS;
/** Rows: exponents of up to ROWS * WINDOW_BITS bits (260) come from the table; longer ones do not. */
const ROWS = 26;
/** Entries computed per turn of the event loop while building (a quarter of a row, a few milliseconds). */
const ENTRIES_PER_TURN = 256;
const DIGEST_BYTES = 32;

interface Building {
  /** The next entry to compute (row-major). */
  next: number;
  bytes: Buffer;
  /** g^(2^(WINDOW_BITS * row)) of the row being built, and the last entry computed in it. */
  rowBase: bigint;
  last: bigint;
}

export class GeneratorTable {
  private readonly elementBytes: number;
  private readonly tableBytes: number;
  /** Entries already turned into BigInts, row-major; `undefined` until first needed. */
  private readonly entries: Array<bigint | undefined>;
  /** The whole table, big-endian fixed-width entries, once complete (loaded, or built here). */
  private bytes: Buffer | undefined;
  private cacheDir: string | undefined;
  private building: Building | undefined;

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
    if (!this.bytes || !fitsTable(exponent)) return undefined;
    return tablePower(this.bytes, this.entries, this.modulus, this.elementBytes, WINDOW_BITS, exponent);
  }

  /** The complete table (big-endian fixed-width entries, row-major) and its layout, or `undefined` before that. */
  contents(): TableContents | undefined {
    return this.bytes ? { bytes: this.bytes, elementBytes: this.elementBytes, windowBits: WINDOW_BITS, entries: ROWS * ENTRIES_PER_ROW } : undefined;
  }

  /** Starts building the table in the background, a quarter row per turn of the event loop (no-op once started). */
  startBuilding(): void {
    if (this.bytes || this.building) return;
    this.building = { next: 0, bytes: Buffer.alloc(this.tableBytes), rowBase: this.generator, last: 1n };
    const step = (): void => {
      if (this.bytes) return; // a cache file appeared meanwhile
      const building = this.building!;
      this.buildEntries(building, ENTRIES_PER_TURN);
      if (building.next < ROWS * ENTRIES_PER_ROW) {
        setImmediate(step);
        return;
      }
      this.bytes = building.bytes;
      this.building = undefined;
      void this.writeCache(building.bytes);
    };
    setImmediate(step);
  }

  /** Computes the next `count` entries: each row is 1, b, b^2, ... for its base b, and the next row's base is b^ENTRIES_PER_ROW. */
  private buildEntries(building: Building, count: number): void {
    for (let done = 0; done < count && building.next < ROWS * ENTRIES_PER_ROW; done++, building.next++) {
      const j = building.next % ENTRIES_PER_ROW;
      if (j === 0 && building.next > 0) building.rowBase = (building.last * building.rowBase) % this.modulus;
      const value = j === 0 ? 1n : (building.last * building.rowBase) % this.modulus;
      building.last = value;
      this.entries[building.next] = value;
      building.bytes.write(value.toString(16).padStart(this.elementBytes * 2, "0"), building.next * this.elementBytes, "hex");
    }
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

/** A complete table and its layout, as powers (here or on a worker thread) read it. */
export interface TableContents {
  bytes: Buffer;
  elementBytes: number;
  windowBits: number;
  /** Number of entries (rows * 2^windowBits). */
  entries: number;
}

/** True when the table covers `exponent` (big-endian): at most ROWS * WINDOW_BITS bits. */
export function fitsTable(exponent: Uint8Array): boolean {
  return exponent.length * 8 <= ROWS * WINDOW_BITS;
}

/**
 * g^exponent mod N from a complete table's bytes (for an exponent that fitsTable): one BigInt multiplication per
 * non-zero window of `windowBits` bits, taken from the least significant end. Entries become BigInts in `entries` the
 * first time they are used. Self-contained (no imports, no names from outside): the worker threads of
 * ./srp-power-workers.ts run its source text.
 */
export function tablePower(
  table: Uint8Array, entries: Array<bigint | undefined>, modulus: bigint, elementBytes: number, windowBits: number, exponent: Uint8Array,
): bigint {
  // No inner functions: a bundler's helpers (esbuild's __name) would not exist in the worker.
  const mask = (1 << windowBits) - 1;
  const last = exponent.length - 1;
  let result = 1n;
  for (let row = 0; row * windowBits < exponent.length * 8; row++) {
    const bit = row * windowBits;
    const from = last - (bit >> 3);
    // The three bytes holding the window (a window of up to 17 bits from its bit offset), least significant first.
    const bytes = (from >= 0 ? exponent[from]! : 0) | (from >= 1 ? exponent[from - 1]! << 8 : 0) | (from >= 2 ? exponent[from - 2]! << 16 : 0);
    const window = (bytes >> (bit & 7)) & mask;
    if (window === 0) continue;
    const index = (row << windowBits) + window;
    let value = entries[index];
    if (value === undefined) {
      const start = index * elementBytes;
      value = BigInt(`0x${Buffer.from(table.buffer, table.byteOffset + start, elementBytes).toString("hex")}`);
      entries[index] = value;
    }
    result = result === 1n ? value : (result * value) % modulus;
  }
  return result;
}
