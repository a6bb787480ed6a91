// Tests of the ListUsers filter language (parsing, escapes, AWS's errors, matching rules per attribute) and of the
// stable paging the List* operations use (order, tokens, filtering, no repeats when the collection changes).
import { test } from "node:test";
import assert from "node:assert/strict";
import { CognitoError } from "../../lib/service/errors";
import { parseListUsersFilter, userMatchesFilter, type ListUsersFilter } from "../../lib/service/list-users-filter";
import type { UserRecord } from "../../lib/service/model";
import { comparePageKeys, encodePageToken, pageAfter, readLimit, readPageToken, type PageKey } from "../../lib/service/paging";

function user(overrides: Partial<UserRecord> = {}): UserRecord {
  return {
    userPoolId: "us-east-1_TestPool1",
    username: "Alice",
    sub: "6f1c1f4e-1111-4a4a-9b9b-000000000001",
    attributes: { sub: "6f1c1f4e-1111-4a4a-9b9b-000000000001", email: "alice@example.com", given_name: "Alice", phone_number: "+15555550100" },
    enabled: true,
    status: "CONFIRMED",
    createdAt: 1_700_000_000,
    lastModifiedAt: 1_700_000_000,
    failedSignIns: 0,
    mfa: { smsEnabled: false, softwareTokenEnabled: false, emailEnabled: false },
    ...overrides,
  };
}

function parse(text: string): ListUsersFilter {
  const f = parseListUsersFilter(text);
  assert.ok(f, `expected a filter from ${text}`);
  return f;
}

function assertInvalid(text: string, message: string) {
  assert.throws(() => parseListUsersFilter(text), (e: unknown) => {
    assert.ok(e instanceof CognitoError);
    assert.equal(e.type, "InvalidParameterException");
    assert.equal(e.message, message);
    return true;
  });
}

const sensitive = { caseSensitiveUsernames: true };

test("parses exact and prefix filters with or without spaces", () => {
  assert.deepEqual(parse('email = "alice@example.com"'), { attribute: "email", operator: "=", value: "alice@example.com" });
  assert.deepEqual(parse('given_name^="Al"'), { attribute: "given_name", operator: "^=", value: "Al" });
  assert.deepEqual(parse('  cognito:user_status   =   "CONFIRMED"  '), { attribute: "cognito:user_status", operator: "=", value: "CONFIRMED" });
  assert.deepEqual(parse('status = "Enabled"'), { attribute: "status", operator: "=", value: "Enabled" });
});

test("an empty or blank filter selects everyone", () => {
  assert.equal(parseListUsersFilter(""), undefined);
  assert.equal(parseListUsersFilter("   "), undefined);
});

test("backslash escapes quotes and backslashes inside the value", () => {
  assert.equal(parse('name = "say \\"hi\\""').value, 'say "hi"');
  assert.equal(parse('name = "back\\\\slash"').value, "back\\slash");
  assert.equal(parse('name = ""').value, "");
});

test("malformed filters are refused with AWS's parse error", () => {
  for (const bad of ["email", 'email "x"', "email = x", 'email = "x', 'email = "x" trailing', 'email == "x"', 'email ~= "x"', '= "x"', 'email = "bad \\escape"', 'email = "a" AND name = "b"']) {
    assertInvalid(bad, "Error while parsing filter.");
  }
});

test("only the searchable standard attributes are accepted", () => {
  assertInvalid('custom:team = "blue"', "Invalid search attribute: custom:team");
  assertInvalid('address = "x"', "Invalid search attribute: address");
  assertInvalid('email_verified = "true"', "Invalid search attribute: email_verified");
});

test("filters longer than 256 characters fail validation", () => {
  assert.throws(() => parseListUsersFilter(`name = "${"x".repeat(260)}"`), /Member must have length less than or equal to 256/);
});

test("exact and prefix matching on attributes", () => {
  const u = user();
  assert.equal(userMatchesFilter(u, parse('email = "alice@example.com"'), sensitive), true);
  assert.equal(userMatchesFilter(u, parse('email = "alice@example"'), sensitive), false);
  assert.equal(userMatchesFilter(u, parse('email ^= "alice@"'), sensitive), true);
  assert.equal(userMatchesFilter(u, parse('email ^= "bob"'), sensitive), false);
  assert.equal(userMatchesFilter(u, parse('phone_number ^= "+1555"'), sensitive), true);
  assert.equal(userMatchesFilter(u, parse('family_name ^= ""'), sensitive), false, "a missing attribute never matches");
  assert.equal(userMatchesFilter(u, parse('given_name ^= ""'), sensitive), true);
});

