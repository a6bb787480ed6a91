// The indexes of one user pool's users, as durable sorted string sets in the store (written in the same transactions
// as the records, so they never disagree and need no rebuilding at start): every user by listing order (creation
// time, then normalized username), each searchable attribute by value (for ListUsers filters with `=` and `^=`, sign-in
// aliases and subs), and the two status attributes by value. Entries are short strings; the records stay in the store.
import { compareCodePoints, type DurableSortedSet, type DurableStore } from "./store";

/** Attributes indexed by value: entries are `value NUL orderKey`, sorted by value then listing order. */
export const VALUE_ATTRIBUTES = ["username", "sub", "email", "phone_number", "name", "given_name", "family_name", "preferred_username"] as const;
/** Attributes with few values: per value, the listing-order keys of its users. */
export const STATUS_ATTRIBUTES = ["status", "cognito:user_status"] as const;

/** The fields of a user that the indexes read (the stored record parsed). */
export interface IndexedUser {
  createdAt: number;
  sub?: string;
  attributes: Record<string, string>;
  enabled: boolean;
  status: string;
}

const SEP = "\0";
const ORDER_DIGITS = 12;

/** The listing order of a user: creation time (fixed width) NUL normalized username. */
export function orderKey(createdAt: number, normalizedUsername: string): string {
  return `${String(Math.max(0, Math.floor(createdAt))).padStart(ORDER_DIGITS, "0")}${SEP}${normalizedUsername}`;
}

export function usernameOfOrderKey(key: string): string {
  return key.slice(ORDER_DIGITS + 1);
}

/** The value an attribute is indexed (and looked up) under: emails in lower case, status values as filters see them. */
export function indexValue(attribute: string, value: string): string {
  const v = attribute === "email" || attribute === "cognito:user_status" ? value.toLowerCase() : value;
  return v.includes(SEP) ? v.replaceAll(SEP, "\u0001") : v;
}

function valueOf(attribute: string, user: IndexedUser, normalizedUsername: string): string | undefined {
  switch (attribute) {
    case "username":
      return normalizedUsername;
    case "sub":
      return user.sub ?? user.attributes.sub; // the stored form keeps the sub in the attributes only
    case "status":
      return user.enabled ? "Enabled" : "Disabled";
    case "cognito:user_status":
      return indexValue(attribute, user.status);
    default: {
      const v = user.attributes[attribute];
      return v === undefined ? undefined : indexValue(attribute, v);
    }
  }
}

/** The values the status attributes can take, as indexed (see indexValue): what a status filter can match. */
const STATUS_VALUES: Record<(typeof STATUS_ATTRIBUTES)[number], readonly string[]> = {
  status: ["Enabled", "Disabled"],
  "cognito:user_status": ["UNCONFIRMED", "CONFIRMED", "FORCE_CHANGE_PASSWORD", "RESET_REQUIRED", "EXTERNAL_PROVIDER", "ARCHIVED", "COMPROMISED", "UNKNOWN"].map(
    (s) => indexValue("cognito:user_status", s),
  ),
};

export class PoolUserIndex {
  /** Every user's order key. */
  readonly all: DurableSortedSet;

  constructor(
    private readonly store: DurableStore,
    private readonly poolId: string,
  ) {
    this.all = store.sortedSet(`${poolId}${SEP}all`);
  }

  private valueSet(attribute: string): DurableSortedSet {
    return this.store.sortedSet(`${this.poolId}${SEP}value${SEP}${attribute}`);
  }

  private statusSet(attribute: string, value: string): DurableSortedSet {
    return this.store.sortedSet(`${this.poolId}${SEP}status${SEP}${attribute}${SEP}${value}`);
  }

  get size(): number {
    return this.all.size;
  }

  add(normalizedUsername: string, user: IndexedUser): void {
    this.replace(normalizedUsername, undefined, user);
  }

  remove(normalizedUsername: string, user: IndexedUser): void {
    this.replace(normalizedUsername, user, undefined);
  }

  /** Moves a user's entries from `before` to `after` (either absent), touching only the entries that differ. */
  replace(normalizedUsername: string, before: IndexedUser | undefined, after: IndexedUser | undefined): void {
    const old = before ? this.entriesOf(normalizedUsername, before) : new Map<DurableSortedSet, string>();
    const next = after ? this.entriesOf(normalizedUsername, after) : new Map<DurableSortedSet, string>();
    for (const [set, entry] of old) if (next.get(set) !== entry) set.delete(entry);
    for (const [set, entry] of next) if (old.get(set) !== entry) set.add(entry);
  }

  /** A user's entry in each index it belongs to. */
  private entriesOf(normalizedUsername: string, user: IndexedUser): Map<DurableSortedSet, string> {
    const key = orderKey(user.createdAt, normalizedUsername);
    const entries = new Map<DurableSortedSet, string>([[this.all, key]]);
    for (const attribute of VALUE_ATTRIBUTES) {
      const v = valueOf(attribute, user, normalizedUsername);
      if (v !== undefined) entries.set(this.valueSet(attribute), v + SEP + key);
    }
    for (const attribute of STATUS_ATTRIBUTES) entries.set(this.statusSet(attribute, valueOf(attribute, user, normalizedUsername)!), key);
    return entries;
  }

  /** The order keys of the users whose `attribute` (a value attribute) is indexed under exactly `value`. */
  *withValue(attribute: string, value: string): IterableIterator<string> {
    for (const entry of this.valueEntries(attribute, indexValue(attribute, value) + SEP)) yield entry.slice(entry.indexOf(SEP) + 1);
  }

  /**
   * Index entries of a value attribute starting with `prefix` (an index value, plus NUL for an exact match), in order,
   * strictly after `after` when given.
   */
  *valueEntries(attribute: string, prefix: string, after?: string): IterableIterator<string> {
    const start = after !== undefined && compareCodePoints(after, prefix) > 0 ? after : prefix;
    for (const entry of this.valueSet(attribute).from(start, after !== undefined && start === after)) {
      if (!entry.startsWith(prefix)) return;
      yield entry;
    }
  }

  /** Order keys of users whose status attribute value satisfies `accept`, in listing order, strictly after `after`. */
  *withStatus(attribute: string, accept: (value: string) => boolean, after?: string): IterableIterator<string> {
    const values = STATUS_VALUES[attribute as (typeof STATUS_ATTRIBUTES)[number]] ?? [];
    const sources = values
      .filter((v) => accept(v))
      .map((v) => this.statusSet(attribute, v).from(after ?? "", after !== undefined))
      .map((it) => ({ it, head: it.next() }));
    for (;;) {
      let best: (typeof sources)[number] | undefined;
      for (const s of sources) if (!s.head.done && (!best || compareCodePoints(s.head.value as string, best.head.value as string) < 0)) best = s;
      if (!best) return;
      yield best.head.value as string;
      best.head = best.it.next();
    }
  }
}

/** The order key inside a value-index entry. */
export function orderKeyOfEntry(entry: string): string {
  return entry.slice(entry.indexOf(SEP) + 1);
}
