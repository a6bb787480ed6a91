// Stable paging for the List* operations over large collections: items are ordered by a sort key, a page token names
// the key of the last item returned, and the next page starts strictly after it. Items added, changed or removed
// between calls therefore never make a page repeat or skip the others, and no full sort of the collection is needed.
import * as errors from "./errors";
import { optionalNumber, optionalString, type Input } from "./input";

/** A sort key: compared element by element, numbers numerically and strings by code unit. */
export type PageKey = ReadonlyArray<string | number>;

export function comparePageKeys(a: PageKey, b: PageKey): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (typeof x === "number" && typeof y === "number") return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return a.length - b.length;
}

export function encodePageToken(key: PageKey): string {
  return Buffer.from(JSON.stringify(key), "utf8").toString("base64url");
}

/** The key a page token names, or undefined without a token. A token this service did not issue is refused. */
export function readPageToken(input: Input, member: string): PageKey | undefined {
  const token = optionalString(input, member);
  if (token === undefined) return undefined;
  try {
    const key = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as unknown;
    if (Array.isArray(key) && key.length > 0 && key.every((k) => typeof k === "string" || typeof k === "number")) return key as PageKey;
  } catch {
    // fall through
  }
  throw errors.invalidParameter("Invalid pagination token.");
}

/** The page size of a `Limit` member (AWS's QueryLimitType: 0 to 60, where 0 or absent means 60). */
export function readLimit(input: Input, member = "Limit", max = 60): number {
  const limit = optionalNumber(input, member);
  if (limit === undefined || limit === 0) return max;
  const camel = member.charAt(0).toLowerCase() + member.slice(1);
  if (!Number.isInteger(limit) || limit < 0) {
    throw errors.invalidParameter(`1 validation error detected: Value '${limit}' at '${camel}' failed to satisfy constraint: Member must have value greater than or equal to 0`);
  }
  if (limit > max) {
    throw errors.invalidParameter(`1 validation error detected: Value '${limit}' at '${camel}' failed to satisfy constraint: Member must have value less than or equal to ${max}`);
  }
  return limit;
}

/**
 * The `limit` smallest items (by `keyOf`) after `after` that `accept` lets through, and the token of the next page when
 * more remain. One pass over `items` keeping a small sorted buffer: O(n log limit) comparisons, no full sort.
 */
export function pageAfter<T>(
  items: Iterable<T>,
  keyOf: (item: T) => PageKey,
  after: PageKey | undefined,
  limit: number,
  accept: (item: T) => boolean = () => true,
): { page: T[]; nextToken?: string } {
  const keep = limit + 1; // one more than a page tells whether another page exists
  const buffer: Array<{ key: PageKey; item: T }> = [];
  for (const item of items) {
    const key = keyOf(item);
    if (after && comparePageKeys(key, after) <= 0) continue;
    if (buffer.length === keep && comparePageKeys(key, buffer[keep - 1].key) >= 0) continue;
    if (!accept(item)) continue;
    let lo = 0;
    let hi = buffer.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (comparePageKeys(buffer[mid].key, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    buffer.splice(lo, 0, { key, item });
    if (buffer.length > keep) buffer.pop();
  }
  const page = buffer.slice(0, limit);
  const nextToken = buffer.length > limit ? encodePageToken(page[page.length - 1].key) : undefined;
  return { page: page.map((e) => e.item), ...(nextToken ? { nextToken } : {}) };
}
