// The sign-in half of passkeys, as the USER_AUTH flow calls it (lib/service/webauthn.ts): the WEB_AUTHN challenge's
// CREDENTIAL_REQUEST_OPTIONS, and the check of the CREDENTIAL that answers it, against a passkey registered through
// the service's operations. Accepted once per challenge, with the counter advanced; refused (NotAuthorizedException or
// InvalidParameterException, changing nothing) for a replay, a tampered signature or authenticator data, another
// origin or relying party, an unknown, deleted or someone else's credential, a counter going backwards, an expired
// challenge. Passkeys leave the store with their user.
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ServiceContext, type OperationTable } from "../../lib/service/context";
import { identityProviderOperations } from "../../lib/service";
import { CognitoState } from "../../lib/service/state";
import { DurableStore } from "../../lib/service/store";
import type { UserPoolRecord, UserRecord } from "../../lib/service/model";
import { passkeyCount, passkeyRequestOptions, passkeysOfUser, verifyPasskeyAnswer, type PasskeyChallenge } from "../../lib/service/webauthn";
import { SoftwareAuthenticator } from "../support/software-authenticator";

const ORIGIN = "http://localhost:3000";
const PASSWORD = "Passk3y-passw0rd!";

describe("passkey sign-in checks", () => {
  let dir: string;
  let store: DurableStore;
  let ctx: ServiceContext;
  let ops: OperationTable;
  let pool: UserPoolRecord;
  let clientId: string;
  let nowMs = Date.now();

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "cognito-passkey-signin-"));
    store = await DurableStore.open(dir);
    ctx = new ServiceContext(new CognitoState(store), "us-east-1", () => undefined, () => nowMs);
    ops = identityProviderOperations(ctx);
    const created = (await ops.CreateUserPool!({ PoolName: "passkeys", Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD", "WEB_AUTHN"] } } })) as { UserPool: { Id: string } };
    await ops.SetUserPoolMfaConfig!({ UserPoolId: created.UserPool.Id, WebAuthnConfiguration: { RelyingPartyId: "localhost", UserVerification: "required" } });
    pool = ctx.state.pool(created.UserPool.Id)!;
    const client = (await ops.CreateUserPoolClient!({ UserPoolId: pool.Id, ClientName: "app", ExplicitAuthFlows: ["ALLOW_ADMIN_USER_PASSWORD_AUTH"] })) as { UserPoolClient: { ClientId: string } };
    clientId = client.UserPoolClient.ClientId;
  });
  after(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A user with one passkey registered through StartWebAuthnRegistration and CompleteWebAuthnRegistration. */
  async function userWithPasskey(username: string, authenticator = new SoftwareAuthenticator()): Promise<{ user: UserRecord; accessToken: string; credentialId: string }> {
    await ops.AdminCreateUser!({ UserPoolId: pool.Id, Username: username, MessageAction: "SUPPRESS" });
    await ops.AdminSetUserPassword!({ UserPoolId: pool.Id, Username: username, Password: PASSWORD, Permanent: true });
    const auth = (await ops.AdminInitiateAuth!({ UserPoolId: pool.Id, ClientId: clientId, AuthFlow: "ADMIN_USER_PASSWORD_AUTH", AuthParameters: { USERNAME: username, PASSWORD } })) as {
      AuthenticationResult: { AccessToken: string };
    };
    const accessToken = auth.AuthenticationResult.AccessToken;
    const { CredentialCreationOptions } = (await ops.StartWebAuthnRegistration!({ AccessToken: accessToken })) as { CredentialCreationOptions: never };
    const credential = authenticator.create(CredentialCreationOptions, ORIGIN);
    await ops.CompleteWebAuthnRegistration!({ AccessToken: accessToken, Credential: credential });
    return { user: ctx.state.userByUsername(pool, username)!, accessToken, credentialId: credential.id as string };
  }

  async function challenge(user: UserRecord): Promise<{ options: { challenge: string; rpId: string; allowCredentials: Array<{ id: string; type: string; transports?: string[] }>; userVerification: string; timeout: number }; expected: PasskeyChallenge }> {
    const { credentialRequestOptions, expected } = await passkeyRequestOptions(ctx, pool, user);
    return { options: JSON.parse(credentialRequestOptions), expected };
  }

  const refusedWith = (name: string) => (e: unknown) => (e as { name?: string }).name === name;

  test("request options list the user's passkeys; a correct answer passes once and advances the counter", async () => {
    const authenticator = new SoftwareAuthenticator();
    const { user, credentialId } = await userWithPasskey("alice", authenticator);
    assert.equal(passkeyCount(ctx, pool, user), 1);
    const { options, expected } = await challenge(user);
    assert.equal(options.rpId, "localhost");
    assert.equal(options.userVerification, "required");
    assert.equal(options.timeout, 180_000);
    assert.deepEqual(options.allowCredentials, [{ id: credentialId, type: "public-key", transports: ["internal"] }]);
    assert.equal(expected.challenge, options.challenge);

    const answer = authenticator.get(options, ORIGIN);
    const passkey = await verifyPasskeyAnswer(ctx, pool, user, expected, JSON.stringify(answer));
    assert.equal(passkey.credentialId, credentialId);
    assert.equal(passkeysOfUser(ctx, pool, user)[0]!.counter, 1);
    await assert.rejects(verifyPasskeyAnswer(ctx, pool, user, expected, answer), refusedWith("NotAuthorizedException"), "a challenge answers once");
    const again = await challenge(user);
    await assert.rejects(verifyPasskeyAnswer(ctx, pool, user, again.expected, answer), refusedWith("NotAuthorizedException"), "an assertion of another challenge");
  });

  test("refusals change nothing, and the challenge then still takes a correct answer", async () => {
    const authenticator = new SoftwareAuthenticator();
    const { user, credentialId } = await userWithPasskey("bob", authenticator);
    const { user: carol, credentialId: carolsCredential } = await userWithPasskey("carol");
    const first = await challenge(user);
    await verifyPasskeyAnswer(ctx, pool, user, first.expected, authenticator.get(first.options, ORIGIN)); // the counter is 1 now
    const { options, expected } = await challenge(user);
    const counterBefore = passkeysOfUser(ctx, pool, user)[0]!.counter;
    const verify = (credential: unknown) => verifyPasskeyAnswer(ctx, pool, user, expected, credential);

    await assert.rejects(verify("{not json"), refusedWith("InvalidParameterException"));
    await assert.rejects(verify({ id: credentialId }), refusedWith("InvalidParameterException"));
    const good = authenticator.get(options, ORIGIN) as { response: Record<string, string> };
    const flip = (b64: string, at: number) => {
      const bytes = Buffer.from(b64, "base64url");
      bytes[at] = bytes[at]! ^ 0xff;
      return bytes.toString("base64url");
    };
    await assert.rejects(verify({ ...good, response: { ...good.response, signature: flip(good.response.signature!, 10) } }), refusedWith("NotAuthorizedException"), "tampered signature");
    await assert.rejects(verify({ ...good, response: { ...good.response, authenticatorData: flip(good.response.authenticatorData!, 36) } }), refusedWith("NotAuthorizedException"), "tampered counter");
    await assert.rejects(verify(authenticator.get(options, "https://evil.example")), refusedWith("NotAuthorizedException"), "another origin");
    await assert.rejects(verify(authenticator.get(options, ORIGIN, { rpId: "example.com" })), refusedWith("NotAuthorizedException"), "another relying party");
    await assert.rejects(verify(authenticator.get(options, ORIGIN, { challenge: "b3RoZXI" })), refusedWith("NotAuthorizedException"), "another challenge");
    await assert.rejects(verify(authenticator.get(options, ORIGIN, { flags: 0x01 })), refusedWith("NotAuthorizedException"), "not user-verified, while required");
    assert.equal(counterBefore, 1);
    await assert.rejects(verify(authenticator.get(options, ORIGIN, { counter: 1 })), refusedWith("NotAuthorizedException"), "counter not above the stored one");
    await assert.rejects(verify({ ...good, id: "AAAA", rawId: "AAAA" }), refusedWith("NotAuthorizedException"), "unknown credential");
    // Carol's own (valid) answer does not sign Bob in.
    const carolsOptions = await challenge(carol);
    await assert.rejects(verify({ ...good, id: carolsCredential, rawId: carolsCredential }), refusedWith("NotAuthorizedException"), "someone else's credential");
    assert.ok(carolsOptions.options.allowCredentials.every((c) => c.id === carolsCredential));
    assert.equal(passkeysOfUser(ctx, pool, user)[0]!.counter, counterBefore, "nothing changed");

    const ok = await verify(authenticator.get(options, ORIGIN, { counter: counterBefore + 5 }));
    assert.equal(ok.counter, counterBefore + 5);
  });

  test("an expired challenge and a deleted passkey are refused", async () => {
    const authenticator = new SoftwareAuthenticator();
    const { user, accessToken, credentialId } = await userWithPasskey("dave", authenticator);
    const late = await challenge(user);
    nowMs += 181_000;
    await assert.rejects(verifyPasskeyAnswer(ctx, pool, user, late.expected, authenticator.get(late.options, ORIGIN)), refusedWith("NotAuthorizedException"));
    const { options, expected } = await challenge(user);
    await ops.DeleteWebAuthnCredential!({ AccessToken: accessToken, CredentialId: credentialId });
    assert.equal(passkeyCount(ctx, pool, user), 0);
    await assert.rejects(verifyPasskeyAnswer(ctx, pool, user, expected, authenticator.get(options, ORIGIN, { credentialId })), refusedWith("NotAuthorizedException"), "deleted in another session: refused at once");
    const none = await challenge(user);
    assert.deepEqual(none.options.allowCredentials, []);
  });

  test("a passkey made for another relying party id never answers this one", async () => {
    const authenticator = new SoftwareAuthenticator();
    const { user } = await userWithPasskey("erin", authenticator);
    await ops.SetUserPoolMfaConfig!({ UserPoolId: pool.Id, WebAuthnConfiguration: { RelyingPartyId: "app.example.com", UserVerification: "required" } });
    pool = ctx.state.pool(pool.Id)!;
    try {
      const { options, expected } = await challenge(user);
      assert.equal(options.rpId, "app.example.com");
      assert.deepEqual(options.allowCredentials, [], "the localhost passkey is not offered");
      const [passkey] = passkeysOfUser(ctx, pool, user);
      await assert.rejects(
        verifyPasskeyAnswer(ctx, pool, user, expected, authenticator.get({ ...options, rpId: "localhost" }, "https://app.example.com", { credentialId: passkey!.credentialId })),
        refusedWith("NotAuthorizedException"),
      );
    } finally {
      await ops.SetUserPoolMfaConfig!({ UserPoolId: pool.Id, WebAuthnConfiguration: { RelyingPartyId: "localhost", UserVerification: "required" } });
      pool = ctx.state.pool(pool.Id)!;
    }
  });

  test("passkeys leave the store with their user", async () => {
    const { user } = await userWithPasskey("frank");
    const before = store.size("passkeys");
    await ops.AdminDeleteUser!({ UserPoolId: pool.Id, Username: "frank" });
    assert.equal(store.size("passkeys"), before - 1);
    assert.equal(passkeyCount(ctx, pool, user), 0);
  });
});
