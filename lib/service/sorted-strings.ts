// A sorted set of strings for the user indexes: chunks of at most CHUNK strings, each sorted, in order. Adding or removing
// costs a binary search over the chunks plus a splice inside one chunk (O(log n + CHUNK)), iterating from any point is
// a binary search then a walk. Strings compare by UTF-16 code unit, as `<` does.

const CHUNK = 512;

export class SortedStrings {
  private chunks: string[][] = [];
  private count = 0;

  /** Builds the set from strings in any order (one sort: how indexes are built at start). */
  static from(strings: string[]): SortedStrings {
    const set = new SortedStrings();
    strings.sort();
    let previous: string | undefined;
    let chunk: string[] = [];
    for (const s of strings) {
      if (s === previous) continue;
      previous = s;
      chunk.push(s);
      if (chunk.length === CHUNK / 2) {
        set.chunks.push(chunk);
        chunk = [];
      }
    }
    if (chunk.length > 0) set.chunks.push(chunk);
    set.count = set.chunks.reduce((n, c) => n + c.length, 0);
    return set;
  }

  get size(): number {
    return this.count;
  }

  add(s: string): void {
    if (this.chunks.length === 0) {
      this.chunks.push([s]);
      this.count = 1;
      return;
    }
    const ci = Math.min(this.chunkFor(s), this.chunks.length - 1);
    const chunk = this.chunks[ci];
    const i = lowerBound(chunk, s);
    if (chunk[i] === s) return;
    chunk.splice(i, 0, s);
    this.count++;
    if (chunk.length > CHUNK) this.chunks.splice(ci + 1, 0, chunk.splice(CHUNK / 2));
  }

  delete(s: string): boolean {
    const ci = this.chunkFor(s);
    const chunk = this.chunks[ci];
    if (!chunk) return false;
    const i = lowerBound(chunk, s);
    if (chunk[i] !== s) return false;
    chunk.splice(i, 1);
    this.count--;
    if (chunk.length === 0) this.chunks.splice(ci, 1);
    return true;
  }

  has(s: string): boolean {
    const chunk = this.chunks[this.chunkFor(s)];
    return !!chunk && chunk[lowerBound(chunk, s)] === s;
  }

  /** The strings >= `from` (or > it, when `exclusive`), ascending. */
  *from(from: string, exclusive = false): IterableIterator<string> {
    let ci = this.chunkFor(from);
    if (ci >= this.chunks.length) return;
    let i = lowerBound(this.chunks[ci], from);
    if (exclusive && this.chunks[ci][i] === from) i++;
    for (; ci < this.chunks.length; ci++, i = 0) {
      const chunk = this.chunks[ci];
      for (; i < chunk.length; i++) yield chunk[i];
    }
  }

  /** The index of the first chunk whose last string is >= s (chunks.length when none is). */
  private chunkFor(s: string): number {
    let lo = 0;
    let hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const chunk = this.chunks[mid];
      if (chunk[chunk.length - 1] < s) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function lowerBound(a: string[], s: string): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < s) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
