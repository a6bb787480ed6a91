// The ListUsers `Filter` language of Cognito: `attribute = "value"` (exact) or `attribute ^= "value"` (prefix) on one
// searchable standard attribute, with `\"` and `\\` escapes inside the quoted value. Parsing errors are AWS's
// InvalidParameterException messages.
import * as errors from "./errors";
import type { UserRecord } from "./model";

/** The attributes AWS lets ListUsers search (custom attributes are not searchable). */
export const SEARCHABLE_ATTRIBUTES = [
  "username", "email", "phone_number", "name", "given_name", "family_name", "preferred_username", "cognito:user_status", "status", "sub",
] as const;

export type SearchableAttribute = (typeof SEARCHABLE_ATTRIBUTES)[number];

export interface ListUsersFilter {
  attribute: SearchableAttribute;
  /** `=` matches the whole value, `^=` a prefix of it. */
  operator: "=" | "^=";
  value: string;
}

export interface FilterOptions {
  /** Whether usernames compare case-sensitively (the pool's UsernameConfiguration.CaseSensitive). */
  caseSensitiveUsernames: boolean;
}

const parseError = () => errors.invalidParameter("Error while parsing filter.");

/** Parses a Filter string. An empty (or blank) filter selects every user and yields undefined. */
export function parseListUsersFilter(text: string): ListUsersFilter | undefined {
  if (text.length > 256) {
    throw errors.invalidParameter("1 validation error detected: Value at 'filter' failed to satisfy constraint: Member must have length less than or equal to 256");
  }
  if (text.trim() === "") return undefined;
  let i = skipSpaces(text, 0);
  const nameStart = i;
  while (i < text.length && /[A-Za-z0-9_:-]/.test(text[i])) i++;
  const attribute = text.slice(nameStart, i);
  if (attribute === "") throw parseError();
  i = skipSpaces(text, i);
  let operator: ListUsersFilter["operator"];
  if (text.startsWith("^=", i)) {
    operator = "^=";
    i += 2;
  } else if (text[i] === "=") {
    operator = "=";
    i += 1;
  } else {
    throw parseError();
  }
  i = skipSpaces(text, i);
  if (text[i] !== '"') throw parseError();
  i++;
  let value = "";
  let closed = false;
  while (i < text.length) {
    const c = text[i];
    if (c === "\\") {
      const next = text[i + 1];
      if (next !== '"' && next !== "\\") throw parseError();
      value += next;
      i += 2;
      continue;
    }
    if (c === '"') {
      closed = true;
      i++;
      break;
    }
    value += c;
    i++;
  }
  if (!closed || skipSpaces(text, i) !== text.length) throw parseError();
  if (!(SEARCHABLE_ATTRIBUTES as readonly string[]).includes(attribute)) throw errors.invalidParameter(`Invalid search attribute: ${attribute}`);
  return { attribute: attribute as SearchableAttribute, operator, value };
}

/** Whether `user` satisfies `filter`. A user without the attribute never matches. */
export function userMatchesFilter(user: UserRecord, filter: ListUsersFilter, options: FilterOptions): boolean {
  let actual: string | undefined;
  let wanted = filter.value;
  switch (filter.attribute) {
    case "username":
      actual = user.username;
      if (!options.caseSensitiveUsernames) {
        actual = actual.toLowerCase();
        wanted = wanted.toLowerCase();
      }
      break;
    case "sub":
      actual = user.sub;
      break;
    case "status":
      // "Enabled" / "Disabled", compared case-sensitively as AWS documents.
      actual = user.enabled ? "Enabled" : "Disabled";
      break;
    case "cognito:user_status":
      // Compared case-insensitively as AWS documents.
      actual = user.status.toLowerCase();
      wanted = wanted.toLowerCase();
      break;
    default:
      actual = user.attributes[filter.attribute];
  }
  if (actual === undefined) return false;
  return filter.operator === "=" ? actual === wanted : actual.startsWith(wanted);
}

function skipSpaces(text: string, i: number): number {
  while (i < text.length && /\s/.test(text[i])) i++;
  return i;
}
