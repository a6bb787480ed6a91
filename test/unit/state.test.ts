// Unit tests of CognitoState: housekeeping (expired sign-in sessions and long-expired identity-pool credentials are
// dropped at start; live ones stay), and ListUsers paging from the indexes checked against a plain scan.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CognitoState } from "../../lib/service/state";
import { DurableStore } from "../../lib/service/store";
import { parseListUsersFilter, userMatchesFilter } from "../../lib/service/list-users-filter";
import type { UserPoolRecord } from "../../lib/service/model";
import type { PageKey } from "../../lib/service/paging";

test("purgeExpired drops expired sessions and credentials a day past expiry, and nothing else", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "state-purge-"));
  const store = await DurableStore.open(dir);
  try {
    const state = new CognitoState(store);
    const now = 1_900_000_000;
    const session = (originJti: string, refreshExpiresAt: number) => ({
      originJti, userPoolId: "us-east-1_AAAAAAAAA", clientId: "c", username: "u", authTime: now - 10, refreshTokenHash: `h-${originJti}`, refreshExpiresAt, revoked: false,
    });
    state.putSession(session("old", now - 1));
    state.putSession(session("live", now + 3600));
    const credentials = (AccessKeyId: string, Expiration: number) => ({
      AccessKeyId, SecretKey: "s", SessionToken: "t", Expiration, IdentityId: "i", IdentityPoolId: "p", RoleArn: "r",
    });
    state.putCredentials(credentials("ASIAOLD", now - 2 * 86400));
    state.putCredentials(credentials("ASIARECENT", now - 60));
    assert.equal(state.purgeExpired(now), 2);
    assert.equal(state.session("old"), undefined);
    assert.ok(state.session("live"));
    assert.equal(state.sessionsOf("us-east-1_AAAAAAAAA", "u").length, 1);
    assert.equal(state.credentials("ASIAOLD"), undefined);
    assert.ok(state.credentials("ASIARECENT"));
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("listUsers pages through every filter from the indexes: no user repeated or skipped, the same set as a scan", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "state-list-"));
  const store = await DurableStore.open(dir);
  try {
    const state = new CognitoState(store);
    const pool = { Id: "us-east-1_LIST", caseSensitive: false, usernameAttributes: [], aliasAttributes: ["email"] } as unknown as UserPoolRecord;
    state.putPool(pool);
    const statuses = ["CONFIRMED", "UNCONFIRMED", "FORCE_CHANGE_PASSWORD"] as const;
    for (let i = 0; i < 300; i++) {
      const sub = `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
      const attributes: Record<string, string> = { sub, email: `${i % 7 === 0 ? "Mixed" : "user"}${i}@Example.com`, given_name: `G${i % 5}` };
      if (i % 3 === 0) attributes.name = `Name ${i % 4}`;
      state.putUser(pool, {
        userPoolId: pool.Id, username: `User/${i % 11}-${i}`, sub, attributes, enabled: i % 9 !== 0, status: statuses[i % 3],
        createdAt: 1_700_000_000 + (i % 50), lastModifiedAt: 1_700_000_000, failedSignIns: 0, mfa: { smsEnabled: false, softwareTokenEnabled: false, emailEnabled: false },
      });
    }
    // Changes and deletions must leave the indexes right.
    const changed = state.userByUsername(pool, "user/1-1")!;
    state.putUser(pool, { ...changed, attributes: { ...changed.attributes, given_name: "Changed" }, enabled: false });
    state.deleteUser(state.userByUsername(pool, "User/2-2")!);
    await state.commit();
    const everyone = [...state.users(pool.Id)];
    assert.equal(everyone.length, 299);
    const filters = [
      undefined, 'email ^= "user1"', 'email = "user10@Example.com"', 'email ^= "Mixed"', 'given_name = "G3"', 'given_name = "Changed"', 'name ^= "Name "',
      'status = "Disabled"', 'status ^= "En"', 'cognito:user_status = "unconfirmed"', 'cognito:user_status ^= "CONF"', 'username ^= "user/1"',
      'username = "USER/3-3"', 'sub ^= "00000000-0000-4000-8000-0000000001"', 'email ^= "nobody"',
    ];
    for (const text of filters) {
      const filter = text === undefined ? undefined : parseListUsersFilter(text);
      const expected = everyone.filter((u) => !filter || userMatchesFilter(u, filter, { caseSensitiveUsernames: false })).map((u) => u.username).sort();
      const seen: string[] = [];
      let after: PageKey | undefined;
      for (let pages = 0; pages < 100; pages++) {
        const { users, nextToken } = state.listUsers(pool, filter, after, 7);
        seen.push(...users.map((u) => u.username));
        if (!nextToken) break;
        after = JSON.parse(Buffer.from(nextToken, "base64url").toString("utf8")) as PageKey;
      }
      assert.deepEqual(seen.slice().sort(), expected, `filter ${text}`);
      assert.equal(new Set(seen).size, seen.length, `no user twice for ${text}`);
    }
    assert.equal(state.findUser(pool, "USER5@example.com"), undefined, "an unverified email alias does not sign in");
    assert.equal(state.userByAlias(pool, "email", "USER5@example.com")?.username, "User/5-5", "aliases compare emails case-insensitively");
    assert.equal(state.findUser(pool, "00000000-0000-4000-8000-000000000004")?.username, "User/4-4", "by sub");
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
