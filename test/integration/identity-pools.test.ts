// Acceptance of the cognito-identity protocol against the real local service with @aws-sdk/client-cognito-identity:
// every identity pool operation and its errors, the Logins token checks (forged, foreign, expired, wrong audience,
// disabled user), role mappings, developer-authenticated identities, and the seed-004 flow end to end — sign-up and
// USER_PASSWORD_AUTH sign-in, fromCognitoIdentityPool credentials, a SigV4-signed request the service verifies.
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createHash, createHmac, generateKeyPairSync, sign as rsaSign, type Hash, type Hmac } from "node:crypto";
import {
  AdminAddUserToGroupCommand, AdminConfirmSignUpCommand, AdminDeleteUserCommand, AdminDisableUserCommand, CreateGroupCommand,
  CreateUserPoolClientCommand, GlobalSignOutCommand, InitiateAuthCommand, SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import {
  CreateIdentityPoolCommand, DeleteIdentitiesCommand, DeleteIdentityPoolCommand, DescribeIdentityCommand, DescribeIdentityPoolCommand,
  GetCredentialsForIdentityCommand, GetIdCommand, GetIdentityPoolRolesCommand, GetOpenIdTokenCommand,
  GetOpenIdTokenForDeveloperIdentityCommand, GetPrincipalTagAttributeMapCommand, ListIdentitiesCommand, ListIdentityPoolsCommand,
  ListTagsForResourceCommand, LookupDeveloperIdentityCommand, MergeDeveloperIdentitiesCommand, SetIdentityPoolRolesCommand,
  SetPrincipalTagAttributeMapCommand, TagResourceCommand, UnlinkDeveloperIdentityCommand, UnlinkIdentityCommand, UntagResourceCommand,
  UpdateIdentityPoolCommand, type CreateIdentityPoolCommandInput,
} from "@aws-sdk/client-cognito-identity";
import { fromCognitoIdentityPool } from "@aws-sdk/credential-providers";
import { SignatureV4 } from "@smithy/signature-v4";
import type { SourceData } from "@smithy/types";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { rejectsWithAwsError } from "../support/aws-errors";
import { createPoolAndClient, startTestService, type TestService } from "../support/local-service";
import { ServiceContext } from "../../lib/service/context";
import { identityProviderOperations } from "../../lib/service/index";
import { identityPoolOperations } from "../../lib/service/operations/identity-pools";
import { localRoutes } from "../../lib/service/local-routes";
import { issueTokens } from "../../lib/service/sessions";
import { CognitoState } from "../../lib/service/state";
import { DurableStore } from "../../lib/service/store";
import { newUser } from "../../lib/service/user-records";

const PASSWORD = "Passw0rd!idp";
const REGION = "us-east-1";
const AUTH_ROLE = "arn:aws:iam::000000000000:role/test-authenticated";
const UNAUTH_ROLE = "arn:aws:iam::000000000000:role/test-unauthenticated";

/** SHA-256 for @smithy/signature-v4 on node:crypto, kept apart from the service's own verifier code. */
class TestSha256 {
  private hash: Hash | Hmac;
  private readonly secret: Buffer | undefined;
  constructor(secret?: SourceData) {
    this.secret = secret === undefined ? undefined : typeof secret === "string" ? Buffer.from(secret) : ArrayBuffer.isView(secret) ? Buffer.from(secret.buffer, secret.byteOffset, secret.byteLength) : Buffer.from(secret);
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash("sha256") : createHmac("sha256", this.secret);
  }
  update(data: string | Uint8Array): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

interface Creds {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Signs a request for API Gateway (execute-api) the way a browser app with identity-pool credentials would. */
async function signApiRequest(creds: Creds, body: string, options: { signingDate?: Date; region?: string } = {}) {
  const signer = new SignatureV4({ service: "execute-api", region: options.region ?? REGION, credentials: creds, sha256: TestSha256 });
  const signed = await signer.sign(
    { method: "POST", protocol: "http:", hostname: "127.0.0.1", port: 4000, path: "/items/42", query: { view: "full" }, headers: { host: "127.0.0.1:4000", "content-type": "application/json" }, body },
    options.signingDate ? { signingDate: options.signingDate } : {},
  );
  return { method: "POST", url: "/items/42?view=full", headers: signed.headers as Record<string, string>, body };
}

async function verifyAt(url: string, request: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${url}/_local/sigv4/verify`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(request) });
  assert.equal(res.status, 200);
  return (await res.json()) as Record<string, unknown>;
}

/** A raw JSON 1.1 call, with no SigV4 signature. */
async function unsigned(url: string, operation: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": `AWSCognitoIdentityService.${operation}` }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const rejectsWith = rejectsWithAwsError;

const decodeClaims = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8")) as Record<string, unknown>;

/** Re-signs a token with a key the service never made, keeping its header (kid) and claims. */
function forge(token: string, claims?: Record<string, unknown>): string {
  const [header, payload] = token.split(".");
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const body = claims ? Buffer.from(JSON.stringify(claims)).toString("base64url") : payload;
  const input = `${header}.${body}`;
  return `${input}.${rsaSign("sha256", Buffer.from(input), privateKey).toString("base64url")}`;
}

describe("cognito-identity: identity pools", () => {
  let t: TestService;
  let userPoolId: string;
  let clientId: string;
  let otherClientId: string;
  let providerName: string;
  let n = 0;

  before(async () => {
    t = await startTestService();
    ({ userPoolId, clientId } = await createPoolAndClient(t.idp));
    const other = await t.idp.send(new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: "not-on-the-identity-pool", ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] }));
    otherClientId = other.UserPoolClient!.ClientId!;
    providerName = `cognito-idp.${REGION}.amazonaws.com/${userPoolId}`;
  });
  after(async () => {
    await t.stop();
  });

  /** Seed 004: SignUp, AdminConfirmSignUp, InitiateAuth USER_PASSWORD_AUTH; returns the ID token and more. */
  async function signedIn(client = clientId) {
    const username = `idp-user-${++n}`;
    await t.idp.send(new SignUpCommand({ ClientId: clientId, Username: username, Password: PASSWORD, UserAttributes: [{ Name: "email", Value: `${username}@example.com` }] }));
    await t.idp.send(new AdminConfirmSignUpCommand({ UserPoolId: userPoolId, Username: username }));
    const auth = await t.idp.send(new InitiateAuthCommand({ ClientId: client, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: username, PASSWORD } }));
    return { username, idToken: auth.AuthenticationResult!.IdToken!, accessToken: auth.AuthenticationResult!.AccessToken! };
  }

  async function identityPool(overrides: Partial<CreateIdentityPoolCommandInput> = {}, roles: Record<string, string> = { authenticated: AUTH_ROLE, unauthenticated: UNAUTH_ROLE }) {
    const created = await t.identity.send(new CreateIdentityPoolCommand({
      IdentityPoolName: `pool ${++n}`,
      AllowUnauthenticatedIdentities: false,
      CognitoIdentityProviders: [{ ProviderName: providerName, ClientId: clientId }],
      ...overrides,
    }));
    if (Object.keys(roles).length) await t.identity.send(new SetIdentityPoolRolesCommand({ IdentityPoolId: created.IdentityPoolId!, Roles: roles }));
    return created.IdentityPoolId!;
  }

  test("CreateIdentityPool, DescribeIdentityPool, UpdateIdentityPool and DeleteIdentityPool keep AWS's shapes", async () => {
    const created = await t.identity.send(new CreateIdentityPoolCommand({
      IdentityPoolName: "My pool",
      AllowUnauthenticatedIdentities: true,
      DeveloperProviderName: "login.example",
      CognitoIdentityProviders: [{ ProviderName: providerName, ClientId: clientId, ServerSideTokenCheck: false }],
      IdentityPoolTags: { team: "a" },
    }));
    assert.match(created.IdentityPoolId!, /^us-east-1:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(created.IdentityPoolName, "My pool");
    assert.equal(created.AllowUnauthenticatedIdentities, true);
    assert.equal(created.AllowClassicFlow, false);
    assert.deepEqual(created.CognitoIdentityProviders, [{ ProviderName: providerName, ClientId: clientId, ServerSideTokenCheck: false }]);
    assert.deepEqual(created.IdentityPoolTags, { team: "a" });
    const id = created.IdentityPoolId!;
    const described = await t.identity.send(new DescribeIdentityPoolCommand({ IdentityPoolId: id }));
    assert.equal(described.DeveloperProviderName, "login.example");
    await t.identity.send(new SetIdentityPoolRolesCommand({ IdentityPoolId: id, Roles: { authenticated: AUTH_ROLE } }));

    const updated = await t.identity.send(new UpdateIdentityPoolCommand({ IdentityPoolId: id, IdentityPoolName: "Renamed", AllowUnauthenticatedIdentities: false, AllowClassicFlow: true }));
    assert.equal(updated.IdentityPoolName, "Renamed");
    assert.equal(updated.AllowClassicFlow, true);
    assert.equal(updated.CognitoIdentityProviders, undefined, "members left out of an update are cleared");
    assert.equal(updated.DeveloperProviderName, "login.example", "the developer provider name stays once set");
    await rejectsWith(t.identity.send(new UpdateIdentityPoolCommand({ IdentityPoolId: id, IdentityPoolName: "x", AllowUnauthenticatedIdentities: false, DeveloperProviderName: "other.example" })), "InvalidParameterException");
    const roles = await t.identity.send(new GetIdentityPoolRolesCommand({ IdentityPoolId: id }));
    assert.deepEqual(roles.Roles, { authenticated: AUTH_ROLE }, "an update keeps the roles");

    await t.identity.send(new DeleteIdentityPoolCommand({ IdentityPoolId: id }));
    await rejectsWith(t.identity.send(new DescribeIdentityPoolCommand({ IdentityPoolId: id })), "ResourceNotFoundException", /IdentityPool '.*' not found/);
    await rejectsWith(t.identity.send(new DeleteIdentityPoolCommand({ IdentityPoolId: id })), "ResourceNotFoundException");
  });

  test("CreateIdentityPool and friends refuse malformed input with InvalidParameterException", async () => {
    await rejectsWith(t.identity.send(new CreateIdentityPoolCommand({ IdentityPoolName: "bad/name", AllowUnauthenticatedIdentities: false })), "InvalidParameterException");
    await rejectsWith(t.identity.send(new CreateIdentityPoolCommand({ IdentityPoolName: "ok" } as CreateIdentityPoolCommandInput)), "InvalidParameterException", /allowUnauthenticatedIdentities/);
    await rejectsWith(t.identity.send(new DescribeIdentityPoolCommand({ IdentityPoolId: "not-an-id" })), "InvalidParameterException");
    await rejectsWith(t.identity.send(new DescribeIdentityPoolCommand({ IdentityPoolId: "us-east-1:00000000-0000-0000-0000-000000000000" })), "ResourceNotFoundException");
    await rejectsWith(t.identity.send(new ListIdentityPoolsCommand({ MaxResults: 0 })), "InvalidParameterException");
  });

  test("ListIdentityPools pages with MaxResults and NextToken", async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 3; i++) ids.add(await identityPool());
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await t.identity.send(new ListIdentityPoolsCommand({ MaxResults: 2, NextToken: token }));
      assert.ok(page.IdentityPools!.length <= 2);
      for (const p of page.IdentityPools!) {
        assert.equal(typeof p.IdentityPoolName, "string");
        seen.push(p.IdentityPoolId!);
      }
      token = page.NextToken;
    } while (token);
    for (const id of ids) assert.ok(seen.includes(id));
    assert.equal(new Set(seen).size, seen.length, "no pool is listed twice");
  });

  test("SetIdentityPoolRoles and GetIdentityPoolRoles round-trip roles and role mappings, and validate them", async () => {
    const id = await identityPool({}, {});
    const mappings = {
      [`${providerName}:${clientId}`]: { Type: "Rules" as const, AmbiguousRoleResolution: "AuthenticatedRole" as const, RulesConfiguration: { Rules: [{ Claim: "email", MatchType: "StartsWith" as const, Value: "admin", RoleARN: "arn:aws:iam::000000000000:role/admins" }] } },
    };
    await t.identity.send(new SetIdentityPoolRolesCommand({ IdentityPoolId: id, Roles: { authenticated: AUTH_ROLE }, RoleMappings: mappings }));
    const got = await t.identity.send(new GetIdentityPoolRolesCommand({ IdentityPoolId: id }));
    assert.equal(got.IdentityPoolId, id);
    assert.deepEqual(got.Roles, { authenticated: AUTH_ROLE });
    assert.deepEqual(got.RoleMappings, mappings);
    await rejectsWith(t.identity.send(new SetIdentityPoolRolesCommand({ IdentityPoolId: id, Roles: { admin: AUTH_ROLE } })), "InvalidParameterException");
    await rejectsWith(t.identity.send(new SetIdentityPoolRolesCommand({ IdentityPoolId: id, Roles: { authenticated: "not-an-arn" } })), "InvalidParameterException");
    await rejectsWith(t.identity.send(new SetIdentityPoolRolesCommand({ IdentityPoolId: id, Roles: {}, RoleMappings: { "accounts.google.com": { Type: "Token", AmbiguousRoleResolution: "Deny" } } })), "InvalidParameterException");
    await rejectsWith(t.identity.send(new SetIdentityPoolRolesCommand({ IdentityPoolId: id, Roles: {}, RoleMappings: { [providerName]: { Type: "Rules", AmbiguousRoleResolution: "Deny" } } })), "InvalidParameterException");
  });

  test("GetId, GetCredentialsForIdentity and GetOpenIdToken are served unsigned; the rest need a signature", async () => {
    const id = await identityPool({ AllowUnauthenticatedIdentities: true });
    const getId = await unsigned(t.url, "GetId", { IdentityPoolId: id });
    assert.equal(getId.status, 200);
    const identityId = getId.body.IdentityId as string;
    assert.equal((await unsigned(t.url, "GetCredentialsForIdentity", { IdentityId: identityId })).status, 200);
    assert.equal((await unsigned(t.url, "GetOpenIdToken", { IdentityId: identityId })).status, 200);
    const describe = await unsigned(t.url, "DescribeIdentityPool", { IdentityPoolId: id });
    assert.equal(describe.status, 400);
    assert.equal(describe.body.__type, "MissingAuthenticationTokenException");
  });

  test("GetId gives each user one stable identity id and refuses unauthenticated access unless allowed", async () => {
    const id = await identityPool();
    const a = await signedIn();
    const b = await signedIn();
    const logins = (token: string) => ({ [providerName]: token });
    const first = await t.identity.send(new GetIdCommand({ IdentityPoolId: id, Logins: logins(a.idToken) }));
    assert.match(first.IdentityId!, /^us-east-1:[0-9a-f-]{36}$/);
    const again = await t.identity.send(new GetIdCommand({ IdentityPoolId: id, Logins: logins(a.idToken), AccountId: "000000000000" }));
    assert.equal(again.IdentityId, first.IdentityId);
    const other = await t.identity.send(new GetIdCommand({ IdentityPoolId: id, Logins: logins(b.idToken) }));
    assert.notEqual(other.IdentityId, first.IdentityId);
    const otherPool = await identityPool();
    const elsewhere = await t.identity.send(new GetIdCommand({ IdentityPoolId: otherPool, Logins: logins(a.idToken) }));
    assert.notEqual(elsewhere.IdentityId, first.IdentityId, "identities are per identity pool");

    await rejectsWith(t.identity.send(new GetIdCommand({ IdentityPoolId: id })), "NotAuthorizedException", /^Unauthenticated access is not supported for this identity pool\.$/);
    await rejectsWith(t.identity.send(new GetIdCommand({ IdentityPoolId: "us-east-1:00000000-0000-0000-0000-000000000000", Logins: logins(a.idToken) })), "ResourceNotFoundException");
    const open = await identityPool({ AllowUnauthenticatedIdentities: true });
    const guest1 = await t.identity.send(new GetIdCommand({ IdentityPoolId: open }));
    const guest2 = await t.identity.send(new GetIdCommand({ IdentityPoolId: open }));
    assert.notEqual(guest1.IdentityId, guest2.IdentityId, "every unauthenticated GetId makes a new identity");
  });

  test("forged, foreign, wrong-audience and access tokens in Logins get NotAuthorizedException", async () => {
    const id = await identityPool();
    const { idToken, accessToken } = await signedIn();
    const getId = (provider: string, token: string) => t.identity.send(new GetIdCommand({ IdentityPoolId: id, Logins: { [provider]: token } }));

    await rejectsWith(getId(providerName, forge(idToken)), "NotAuthorizedException", /^Invalid login token\. Couldn't verify signed token\.$/);
    const claims = decodeClaims(idToken);
    const tampered = `${idToken.split(".")[0]}.${Buffer.from(JSON.stringify({ ...claims, sub: "00000000-0000-0000-0000-000000000000" })).toString("base64url")}.${idToken.split(".")[2]}`;
    await rejectsWith(getId(providerName, tampered), "NotAuthorizedException", /Invalid login token/);
    await rejectsWith(getId(providerName, "not.a.jwt"), "NotAuthorizedException", /Invalid login token/);
    await rejectsWith(getId(providerName, accessToken), "NotAuthorizedException", /Not a valid OpenId Connect identity token/);

    const wrongAudience = await signedIn(otherClientId);
    await rejectsWith(getId(providerName, wrongAudience.idToken), "NotAuthorizedException", /Incorrect token audience/);

    // A token of another user pool, presented under this pool's key or under its own (unconfigured) key.
    const { userPoolId: foreignPoolId, clientId: foreignClient } = await createPoolAndClient(t.idp);
    await t.idp.send(new SignUpCommand({ ClientId: foreignClient, Username: "foreigner", Password: PASSWORD }));
    await t.idp.send(new AdminConfirmSignUpCommand({ UserPoolId: foreignPoolId, Username: "foreigner" }));
    const foreign = await t.idp.send(new InitiateAuthCommand({ ClientId: foreignClient, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "foreigner", PASSWORD } }));
    const foreignToken = foreign.AuthenticationResult!.IdToken!;
    await rejectsWith(getId(providerName, foreignToken), "NotAuthorizedException", /Issuer doesn't match providerName/);
    await rejectsWith(getId(`cognito-idp.${REGION}.amazonaws.com/${foreignPoolId}`, foreignToken), "NotAuthorizedException", /^Token is not from a supported provider of this identity pool\.$/);
    await rejectsWith(getId("accounts.google.com", idToken), "NotAuthorizedException", /supported provider/);

    // A token of the same pool id from another service (other keys): the signature fails.
    const second = await startTestService();
    try {
      const { clientId: c2 } = await createPoolAndClient(second.idp);
      const secondToken = forge(idToken, { ...claims, aud: c2 });
      await rejectsWith(getId(providerName, secondToken), "NotAuthorizedException", /Invalid login token/);
    } finally {
      await second.stop();
    }
  });

  test("a disabled or deleted user's token and a signed-out token with ServerSideTokenCheck are refused", async () => {
    const id = await identityPool({ CognitoIdentityProviders: [{ ProviderName: providerName, ClientId: clientId, ServerSideTokenCheck: true }] });
    const getId = (token: string) => t.identity.send(new GetIdCommand({ IdentityPoolId: id, Logins: { [providerName]: token } }));
    const disabled = await signedIn();
    await getId(disabled.idToken);
    await t.idp.send(new AdminDisableUserCommand({ UserPoolId: userPoolId, Username: disabled.username }));
    await rejectsWith(getId(disabled.idToken), "NotAuthorizedException", /User is disabled/);
    const deleted = await signedIn();
    await t.idp.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: deleted.username }));
    await rejectsWith(getId(deleted.idToken), "NotAuthorizedException", /Invalid login token/);
    const signedOut = await signedIn();
    await getId(signedOut.idToken);
    await t.idp.send(new GlobalSignOutCommand({ AccessToken: signedOut.accessToken }));
    await rejectsWith(getId(signedOut.idToken), "NotAuthorizedException", /revoked/);
  });

  test("GetCredentialsForIdentity issues one-hour ASIA credentials for the identity's role and checks the Logins", async () => {
    const id = await identityPool({ AllowUnauthenticatedIdentities: true });
    const a = await signedIn();
    const b = await signedIn();
    const { IdentityId } = await t.identity.send(new GetIdCommand({ IdentityPoolId: id, Logins: { [providerName]: a.idToken } }));
    const before = Date.now();
    const result = await t.identity.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: { [providerName]: a.idToken } }));
    assert.equal(result.IdentityId, IdentityId);
    const c = result.Credentials!;
    assert.match(c.AccessKeyId!, /^ASIA[A-Z2-7]{16}$/);
    assert.equal(c.SecretKey!.length, 40);
    assert.ok(c.SessionToken!.length > 100);
    const lifetime = c.Expiration!.getTime() - before;
    assert.ok(lifetime > 3590_000 && lifetime <= 3601_000, `expires in about an hour (${lifetime} ms)`);
    const verdict = await verifyAt(t.url, await signApiRequest({ accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretKey!, sessionToken: c.SessionToken! }, "{}"));
    assert.equal(verdict.roleArn, AUTH_ROLE);

    await rejectsWith(t.identity.send(new GetCredentialsForIdentityCommand({ IdentityId })), "NotAuthorizedException", /^Logins don't match\. Please include at least one valid login for this identity or identity pool\.$/);
    await rejectsWith(t.identity.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: { [providerName]: b.idToken } })), "NotAuthorizedException", /Logins don't match/);
    await rejectsWith(t.identity.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: { [providerName]: forge(a.idToken) } })), "NotAuthorizedException", /Invalid login token/);
    await rejectsWith(t.identity.send(new GetCredentialsForIdentityCommand({ IdentityId: "us-east-1:00000000-0000-0000-0000-000000000000" })), "ResourceNotFoundException", /Identity '.*' not found/);

    // An unauthenticated identity gets the unauthenticated role; signing in with it links the login to it.
    const guest = await t.identity.send(new GetIdCommand({ IdentityPoolId: id }));
    const guestCreds = (await t.identity.send(new GetCredentialsForIdentityCommand({ IdentityId: guest.IdentityId }))).Credentials!;
    const guestVerdict = await verifyAt(t.url, await signApiRequest({ accessKeyId: guestCreds.AccessKeyId!, secretAccessKey: guestCreds.SecretKey!, sessionToken: guestCreds.SessionToken! }, ""));
    assert.equal(guestVerdict.roleArn, UNAUTH_ROLE);
    assert.equal(guestVerdict.identityId, guest.IdentityId);
    const upgraded = await signedIn();
    await t.identity.send(new GetCredentialsForIdentityCommand({ IdentityId: guest.IdentityId, Logins: { [providerName]: upgraded.idToken } }));
    const sameIdentity = await t.identity.send(new GetIdCommand({ IdentityPoolId: id, Logins: { [providerName]: upgraded.idToken } }));
    assert.equal(sameIdentity.IdentityId, guest.IdentityId);
    await rejectsWith(t.identity.send(new GetCredentialsForIdentityCommand({ IdentityId: guest.IdentityId })), "NotAuthorizedException", /Logins don't match/);
  });

  test("a pool without the needed role answers InvalidIdentityPoolConfigurationException", async () => {
    const id = await identityPool({ AllowUnauthenticatedIdentities: true }, { unauthenticated: UNAUTH_ROLE });
    const a = await signedIn();
    const { IdentityId } = await t.identity.send(new GetIdCommand({ IdentityPoolId: id, Logins: { [providerName]: a.idToken } }));
    await rejectsWith(
      t.identity.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: { [providerName]: a.idToken } })),
      "InvalidIdentityPoolConfigurationException",
      /^Invalid identity pool configuration\. Check assigned IAM roles for this pool\.$/,
    );
    const noRoles = await identityPool({ AllowUnauthenticatedIdentities: true }, {});
    const guest = await t.identity.send(new GetIdCommand({ IdentityPoolId: noRoles }));
    await rejectsWith(t.identity.send(new GetCredentialsForIdentityCommand({ IdentityId: guest.IdentityId })), "InvalidIdentityPoolConfigurationException");
  });

  test("role mappings: Token picks the group's role, Rules match claims, Deny refuses", async () => {
    const adminRole = "arn:aws:iam::000000000000:role/admins";
    const staffRole = "arn:aws:iam::000000000000:role/staff";
    await t.idp.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: `admins-${n}`, RoleArn: adminRole, Precedence: 1 }));
    await t.idp.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: `staff-${n}`, RoleArn: staffRole, Precedence: 5 }));
    const groupSuffix = n;
    const id = await identityPool();
    const key = `${providerName}:${clientId}`;
    const roleOf = async (idToken: string, customRoleArn?: string) => {
      const { IdentityId } = await t.identity.send(new GetIdCommand({ IdentityPoolId: id, Logins: { [providerName]: idToken } }));
      const c = (await t.identity.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: { [providerName]: idToken }, CustomRoleArn: customRoleArn }))).Credentials!;
      return (await verifyAt(t.url, await signApiRequest({ accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretKey!, sessionToken: c.SessionToken! }, ""))).roleArn;
    };
    const withGroups = async (...groups: string[]) => {
      const u = await signedIn();
      for (const g of groups) await t.idp.send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: u.username, GroupName: g }));
      const again = await t.idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: u.username, PASSWORD } }));
      return again.AuthenticationResult!.IdToken!;
    };

    await t.identity.send(new SetIdentityPoolRolesCommand({ IdentityPoolId: id, Roles: { authenticated: AUTH_ROLE }, RoleMappings: { [key]: { Type: "Token", AmbiguousRoleResolution: "AuthenticatedRole" } } }));
    const both = await withGroups(`admins-${groupSuffix}`, `staff-${groupSuffix}`);
    assert.equal(await roleOf(both), adminRole, "the group with the lowest precedence wins");
    assert.equal(await roleOf(both, staffRole), staffRole, "CustomRoleArn picks another of the user's roles");
    const none = (await signedIn()).idToken;
    assert.equal(await roleOf(none), AUTH_ROLE, "no group role: the authenticated role");

    await t.identity.send(new SetIdentityPoolRolesCommand({ IdentityPoolId: id, Roles: { authenticated: AUTH_ROLE }, RoleMappings: { [providerName]: { Type: "Rules", AmbiguousRoleResolution: "Deny", RulesConfiguration: { Rules: [{ Claim: "cognito:groups", MatchType: "Equals", Value: `staff-${groupSuffix}`, RoleARN: staffRole }] } } } }));
    assert.equal(await roleOf(both), staffRole);
    await rejectsWith(roleOf(none), "NotAuthorizedException", /ambiguous role mapping rules/);
  });

  test("GetOpenIdToken returns a token of cognito-identity.amazonaws.com that verifies with the published JWKS", async () => {
    const id = await identityPool({ AllowUnauthenticatedIdentities: true });
    const a = await signedIn();
    const { IdentityId } = await t.identity.send(new GetIdCommand({ IdentityPoolId: id, Logins: { [providerName]: a.idToken } }));
    const result = await t.identity.send(new GetOpenIdTokenCommand({ IdentityId, Logins: { [providerName]: a.idToken } }));
    assert.equal(result.IdentityId, IdentityId);
    const jwks = createRemoteJWKSet(new URL(`${t.url}/.well-known/jwks_uri`));
    const { payload, protectedHeader } = await jwtVerify(result.Token!, jwks, { issuer: "https://cognito-identity.amazonaws.com", audience: id });
    assert.equal(protectedHeader.alg, "RS256");
    assert.equal(payload.sub, IdentityId);
    assert.deepEqual(payload.amr, ["authenticated", providerName, `${providerName}:CognitoSignIn:${decodeClaims(a.idToken).sub}`]);
    assert.ok(payload.exp! - payload.iat! === 600);
    const guest = await t.identity.send(new GetIdCommand({ IdentityPoolId: id }));
    const guestToken = await t.identity.send(new GetOpenIdTokenCommand({ IdentityId: guest.IdentityId }));
    assert.deepEqual(decodeClaims(guestToken.Token!).amr, ["unauthenticated"]);
    await rejectsWith(t.identity.send(new GetOpenIdTokenCommand({ IdentityId })), "NotAuthorizedException", /Logins don't match/);
  });

  test("DescribeIdentity, ListIdentities, UnlinkIdentity and DeleteIdentities", async () => {
    const id = await identityPool({ AllowUnauthenticatedIdentities: true });
    const users = [await signedIn(), await signedIn(), await signedIn()];
    const identityIds: string[] = [];
    for (const u of users) identityIds.push((await t.identity.send(new GetIdCommand({ IdentityPoolId: id, Logins: { [providerName]: u.idToken } }))).IdentityId!);
    const guest = (await t.identity.send(new GetIdCommand({ IdentityPoolId: id }))).IdentityId!;

    const described = await t.identity.send(new DescribeIdentityCommand({ IdentityId: identityIds[0] }));
    assert.equal(described.IdentityId, identityIds[0]);
    assert.deepEqual(described.Logins, [providerName]);
    assert.ok(described.CreationDate instanceof Date && described.LastModifiedDate instanceof Date);
    assert.deepEqual((await t.identity.send(new DescribeIdentityCommand({ IdentityId: guest }))).Logins, []);

    const listed: string[] = [];
    let token: string | undefined;
    do {
      const page = await t.identity.send(new ListIdentitiesCommand({ IdentityPoolId: id, MaxResults: 3, NextToken: token }));
      assert.equal(page.IdentityPoolId, id);
      listed.push(...page.Identities!.map((i) => i.IdentityId!));
      token = page.NextToken;
    } while (token);
    assert.deepEqual([...listed].sort(), [...identityIds, guest].sort());
    await rejectsWith(t.identity.send(new ListIdentitiesCommand({ IdentityPoolId: id, MaxResults: 61 })), "InvalidParameterException");

    // UnlinkIdentity needs a valid login of the identity; without its last login the identity is inaccessible.
    await rejectsWith(t.identity.send(new UnlinkIdentityCommand({ IdentityId: identityIds[0], Logins: { [providerName]: users[1]!.idToken }, LoginsToRemove: [providerName] })), "NotAuthorizedException", /Logins don't match/);
    await t.identity.send(new UnlinkIdentityCommand({ IdentityId: identityIds[0], Logins: { [providerName]: users[0]!.idToken }, LoginsToRemove: [providerName] }));
    assert.deepEqual((await t.identity.send(new DescribeIdentityCommand({ IdentityId: identityIds[0] }))).Logins, []);
    await rejectsWith(t.identity.send(new GetCredentialsForIdentityCommand({ IdentityId: identityIds[0], Logins: { [providerName]: users[0]!.idToken } })), "NotAuthorizedException");
    const hidden = await t.identity.send(new ListIdentitiesCommand({ IdentityPoolId: id, MaxResults: 60, HideDisabled: true }));
    assert.ok(!hidden.Identities!.some((i) => i.IdentityId === identityIds[0]));
    const fresh = await t.identity.send(new GetIdCommand({ IdentityPoolId: id, Logins: { [providerName]: users[0]!.idToken } }));
    assert.notEqual(fresh.IdentityId, identityIds[0], "an unlinked login is a new identity next time");

    const deleted = await t.identity.send(new DeleteIdentitiesCommand({ IdentityIdsToDelete: [identityIds[1]!, guest] }));
    assert.deepEqual(deleted.UnprocessedIdentityIds, []);
    await rejectsWith(t.identity.send(new DescribeIdentityCommand({ IdentityId: identityIds[1] })), "ResourceNotFoundException");
    const recreated = await t.identity.send(new GetIdCommand({ IdentityPoolId: id, Logins: { [providerName]: users[1]!.idToken } }));
    assert.notEqual(recreated.IdentityId, identityIds[1]);
    await rejectsWith(t.identity.send(new DeleteIdentitiesCommand({ IdentityIdsToDelete: [] })), "InvalidParameterException");
  });

  test("one identity holds logins of two user pools; unlinking one keeps the other", async () => {
    const second = await createPoolAndClient(t.idp);
    const secondProvider = `cognito-idp.${REGION}.amazonaws.com/${second.userPoolId}`;
    await t.idp.send(new SignUpCommand({ ClientId: second.clientId, Username: "twin", Password: PASSWORD }));
    await t.idp.send(new AdminConfirmSignUpCommand({ UserPoolId: second.userPoolId, Username: "twin" }));
    const secondToken = (await t.idp.send(new InitiateAuthCommand({ ClientId: second.clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "twin", PASSWORD } }))).AuthenticationResult!.IdToken!;
    const id = await identityPool({ CognitoIdentityProviders: [{ ProviderName: providerName, ClientId: clientId }, { ProviderName: secondProvider, ClientId: second.clientId }] });
    const first = await signedIn();
    const both = await t.identity.send(new GetIdCommand({ IdentityPoolId: id, Logins: { [providerName]: first.idToken, [secondProvider]: secondToken } }));
    assert.equal((await t.identity.send(new GetIdCommand({ IdentityPoolId: id, Logins: { [secondProvider]: secondToken } }))).IdentityId, both.IdentityId);
    assert.deepEqual((await t.identity.send(new DescribeIdentityCommand({ IdentityId: both.IdentityId }))).Logins?.sort(), [providerName, secondProvider].sort());
    await t.identity.send(new UnlinkIdentityCommand({ IdentityId: both.IdentityId, Logins: { [secondProvider]: secondToken }, LoginsToRemove: [providerName] }));
    assert.deepEqual((await t.identity.send(new DescribeIdentityCommand({ IdentityId: both.IdentityId }))).Logins, [secondProvider]);
    const creds = await t.identity.send(new GetCredentialsForIdentityCommand({ IdentityId: both.IdentityId, Logins: { [secondProvider]: secondToken } }));
    assert.match(creds.Credentials!.AccessKeyId!, /^ASIA/);
    assert.notEqual((await t.identity.send(new GetIdCommand({ IdentityPoolId: id, Logins: { [providerName]: first.idToken } }))).IdentityId, both.IdentityId);
  });

  test("developer-authenticated identities: GetOpenIdTokenForDeveloperIdentity, Lookup, Merge, Unlink, and credentials from the token", async () => {
    const id = await identityPool({ DeveloperProviderName: "login.example.com" });
    const dev = (userId: string, IdentityId?: string) => t.identity.send(new GetOpenIdTokenForDeveloperIdentityCommand({ IdentityPoolId: id, IdentityId, Logins: { "login.example.com": userId }, TokenDuration: 120 }));
    const alice = await dev("alice");
    assert.equal((await dev("alice")).IdentityId, alice.IdentityId, "a developer user keeps one identity");
    const aliceClaims = decodeClaims(alice.Token!);
    assert.equal(aliceClaims.aud, id);
    assert.equal(aliceClaims.sub, alice.IdentityId);
    assert.equal((aliceClaims.exp as number) - (aliceClaims.iat as number), 120);

    // The client side of the developer flow: Logins {"cognito-identity.amazonaws.com": token}.
    const creds = await t.identity.send(new GetCredentialsForIdentityCommand({ IdentityId: alice.IdentityId, Logins: { "cognito-identity.amazonaws.com": alice.Token! } }));
    const verdict = await verifyAt(t.url, await signApiRequest({ accessKeyId: creds.Credentials!.AccessKeyId!, secretAccessKey: creds.Credentials!.SecretKey!, sessionToken: creds.Credentials!.SessionToken! }, "x"));
    assert.equal(verdict.identityId, alice.IdentityId);
    assert.equal(verdict.roleArn, AUTH_ROLE);
    const bob = await dev("bob");
    await rejectsWith(t.identity.send(new GetCredentialsForIdentityCommand({ IdentityId: bob.IdentityId, Logins: { "cognito-identity.amazonaws.com": alice.Token! } })), "NotAuthorizedException", /Logins don't match/);
    await rejectsWith(t.identity.send(new GetCredentialsForIdentityCommand({ IdentityId: alice.IdentityId, Logins: { "cognito-identity.amazonaws.com": forge(alice.Token!) } })), "NotAuthorizedException", /Invalid login token/);

    const lookedUp = await t.identity.send(new LookupDeveloperIdentityCommand({ IdentityPoolId: id, DeveloperUserIdentifier: "alice" }));
    assert.equal(lookedUp.IdentityId, alice.IdentityId);
    assert.deepEqual(lookedUp.DeveloperUserIdentifierList, ["alice"]);
    await rejectsWith(t.identity.send(new LookupDeveloperIdentityCommand({ IdentityPoolId: id, DeveloperUserIdentifier: "nobody" })), "ResourceNotFoundException");

    const merged = await t.identity.send(new MergeDeveloperIdentitiesCommand({ IdentityPoolId: id, DeveloperProviderName: "login.example.com", SourceUserIdentifier: "bob", DestinationUserIdentifier: "alice" }));
    assert.equal(merged.IdentityId, alice.IdentityId);
    assert.deepEqual((await t.identity.send(new LookupDeveloperIdentityCommand({ IdentityPoolId: id, IdentityId: alice.IdentityId }))).DeveloperUserIdentifierList?.sort(), ["alice", "bob"]);
    assert.equal((await dev("bob")).IdentityId, alice.IdentityId, "bob now signs in as alice's identity");
    await rejectsWith(t.identity.send(new DescribeIdentityCommand({ IdentityId: bob.IdentityId })), "ResourceNotFoundException");

    await t.identity.send(new UnlinkDeveloperIdentityCommand({ IdentityPoolId: id, IdentityId: alice.IdentityId, DeveloperProviderName: "login.example.com", DeveloperUserIdentifier: "bob" }));
    assert.deepEqual((await t.identity.send(new LookupDeveloperIdentityCommand({ IdentityPoolId: id, IdentityId: alice.IdentityId }))).DeveloperUserIdentifierList, ["alice"]);
    const bobAgain = await dev("bob");
    assert.notEqual(bobAgain.IdentityId, alice.IdentityId);
    assert.equal((await dev("carol", alice.IdentityId)).IdentityId, alice.IdentityId, "IdentityId links a new developer user to it");
    await rejectsWith(dev("carol", bobAgain.IdentityId), "ResourceConflictException");
    await rejectsWith(dev("dave", bob.IdentityId), "ResourceNotFoundException");

    const noDeveloper = await identityPool();
    await rejectsWith(t.identity.send(new GetOpenIdTokenForDeveloperIdentityCommand({ IdentityPoolId: noDeveloper, Logins: { "login.example.com": "alice" } })), "NotAuthorizedException");
  });

  test("TagResource, UntagResource, ListTagsForResource and the principal-tag maps", async () => {
    const id = await identityPool({ IdentityPoolTags: { a: "1" } });
    const arn = `arn:aws:cognito-identity:${REGION}:000000000000:identitypool/${id}`;
    await t.identity.send(new TagResourceCommand({ ResourceArn: arn, Tags: { b: "2", c: "3" } }));
    assert.deepEqual((await t.identity.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags, { a: "1", b: "2", c: "3" });
    await t.identity.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ["a", "c"] }));
    assert.deepEqual((await t.identity.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags, { b: "2" });
    assert.deepEqual((await t.identity.send(new DescribeIdentityPoolCommand({ IdentityPoolId: id }))).IdentityPoolTags, { b: "2" });
    await rejectsWith(t.identity.send(new ListTagsForResourceCommand({ ResourceArn: `arn:aws:cognito-identity:${REGION}:000000000000:identitypool/us-east-1:00000000-0000-0000-0000-000000000000` })), "ResourceNotFoundException");

    const set = await t.identity.send(new SetPrincipalTagAttributeMapCommand({ IdentityPoolId: id, IdentityProviderName: providerName, UseDefaults: false, PrincipalTags: { department: "custom:dept" } }));
    assert.deepEqual(set.PrincipalTags, { department: "custom:dept" });
    const got = await t.identity.send(new GetPrincipalTagAttributeMapCommand({ IdentityPoolId: id, IdentityProviderName: providerName }));
    assert.equal(got.UseDefaults, false);
    assert.deepEqual(got.PrincipalTags, { department: "custom:dept" });
    await rejectsWith(t.identity.send(new GetPrincipalTagAttributeMapCommand({ IdentityPoolId: id, IdentityProviderName: "accounts.google.com" })), "InvalidParameterException");
  });

  test("seed 004 end to end: sign-up, USER_PASSWORD_AUTH, fromCognitoIdentityPool, and a SigV4 request the service verifies", async () => {
    const id = await identityPool();
    const { idToken } = await signedIn();
    const provider = fromCognitoIdentityPool({ identityPoolId: id, logins: { [providerName]: idToken }, clientConfig: { endpoint: t.url, region: REGION } });
    const creds = await provider();
    assert.match(creds.accessKeyId, /^ASIA/);
    assert.ok(creds.sessionToken);
    assert.ok(creds.expiration && creds.expiration.getTime() > Date.now() + 3500_000);
    const { IdentityId } = await t.identity.send(new GetIdCommand({ IdentityPoolId: id, Logins: { [providerName]: idToken } }));
    assert.equal(creds.identityId, IdentityId);

    const body = JSON.stringify({ item: "book", qty: 2 });
    const request = await signApiRequest(creds, body);
    const verdict = await verifyAt(t.url, request);
    assert.deepEqual(verdict, { valid: true, identityId: IdentityId, identityPoolId: id, accessKeyId: creds.accessKeyId, roleArn: AUTH_ROLE, guest: false });

    const refused = async (r: unknown, reason: RegExp) => {
      const v = await verifyAt(t.url, r);
      assert.equal(v.valid, false);
      assert.match(String(v.reason), reason);
    };
    await refused({ ...request, body: JSON.stringify({ item: "book", qty: 200 }) }, /does not match/);
    const tamperedBody = JSON.stringify({ item: "book", qty: 200 });
    const rehashed = { ...request.headers, "x-amz-content-sha256": createHash("sha256").update(tamperedBody).digest("hex") };
    await refused({ ...request, headers: rehashed, body: tamperedBody }, /signature does not match/);
    await refused({ ...request, url: "/items/43?view=full" }, /signature does not match/);
    await refused({ ...request, method: "DELETE" }, /signature does not match/);
    await refused(await signApiRequest({ ...creds, secretAccessKey: "forged-secret-forged-secret-forged-secret" }, body), /signature does not match/);
    await refused(await signApiRequest({ ...creds, accessKeyId: "ASIAFORGEDFORGEDFORG" }, body), /unknown access key/);
    await refused(await signApiRequest({ accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey }, body), /X-Amz-Security-Token/);
    await refused(await signApiRequest(creds, body, { signingDate: new Date(Date.now() - 3600_000) }), /skew/);
  });
});

describe("cognito-identity across a restart", () => {
  test("identity pools, identities, issued credentials and the OpenID key survive a restart", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cognito-identity-restart-"));
    try {
      let t = await startTestService({ dataDir });
      const { userPoolId, clientId } = await createPoolAndClient(t.idp);
      const provider = `cognito-idp.${REGION}.amazonaws.com/${userPoolId}`;
      await t.idp.send(new SignUpCommand({ ClientId: clientId, Username: "keeper", Password: PASSWORD }));
      await t.idp.send(new AdminConfirmSignUpCommand({ UserPoolId: userPoolId, Username: "keeper" }));
      const idToken = (await t.idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "keeper", PASSWORD } }))).AuthenticationResult!.IdToken!;
      const { IdentityPoolId } = await t.identity.send(new CreateIdentityPoolCommand({ IdentityPoolName: "kept", AllowUnauthenticatedIdentities: false, CognitoIdentityProviders: [{ ProviderName: provider, ClientId: clientId }] }));
      await t.identity.send(new SetIdentityPoolRolesCommand({ IdentityPoolId, Roles: { authenticated: AUTH_ROLE } }));
      const logins = { [provider]: idToken };
      const { IdentityId } = await t.identity.send(new GetIdCommand({ IdentityPoolId, Logins: logins }));
      const c = (await t.identity.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: logins }))).Credentials!;
      const openId = (await t.identity.send(new GetOpenIdTokenCommand({ IdentityId, Logins: logins }))).Token!;
      await t.stop();

      t = await startTestService({ dataDir });
      try {
        assert.equal((await t.identity.send(new GetIdCommand({ IdentityPoolId, Logins: logins }))).IdentityId, IdentityId);
        const verdict = await verifyAt(t.url, await signApiRequest({ accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretKey!, sessionToken: c.SessionToken! }, "{}"));
        assert.equal(verdict.valid, true);
        assert.equal(verdict.identityId, IdentityId);
        await jwtVerify(openId, createRemoteJWKSet(new URL(`${t.url}/.well-known/jwks_uri`)), { issuer: "https://cognito-identity.amazonaws.com", audience: IdentityPoolId });
      } finally {
        await t.stop();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe("cognito-identity with a controlled clock", () => {
  let dir: string;
  let store: DurableStore;
  let now: number;
  let ctx: ServiceContext;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "cognito-identity-clock-"));
    store = await DurableStore.open(dir);
    now = Date.now();
    ctx = new ServiceContext(new CognitoState(store), REGION, () => undefined, () => now);
  });
  after(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("an expired ID token is refused, and expired credentials no longer verify", async () => {
    const idp = identityProviderOperations(ctx);
    const identity = identityPoolOperations(ctx);
    const routes = localRoutes(ctx);
    const pool = (await idp.CreateUserPool!({ PoolName: "clock" })) as { UserPool: { Id: string } };
    const client = (await idp.CreateUserPoolClient!({ UserPoolId: pool.UserPool.Id, ClientName: "c" })) as { UserPoolClient: { ClientId: string } };
    const poolRecord = ctx.state.pool(pool.UserPool.Id)!;
    const user = newUser(ctx, poolRecord, "clocked", [], "CONFIRMED");
    ctx.state.putUser(poolRecord, user);
    const tokens = await issueTokens(ctx, poolRecord, ctx.state.client(client.UserPoolClient.ClientId)!, user);
    const provider = `cognito-idp.${REGION}.amazonaws.com/${pool.UserPool.Id}`;
    const { IdentityPoolId } = (await identity.CreateIdentityPool!({ IdentityPoolName: "clock", AllowUnauthenticatedIdentities: false, CognitoIdentityProviders: [{ ProviderName: provider, ClientId: client.UserPoolClient.ClientId }] })) as { IdentityPoolId: string };
    await identity.SetIdentityPoolRoles!({ IdentityPoolId, Roles: { authenticated: AUTH_ROLE } });
    const logins = { [provider]: tokens.IdToken };
    const { IdentityId } = (await identity.GetId!({ IdentityPoolId, Logins: logins })) as { IdentityId: string };
    const { Credentials } = (await identity.GetCredentialsForIdentity!({ IdentityId, Logins: logins })) as { Credentials: { AccessKeyId: string; SecretKey: string; SessionToken: string; Expiration: number } };
    assert.equal(Credentials.Expiration, Math.floor(now / 1000) + 3600);

    const verify = async (signingDate: Date) => {
      const request = await signApiRequest({ accessKeyId: Credentials.AccessKeyId, secretAccessKey: Credentials.SecretKey, sessionToken: Credentials.SessionToken }, "{}", { signingDate });
      const answer = await routes({ method: "POST", path: "/_local/sigv4/verify", query: new URLSearchParams(), headers: { host: "127.0.0.1:1" }, body: JSON.stringify(request) });
      return answer!.body as { valid: boolean; reason?: string };
    };
    assert.equal((await verify(new Date(now))).valid, true);

    now += 3601_000; // past both the ID token's and the credentials' expiry
    assert.deepEqual(await verify(new Date(now)), { valid: false, reason: "the credentials have expired" });
    assert.throws(() => identity.GetId!({ IdentityPoolId, Logins: logins }), (e: Error) => e.name === "NotAuthorizedException" && /^Invalid login token\. Token expired: \d+ >= \d+$/.test(e.message));
    assert.throws(() => identity.GetCredentialsForIdentity!({ IdentityId, Logins: logins }), (e: Error) => e.name === "NotAuthorizedException" && /Token expired/.test(e.message));
  });
});
