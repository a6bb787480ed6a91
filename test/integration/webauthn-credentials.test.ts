// Passkey registration and management with the AWS SDK v3 and a software authenticator (test/support): the pool's
// WebAuthnConfiguration (Set/GetUserPoolMfaConfig, validated), StartWebAuthnRegistration's creation options,
// CompleteWebAuthnRegistration verifying the attestation (and refusing a replayed challenge, another origin or relying
// party, a malformed credential, a missing user verification, another client's token, each changing nothing),
// ListWebAuthnCredentials paging, DeleteWebAuthnCredential, the per-user limit, and passkeys surviving a restart.
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import {
  AdminDeleteUserCommand, AdminCreateUserCommand, AdminInitiateAuthCommand, AdminSetUserPasswordCommand, CompleteWebAuthnRegistrationCommand,
  CreateUserPoolClientCommand, CreateUserPoolDomainCommand, DeleteWebAuthnCredentialCommand, GetUserPoolMfaConfigCommand, ListWebAuthnCredentialsCommand,
  SetUserPoolMfaConfigCommand, StartWebAuthnRegistrationCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { createPoolAndClient, startTestService, type TestService } from "../support/local-service";
import { rejectsWithAwsError } from "../support/aws-errors";
import { SoftwareAuthenticator } from "../support/software-authenticator";

const PASSWORD = "Passk3y-passw0rd!";
const ORIGIN = "http://localhost:5173";
/** Passkeys are offered where the pool's sign-in policy allows WEB_AUTHN (else WebAuthnNotEnabledException). */
const PASSKEY_POOL = { Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD" as const, "WEB_AUTHN" as const] } } };

interface CreationOptions {
  rp: { id: string; name: string };
  user: { id: string; name: string; displayName: string };
  challenge: string;
  pubKeyCredParams: Array<{ alg: number; type: string }>;
  excludeCredentials: Array<{ id: string; type: string; transports?: string[] }>;
  authenticatorSelection: { residentKey: string; requireResidentKey: boolean; userVerification: string };
  timeout: number;
}

describe("passkey registration and management", () => {
  let t: TestService;
  let userPoolId: string;
  let clientId: string;
  let otherClientId: string;

  before(async () => {
    t = await startTestService();
    ({ userPoolId, clientId } = await createPoolAndClient(t.idp, PASSKEY_POOL));
    const other = await t.idp.send(new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: "other", ExplicitAuthFlows: ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] }));
    otherClientId = other.UserPoolClient!.ClientId!;
  });
  after(() => t.stop());

  async function signedIn(username: string, pool = userPoolId, client = clientId): Promise<string> {
    await t.idp.send(new AdminCreateUserCommand({ UserPoolId: pool, Username: username, MessageAction: "SUPPRESS" })).catch((e: Error) => {
      if (e.name !== "UsernameExistsException") throw e;
    });
    await t.idp.send(new AdminSetUserPasswordCommand({ UserPoolId: pool, Username: username, Password: PASSWORD, Permanent: true }));
    return signIn(username, pool, client);
  }
  async function signIn(username: string, pool = userPoolId, client = clientId): Promise<string> {
    const res = await t.idp.send(new AdminInitiateAuthCommand({ UserPoolId: pool, ClientId: client, AuthFlow: "ADMIN_USER_PASSWORD_AUTH", AuthParameters: { USERNAME: username, PASSWORD } }));
    return res.AuthenticationResult!.AccessToken!;
  }
  const start = async (AccessToken: string) => (await t.idp.send(new StartWebAuthnRegistrationCommand({ AccessToken }))).CredentialCreationOptions as unknown as CreationOptions;
  const complete = (AccessToken: string, Credential: unknown) => t.idp.send(new CompleteWebAuthnRegistrationCommand({ AccessToken, Credential: Credential as never }));
  const list = (AccessToken: string, MaxResults?: number, NextToken?: string) => t.idp.send(new ListWebAuthnCredentialsCommand({ AccessToken, MaxResults, NextToken }));
  const useLocalhost = (UserVerification: "required" | "preferred" = "required") =>
    t.idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: userPoolId, WebAuthnConfiguration: { RelyingPartyId: "localhost", UserVerification } }));

  test("WebAuthnConfiguration is stored by SetUserPoolMfaConfig, returned by GetUserPoolMfaConfig, and validated", async () => {
    const before = await t.idp.send(new GetUserPoolMfaConfigCommand({ UserPoolId: userPoolId }));
    assert.equal(before.WebAuthnConfiguration, undefined, "not configured yet");
    const set = await useLocalhost();
    assert.deepEqual(set.WebAuthnConfiguration, { RelyingPartyId: "localhost", UserVerification: "required" });
    const got = await t.idp.send(new GetUserPoolMfaConfigCommand({ UserPoolId: userPoolId }));
    assert.deepEqual(got.WebAuthnConfiguration, { RelyingPartyId: "localhost", UserVerification: "required" });
    assert.equal(got.MfaConfiguration, "OFF");

    await rejectsWithAwsError(
      t.idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: userPoolId, WebAuthnConfiguration: { RelyingPartyId: "localhost", UserVerification: "sometimes" as never } })),
      "InvalidParameterException",
      "1 validation error detected: Value 'sometimes' at 'webAuthnConfiguration.userVerification' failed to satisfy constraint: Member must satisfy enum value set: [required, preferred]",
    );
    await rejectsWithAwsError(
      t.idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: userPoolId, WebAuthnConfiguration: { RelyingPartyId: "https://example.com/login" } })),
      "InvalidParameterException", /relying party ID must be a domain name/,
    );
    await rejectsWithAwsError(
      t.idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: userPoolId, WebAuthnConfiguration: { RelyingPartyId: `${"a".repeat(60)}.${"b".repeat(60)}.example.com` } })),
      "InvalidParameterException", /Member must have length less than or equal to 127/,
    );
    const after = await t.idp.send(new GetUserPoolMfaConfigCommand({ UserPoolId: userPoolId }));
    assert.deepEqual(after.WebAuthnConfiguration, { RelyingPartyId: "localhost", UserVerification: "required" }, "refused settings changed nothing");
  });

  test("without a relying party id or a domain, StartWebAuthnRegistration fails; the prefix domain is the default", async () => {
    const { userPoolId: bare, clientId: bareClient } = await createPoolAndClient(t.idp, { PoolName: "bare", ...PASSKEY_POOL });
    const token = await signedIn("carol", bare, bareClient);
    await rejectsWithAwsError(start(token), "WebAuthnConfigurationMissingException");
    await t.idp.send(new CreateUserPoolDomainCommand({ UserPoolId: bare, Domain: "passkey-test" }));
    const options = await start(token);
    assert.equal(options.rp.id, "passkey-test.auth.us-east-1.amazoncognito.com");
    // A page on another origin cannot use that relying party.
    const credential = new SoftwareAuthenticator().create(options, ORIGIN);
    await rejectsWithAwsError(complete(token, credential), "WebAuthnOriginNotAllowedException");
    await complete(token, new SoftwareAuthenticator().create(options, "https://passkey-test.auth.us-east-1.amazoncognito.com"));
    assert.equal((await list(token)).Credentials!.length, 1);
  });

  test("register a passkey: creation options as AWS shapes them, the attestation verified, the credential listed", async () => {
    await useLocalhost();
    const token = await signedIn("alice");
    const options = await start(token);
    assert.deepEqual(Object.keys(options).sort(), ["authenticatorSelection", "challenge", "excludeCredentials", "pubKeyCredParams", "rp", "timeout", "user"]);
    assert.equal(options.rp.id, "localhost");
    assert.equal(options.user.name, "alice");
    const sub = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()).sub as string;
    assert.equal(Buffer.from(options.user.id, "base64url").toString(), sub, "the user handle is the user's sub");
    assert.match(options.challenge, /^[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(options.pubKeyCredParams, [{ alg: -7, type: "public-key" }, { alg: -257, type: "public-key" }]);
    assert.deepEqual(options.excludeCredentials, []);
    assert.deepEqual(options.authenticatorSelection, { residentKey: "required", requireResidentKey: true, userVerification: "required" });
    assert.equal(options.timeout, 180_000);

    const authenticator = new SoftwareAuthenticator({ transports: ["internal", "hybrid"] });
    const credential = authenticator.create(options, ORIGIN);
    assert.deepEqual(await complete(token, credential).then((r) => Object.keys(r).filter((k) => k !== "$metadata")), []);
    const listed = await list(token);
    assert.equal(listed.Credentials!.length, 1);
    const [passkey] = listed.Credentials!;
    assert.equal(passkey!.CredentialId, credential.id);
    assert.equal(passkey!.RelyingPartyId, "localhost");
    assert.equal(passkey!.AuthenticatorAttachment, "platform");
    assert.deepEqual(passkey!.AuthenticatorTransports, ["internal", "hybrid"]);
    assert.match(passkey!.FriendlyCredentialName!, /^Platform passkey \(\d{4}-\d{2}-\d{2}\)$/);
    assert.ok(passkey!.CreatedAt instanceof Date && Math.abs(passkey!.CreatedAt.getTime() - Date.now()) < 60_000);

    // A challenge answers once.
    await rejectsWithAwsError(complete(token, credential), "WebAuthnChallengeNotFoundException");
    // The next registration excludes the passkey the user has.
    const next = await start(token);
    assert.deepEqual(next.excludeCredentials, [{ type: "public-key", id: credential.id, transports: ["internal", "hybrid"] }]);
  });

  test("refused registrations change nothing, and the challenge still answers a correct credential", async () => {
    await useLocalhost("required");
    const token = await signedIn("bob");
    const options = await start(token);
    const authenticator = new SoftwareAuthenticator();
    await rejectsWithAwsError(complete(token, "not a credential"), "InvalidParameterException", "Credential is not a valid WebAuthn credential response.");
    await rejectsWithAwsError(complete(token, { id: "abc", rawId: "abc", type: "public-key" }), "InvalidParameterException");
    await rejectsWithAwsError(complete(token, { ...authenticator.create(options, ORIGIN), response: { clientDataJSON: "!!", attestationObject: "AA" } }), "InvalidParameterException");
    await rejectsWithAwsError(complete(token, authenticator.create(options, ORIGIN, { challenge: "c29tZS1vdGhlci1jaGFsbGVuZ2U" })), "WebAuthnChallengeNotFoundException");
    await rejectsWithAwsError(complete(token, authenticator.create(options, "https://evil.example")), "WebAuthnOriginNotAllowedException");
    await rejectsWithAwsError(complete(token, authenticator.create(options, "http://localhost.evil.example:5173")), "WebAuthnOriginNotAllowedException");
    await rejectsWithAwsError(complete(token, authenticator.create(options, ORIGIN, { rpId: "example.com" })), "WebAuthnRelyingPartyMismatchException");
    await rejectsWithAwsError(complete(token, new SoftwareAuthenticator({ userVerifying: false }).create(options, ORIGIN)), "WebAuthnCredentialNotSupportedException");
    await rejectsWithAwsError(complete(token, authenticator.create(options, ORIGIN, { type: "webauthn.get" })), "InvalidParameterException");
    // Tampered: the attestation signs nothing ('none'), but the authenticator data must parse and carry the key.
    const tampered = authenticator.create(options, ORIGIN) as { response: { attestationObject: string } };
    const bytes = Buffer.from(tampered.response.attestationObject, "base64url");
    await rejectsWithAwsError(complete(token, { ...tampered, response: { ...tampered.response, attestationObject: bytes.subarray(0, bytes.length - 20).toString("base64url") } }), "InvalidParameterException");
    // Another client's access token for the same user.
    const otherToken = await signIn("bob", userPoolId, otherClientId);
    await rejectsWithAwsError(complete(otherToken, authenticator.create(options, ORIGIN)), "WebAuthnClientMismatchException");
    assert.deepEqual((await list(token)).Credentials, [], "nothing was registered");
    await complete(token, authenticator.create(options, ORIGIN));
    assert.equal((await list(token)).Credentials!.length, 1);
    // Missing members and bad tokens.
    await rejectsWithAwsError(t.idp.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: token } as never)), "InvalidParameterException", /Value null at 'credential'/);
    await rejectsWithAwsError(start("not.a.token"), "NotAuthorizedException", "Invalid Access Token");
  });

  test("user verification preferred accepts an authenticator that does not verify users", async () => {
    await useLocalhost("preferred");
    const token = await signedIn("dave");
    const options = await start(token);
    assert.equal(options.authenticatorSelection.userVerification, "preferred");
    await complete(token, new SoftwareAuthenticator({ userVerifying: false, attachment: "cross-platform", transports: ["usb"] }).create(options, "https://localhost:8443"));
    const [passkey] = (await list(token)).Credentials!;
    assert.equal(passkey!.AuthenticatorAttachment, "cross-platform");
    assert.match(passkey!.FriendlyCredentialName!, /^Security key/);
    await useLocalhost("required");
  });

  test("ListWebAuthnCredentials pages, DeleteWebAuthnCredential deletes, and a user has at most 20 passkeys", async () => {
    await useLocalhost();
    const token = await signedIn("erin");
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const credential = new SoftwareAuthenticator().create(await start(token), ORIGIN);
      await complete(token, credential);
      ids.push(credential.id as string);
    }
    await rejectsWithAwsError(complete(token, new SoftwareAuthenticator().create(await start(token), ORIGIN)), "LimitExceededException", "A user can have at most 20 passkeys.");
    const seen: string[] = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const page = await list(token, 6, next);
      assert.ok(page.Credentials!.length <= 6);
      seen.push(...page.Credentials!.map((c) => c.CredentialId!));
      next = page.NextToken;
      pages++;
    } while (next);
    assert.equal(pages, 4);
    assert.deepEqual([...seen].sort(), [...ids].sort());
    assert.equal((await list(token)).Credentials!.length, 20, "no MaxResults: up to 20");
    await rejectsWithAwsError(list(token, 21), "InvalidParameterException", /Member must have value less than or equal to 20/);
    await rejectsWithAwsError(list(token, 5, "bogus"), "InvalidParameterException", "Invalid pagination token.");

    const remove = (AccessToken: string, CredentialId: string) => t.idp.send(new DeleteWebAuthnCredentialCommand({ AccessToken, CredentialId }));
    await rejectsWithAwsError(remove(token, "AAAA"), "ResourceNotFoundException");
    const strangerToken = await signedIn("frank");
    await rejectsWithAwsError(remove(strangerToken, ids[0]!), "ResourceNotFoundException", undefined);
    await remove(token, ids[0]!);
    await rejectsWithAwsError(remove(token, ids[0]!), "ResourceNotFoundException");
    const left = (await list(token)).Credentials!.map((c) => c.CredentialId);
    assert.equal(left.length, 19);
    assert.ok(!left.includes(ids[0]!));
    await complete(token, new SoftwareAuthenticator().create(await start(token), ORIGIN)); // room for one again
  });

  test("passkeys survive a restart, and leave with their user", async () => {
    await useLocalhost();
    const token = await signedIn("grace");
    const credential = new SoftwareAuthenticator().create(await start(token), ORIGIN);
    await complete(token, credential);
    const dataDir = t.dataDir;
    await t.service.close();
    t.idp.destroy();
    t.identity.destroy();
    const restarted = await startTestService({ dataDir });
    const stopRestarted = restarted.stop.bind(restarted);
    t = { ...restarted, dataDir, stop: async () => { await stopRestarted(); (await import("node:fs")).rmSync(dataDir, { recursive: true, force: true }); } };
    const listed = await list(token);
    assert.deepEqual(listed.Credentials!.map((c) => c.CredentialId), [credential.id]);
    assert.equal(listed.Credentials![0]!.RelyingPartyId, "localhost");

    await t.idp.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: "grace" }));
    const again = await signedIn("grace");
    assert.deepEqual((await list(again)).Credentials, [], "a new user of the same name has no passkeys");
  });
});
