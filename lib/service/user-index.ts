// The in-memory indexes of one user pool's users, as sorted string sets: every user by listing order (creation time,
// then normalized username), each searchable attribute by value (for ListUsers filters with `=` and `^=`, sign-in
// aliases and subs), and the two status attributes by value. They hold short strings only; the records stay in the
// store. Index strings never contain the user record, so a million users cost a few hundred bytes each here.
import { SortedStrings } from "./sorted-strings";

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

export class PoolUserIndex {
  /** Every user's order key. */
  readonly all: SortedStrings;
  private readonly byValue = new Map<string, SortedStrings>();
  private readonly byStatus = new Map<string, Map<string, SortedStrings>>();

  constructor(all = new SortedStrings()) {
    this.all = all;
  }

  /** Collects a pool's users one by one, then builds its indexes at once (one sort per index, not one insert per user). */
  static builder(): { add(normalizedUsername: string, user: IndexedUser): void; build(): PoolUserIndex } {
    const all: string[] = [];
    const values = new Map<string, string[]>();
    const statuses = new Map<string, Map<string, string[]>>();
    return {
      add(normalizedUsername, user) {
        const key = orderKey(user.createdAt, normalizedUsername);
        all.push(key);
        for (const attribute of VALUE_ATTRIBUTES) {
          const v = valueOf(attribute, user, normalizedUsername);
          if (v === undefined) continue;
          let list = values.get(attribute);
          if (!list) values.set(attribute, (list = []));
          list.push(v + SEP + key);
        }
        for (const attribute of STATUS_ATTRIBUTES) {
          const v = valueOf(attribute, user, normalizedUsername)!;
          let byValue = statuses.get(attribute);
          if (!byValue) statuses.set(attribute, (byValue = new Map()));
          let list = byValue.get(v);
          if (!list) byValue.set(v, (list = []));
          list.push(key);
        }
      },
      build() {
        const index = new PoolUserIndex(SortedStrings.from(all));
        for (const [attribute, list] of values) index.byValue.set(attribute, SortedStrings.from(list));
        for (const [attribute, byValue] of statuses) {
          const m = new Map<string, SortedStrings>();
          for (const [v, list] of byValue) m.set(v, SortedStrings.from(list));
          index.byStatus.set(attribute, m);
        }
        return index;
      },
    };
  }

  get size(): number {
    return this.all.size;
  }

  add(normalizedUsername: string, user: IndexedUser): void {
    this.update(normalizedUsername, user, true);
  }

  remove(normalizedUsername: string, user: IndexedUser): void {
    this.update(normalizedUsername, user, false);
  }

  private update(normalizedUsername: string, user: IndexedUser, present: boolean): void {
    const key = orderKey(user.createdAt, normalizedUsername);
    if (present) this.all.add(key);
    else this.all.delete(key);
    for (const attribute of VALUE_ATTRIBUTES) {
      const v = valueOf(attribute, user, normalizedUsername);
      if (v === undefined) continue;
      let set = this.byValue.get(attribute);
      if (!set) this.byValue.set(attribute, (set = new SortedStrings()));
      if (present) set.add(v + SEP + key);
      else set.delete(v + SEP + key);
    }
    for (const attribute of STATUS_ATTRIBUTES) {
      const v = valueOf(attribute, user, normalizedUsername)!;
      let byValue = this.byStatus.get(attribute);
      if (!byValue) this.byStatus.set(attribute, (byValue = new Map()));
      let set = byValue.get(v);
      if (!set) byValue.set(v, (set = new SortedStrings()));
      if (present) set.add(key);
      else {
        set.delete(key);
        if (set.size === 0) byValue.delete(v);
      }
    }
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
    const set = this.byValue.get(attribute);
    if (!set) return;
    const start = after !== undefined && after > prefix ? after : prefix;
    for (const entry of set.from(start, after !== undefined && start === after)) {
      if (!entry.startsWith(prefix)) return;
      yield entry;
    }
  }

  /** Order keys of users whose status attribute value satisfies `accept`, in listing order, strictly after `after`. */
  *withStatus(attribute: string, accept: (value: string) => boolean, after?: string): IterableIterator<string> {
    const sources = [...(this.byStatus.get(attribute) ?? [])]
      .filter(([v]) => accept(v))
      .map(([, set]) => set.from(after ?? "", after !== undefined))
      .map((it) => ({ it, head: it.next() }));
    for (;;) {
      let best: (typeof sources)[number] | undefined;
      for (const s of sources) if (!s.head.done && (!best || s.head.value < best.head.value!)) best = s;
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
