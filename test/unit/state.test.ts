// Unit test of CognitoState's housekeeping: expired sign-in sessions and long-expired identity-pool credentials are
// dropped at start, so a long-lived data directory does not grow with them; live ones stay.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CognitoState } from "../../lib/service/state";
import { DurableStore } from "../../lib/service/store";

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