test("username follows the pool's case sensitivity", () => {
  const u = user();
  assert.equal(userMatchesFilter(u, parse('username = "Alice"'), sensitive), true);
  assert.equal(userMatchesFilter(u, parse('username = "alice"'), sensitive), false);
  assert.equal(userMatchesFilter(u, parse('username = "alice"'), { caseSensitiveUsernames: false }), true);
  assert.equal(userMatchesFilter(u, parse('username ^= "ALI"'), { caseSensitiveUsernames: false }), true);
});

test("status is Enabled/Disabled (case-sensitive); cognito:user_status is case-insensitive", () => {
  assert.equal(userMatchesFilter(user(), parse('status = "Enabled"'), sensitive), true);
  assert.equal(userMatchesFilter(user(), parse('status = "enabled"'), sensitive), false);
  assert.equal(userMatchesFilter(user({ enabled: false }), parse('status = "Disabled"'), sensitive), true);
  assert.equal(userMatchesFilter(user(), parse('cognito:user_status = "confirmed"'), sensitive), true);
  assert.equal(userMatchesFilter(user({ status: "FORCE_CHANGE_PASSWORD" }), parse('cognito:user_status ^= "force"'), sensitive), true);
  assert.equal(userMatchesFilter(user({ status: "UNCONFIRMED" }), parse('cognito:user_status = "CONFIRMED"'), sensitive), false);
});

test("sub matches the user's sub", () => {
  const u = user();
  assert.equal(userMatchesFilter(u, parse(`sub = "${u.sub}"`), sensitive), true);
  assert.equal(userMatchesFilter(u, parse('sub = "6f1c1f4e"'), sensitive), false);
  assert.equal(userMatchesFilter(u, parse('sub ^= "6f1c1f4e"'), sensitive), true);
});

test("page keys order numbers numerically, then strings", () => {
  assert.ok(comparePageKeys([2, "a"], [10, "a"]) < 0);
  assert.ok(comparePageKeys([5, "b"], [5, "a"]) > 0);
  assert.equal(comparePageKeys([5, "a"], [5, "a"]), 0);
});

test("pageAfter walks a collection in key order without repeats, whatever the input order", () => {
  const items = Array.from({ length: 103 }, (_, i) => ({ id: `u${String((i * 37) % 103).padStart(3, "0")}`, t: i % 7 }));
  const keyOf = (x: { id: string; t: number }): PageKey => [x.t, x.id];
  const seen: string[] = [];
  let after: PageKey | undefined;
  for (let pages = 0; pages < 100; pages++) {
    const { page, nextToken } = pageAfter(items, keyOf, after, 10);
    seen.push(...page.map((x) => x.id));
    if (!nextToken) break;
    after = readPageToken({ T: nextToken }, "T");
  }
  const expected = [...items].sort((a, b) => comparePageKeys(keyOf(a), keyOf(b))).map((x) => x.id);
  assert.deepEqual(seen, expected);
});

test("pageAfter filters before counting and survives removal of the token's item", () => {
  const items = Array.from({ length: 30 }, (_, i) => i);
  const keyOf = (n: number): PageKey => [n];
  const first = pageAfter(items, keyOf, undefined, 5, (n) => n % 2 === 0);
  assert.deepEqual(first.page, [0, 2, 4, 6, 8]);
  assert.ok(first.nextToken);
  const remaining = items.filter((n) => n !== 8);
  const second = pageAfter(remaining, keyOf, readPageToken({ T: first.nextToken }, "T"), 5, (n) => n % 2 === 0);
  assert.deepEqual(second.page, [10, 12, 14, 16, 18]);
  const last = pageAfter(items, keyOf, [20], 5, (n) => n % 2 === 0);
  assert.deepEqual(last.page, [22, 24, 26, 28]);
  assert.equal(last.nextToken, undefined);
});

test("page tokens and limits are validated", () => {
  assert.deepEqual(readPageToken({ T: encodePageToken([3, "x"]) }, "T"), [3, "x"]);
  assert.equal(readPageToken({}, "T"), undefined);
  for (const bad of ["not-a-token", Buffer.from("{}").toString("base64url"), Buffer.from("[]").toString("base64url")]) {
    assert.throws(() => readPageToken({ T: bad }, "T"), /Invalid pagination token/);
  }
  assert.equal(readLimit({}), 60);
  assert.equal(readLimit({ Limit: 0 }), 60);
  assert.equal(readLimit({ Limit: 7 }), 7);
  assert.throws(() => readLimit({ Limit: 61 }), /Value '61' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60/);
  assert.throws(() => readLimit({ Limit: -1 }), /greater than or equal to 0/);
});
