// Integration tests of the tokens the local Cognito service issues: an unmodified aws-jwt-verify CognitoJwtVerifier,
// fed the service's JWKS, accepts them; their headers, claims and lifetimes are Cognito's; groups appear in both; and
// forgeries (tampered payload, alg none, HS256 key confusion, a foreign key with the pool's kid, expiry, an ID token used
// as an access token, another pool's token) are refused by aws-jwt-verify and by the service's own GetUser alike.
import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { createHmac, generateKeyPairSync, sign } from "node:crypto";
import { CognitoJwtVerifier } from "aws-jwt-verify";
import {
  CognitoJwtInvalidClientIdError, CognitoJwtInvalidGroupError, CognitoJwtInvalidTokenUseError, JwtBaseError, JwtExpiredError,
  JwtInvalidSignatureAlgorithmError, ParameterValidationError, JwtInvalidSignatureError,
} from "aws-jwt-verify/error";
import type { JwksCache } from "aws-jwt-verify/jwk";
import {
  AdminAddUserToGroupCommand, AdminConfirmSignUpCommand, CreateGroupCommand, CreateUserPoolClientCommand, GetUserCommand,
  InitiateAuthCommand, SignUpCommand, type AuthenticationResultType, type CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import { createPoolAndClient, startTestService, type TestService } from "../support/local-service";
import { startClockedService } from "../support/clocked-service";

type Jwks = Parameters<JwksCache["addJwks"]>[1];

const PASSWORD = "Corr3ct-Horse!";
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const decodePart = (jwt: string, index: 0 | 1) => JSON.parse(Buffer.from(jwt.split(".")[index], "base64url").toString("utf8")) as Record<string, unknown>;
const claimsOf = (jwt: string) => decodePart(jwt, 1);
const headerOf = (jwt: string) => decodePart(jwt, 0);

async function fetchJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function signedInUser(idp: CognitoIdentityProviderClient, userPoolId: string, clientId: string, username: string): Promise<AuthenticationResultType> {
  await idp.send(new SignUpCommand({ ClientId: clientId, Username: username, Password: PASSWORD, UserAttributes: [{ Name: "email", Value: `${username}@example.com` }] }));
  await idp.send(new AdminConfirmSignUpCommand({ UserPoolId: userPoolId, Username: username }));
  return (await idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: username, PASSWORD } }))).AuthenticationResult!;
}

describe("tokens", () => {
  let t: TestService;
  let userPoolId: string;
  let clientId: string;
  let jwks: Jwks;
  let alice: AuthenticationResultType;
  const verifier = (tokenUse: "id" | "access", options: { clientId?: string; groups?: string; graceSeconds?: number } = {}) => {
    const v = CognitoJwtVerifier.create({ userPoolId, tokenUse, clientId: options.clientId ?? clientId, groups: options.groups, graceSeconds: options.graceSeconds });
    v.cacheJwks(jwks);
    return v;
  };
  const getUser = (AccessToken: string) => t.idp.send(new GetUserCommand({ AccessToken }));

  before(async () => {
    t = await startTestService();
    ({ userPoolId, clientId } = await createPoolAndClient(t.idp));
    jwks = (await fetchJson(`${t.url}/${userPoolId}/.well-known/jwks.json`)).body as unknown as Jwks;
    alice = await signedInUser(t.idp, userPoolId, clientId, "alice");
  });
  after(() => t.stop());

  it("publishes both signing keys as RS256 public JWKs", () => {
    const keys = (jwks as unknown as { keys: Array<Record<string, unknown>> }).keys;
    assert.equal(keys.length, 2);
    for (const key of keys) {
      assert.deepEqual(Object.keys(key).sort(), ["alg", "e", "kid", "kty", "n", "use"]);
      assert.equal(key.alg, "RS256");
      assert.equal(key.kty, "RSA");
      assert.equal(key.use, "sig");
      assert.ok(Buffer.from(key.n as string, "base64url").length >= 256, "RSA-2048 or larger");
    }
    const idKid = headerOf(alice.IdToken!).kid;
    const accessKid = headerOf(alice.AccessToken!).kid;
    assert.notEqual(idKid, accessKid, "ID and access tokens are signed by different keys");
    assert.deepEqual(keys.map((k) => k.kid).sort(), [idKid, accessKid].sort());
  });

  it("aws-jwt-verify accepts the ID and access tokens", async () => {
    const id = await verifier("id").verify(alice.IdToken!);
    assert.equal(id["cognito:username"], "alice");
    const access = await verifier("access").verify(alice.AccessToken!);
    assert.equal(access.username, "alice");
    // And a verifier that accepts either kind of token.
    const either = CognitoJwtVerifier.create({ userPoolId, tokenUse: null, clientId });
    either.cacheJwks(jwks);
    await either.verify(alice.IdToken!);
    await either.verify(alice.AccessToken!);
  });

  it("have Cognito's headers and exact claim sets", () => {
    for (const token of [alice.IdToken!, alice.AccessToken!]) assert.deepEqual(Object.keys(headerOf(token)).sort(), ["alg", "kid"]);
    const iss = `https://cognito-idp.us-east-1.amazonaws.com/${userPoolId}`;
    const id = claimsOf(alice.IdToken!);
    assert.deepEqual(Object.keys(id).sort(), [
      "aud", "auth_time", "cognito:username", "email", "event_id", "exp", "iat", "iss", "jti", "origin_jti", "sub", "token_use",
    ]);
    assert.equal(id.iss, iss);
    assert.equal(id.token_use, "id");
    assert.equal(id.aud, clientId);
    assert.equal(id["cognito:username"], "alice");
    assert.equal(id.email, "alice@example.com");

    const access = claimsOf(alice.AccessToken!);
    assert.deepEqual(Object.keys(access).sort(), [
      "auth_time", "client_id", "event_id", "exp", "iat", "iss", "jti", "origin_jti", "scope", "sub", "token_use", "username",
    ]);
    assert.equal(access.iss, iss);
    assert.equal(access.token_use, "access");
    assert.equal(access.client_id, clientId);
    assert.equal(access.username, "alice");
    assert.equal(access.scope, "aws.cognito.signin.user.admin");

    assert.equal(id.sub, access.sub);
    assert.match(id.sub as string, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(id.origin_jti, access.origin_jti);
    assert.equal(id.event_id, access.event_id);
    assert.notEqual(id.jti, access.jti);
    assert.equal(id.auth_time, id.iat);
    for (const claims of [id, access]) {
      assert.equal((claims.exp as number) - (claims.iat as number), 3600);
      assert.ok(Math.abs((claims.iat as number) - Date.now() / 1000) < 60);
    }
  });

  it("follow the client's token lifetimes", async () => {
    const short = await t.idp.send(new CreateUserPoolClientCommand({
      UserPoolId: userPoolId, ClientName: "short-lived", ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      AccessTokenValidity: 5, IdTokenValidity: 2, TokenValidityUnits: { AccessToken: "minutes", IdToken: "hours" },
    }));
    const res = (await t.idp.send(new InitiateAuthCommand({
      ClientId: short.UserPoolClient!.ClientId!, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "alice", PASSWORD },
    }))).AuthenticationResult!;
    assert.equal(res.ExpiresIn, 300);
    assert.equal(res.TokenType, "Bearer");
    const access = claimsOf(res.AccessToken!);
    const id = claimsOf(res.IdToken!);
    assert.equal((access.exp as number) - (access.iat as number), 300);
    assert.equal((id.exp as number) - (id.iat as number), 7200);
    assert.equal(id.aud, short.UserPoolClient!.ClientId);
    await verifier("access", { clientId: short.UserPoolClient!.ClientId! }).verify(res.AccessToken!);
  });

  it("carry cognito:groups in both tokens once the user is in a group", async () => {
    await t.idp.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: "admins" }));
    await t.idp.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: "editors" }));
    const bob = await signedInUser(t.idp, userPoolId, clientId, "bob");
    assert.equal(claimsOf(bob.IdToken!)["cognito:groups"], undefined);
    await t.idp.send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, GroupName: "admins", Username: "bob" }));
    await t.idp.send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, GroupName: "editors", Username: "bob" }));
    const refreshed = (await t.idp.send(new InitiateAuthCommand({
      ClientId: clientId, AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: bob.RefreshToken! },
    }))).AuthenticationResult!;
    for (const token of [refreshed.IdToken!, refreshed.AccessToken!]) {
      assert.deepEqual([...(claimsOf(token)["cognito:groups"] as string[])].sort(), ["admins", "editors"]);
    }
    await verifier("id", { groups: "admins" }).verify(refreshed.IdToken!);
    await verifier("access", { groups: "editors" }).verify(refreshed.AccessToken!);
    await assert.rejects(verifier("access", { groups: "owners" }).verify(refreshed.AccessToken!), CognitoJwtInvalidGroupError);
    await assert.rejects(verifier("access", { groups: "admins" }).verify(alice.AccessToken!), CognitoJwtInvalidGroupError);
  });

  it("refuse another client id and the wrong token use", async () => {
    const otherClient = "b".repeat(26);
    await assert.rejects(verifier("id", { clientId: otherClient }).verify(alice.IdToken!), CognitoJwtInvalidClientIdError);
    await assert.rejects(verifier("access", { clientId: otherClient }).verify(alice.AccessToken!), CognitoJwtInvalidClientIdError);
  });

  describe("forgeries are refused by aws-jwt-verify and by GetUser", () => {
    it("a tampered payload with the original signature", async () => {
      const [header, , signature] = alice.AccessToken!.split(".");
      const forged = `${header}.${b64({ ...claimsOf(alice.AccessToken!), username: "bob", "cognito:groups": ["admins"] })}.${signature}`;
      await assert.rejects(verifier("access").verify(forged), JwtInvalidSignatureError);
      await assert.rejects(getUser(forged), { name: "NotAuthorizedException", message: "Invalid Access Token" });
      const [idHeader, , idSignature] = alice.IdToken!.split(".");
      await assert.rejects(verifier("id").verify(`${idHeader}.${b64({ ...claimsOf(alice.IdToken!), email: "root@example.com" })}.${idSignature}`), JwtInvalidSignatureError);
    });

    it("alg: none", async () => {
      const header = { ...headerOf(alice.AccessToken!), alg: "none" };
      for (const forged of [`${b64(header)}.${b64(claimsOf(alice.AccessToken!))}.`, `${b64(header)}.${b64(claimsOf(alice.AccessToken!))}`]) {
        await assert.rejects(verifier("access").verify(forged), JwtBaseError);
        await assert.rejects(getUser(forged), { name: "NotAuthorizedException", message: "Invalid Access Token" });
      }
      // With a signature part present, aws-jwt-verify names the problem: the algorithm.
      await assert.rejects(verifier("access").verify(`${b64(header)}.${b64(claimsOf(alice.AccessToken!))}.AAAA`), JwtInvalidSignatureAlgorithmError);
      await assert.rejects(getUser(`${b64(header)}.${b64(claimsOf(alice.AccessToken!))}.AAAA`), { name: "NotAuthorizedException", message: "Invalid Access Token" });
    });

    it("HS256 signed with the pool's public key as the secret", async () => {
      const kid = headerOf(alice.AccessToken!).kid as string;
      const jwk = (jwks as unknown as { keys: Array<Record<string, unknown>> }).keys.find((k) => k.kid === kid)!;
      const input = `${b64({ kid, alg: "HS256" })}.${b64(claimsOf(alice.AccessToken!))}`;
      const forged = `${input}.${createHmac("sha256", JSON.stringify(jwk)).update(input).digest("base64url")}`;
      await assert.rejects(verifier("access").verify(forged), JwtInvalidSignatureAlgorithmError);
      await assert.rejects(getUser(forged), { name: "NotAuthorizedException", message: "Invalid Access Token" });
    });

    it("a foreign RSA key using the pool's kid", async () => {
      const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
      for (const token of [alice.AccessToken!, alice.IdToken!]) {
        const input = `${b64(headerOf(token))}.${b64({ ...claimsOf(token), exp: Math.floor(Date.now() / 1000) + 86400 })}`;
        const forged = `${input}.${sign("sha256", Buffer.from(input), privateKey).toString("base64url")}`;
        const use = claimsOf(token).token_use as "id" | "access";
        await assert.rejects(verifier(use).verify(forged), JwtInvalidSignatureError);
        await assert.rejects(getUser(forged), { name: "NotAuthorizedException", message: "Invalid Access Token" });
      }
    });

    it("an ID token used as an access token", async () => {
      await assert.rejects(verifier("access").verify(alice.IdToken!), CognitoJwtInvalidTokenUseError);
      await assert.rejects(verifier("id").verify(alice.AccessToken!), CognitoJwtInvalidTokenUseError);
      await assert.rejects(getUser(alice.IdToken!), { name: "NotAuthorizedException", message: "Invalid Access Token" });
    });

    it("still accepts the genuine tokens", async () => {
      await verifier("access").verify(alice.AccessToken!);
      assert.equal((await getUser(alice.AccessToken!)).Username, "alice");
    });
  });

  it("serves the OpenID configuration document of each pool", async () => {
    const { status, body } = await fetchJson(`${t.url}/${userPoolId}/.well-known/openid-configuration`);
    assert.equal(status, 200);
    assert.equal(body.issuer, claimsOf(alice.IdToken!).iss);
    assert.deepEqual(body.id_token_signing_alg_values_supported, ["RS256"]);
    assert.deepEqual(body.subject_types_supported, ["public"]);
    assert.ok(Array.isArray(body.response_types_supported));
    assert.equal(body.jwks_uri, `${t.url}/${userPoolId}/.well-known/jwks.json`);
    assert.deepEqual((await fetchJson(body.jwks_uri as string)).body, jwks);
    assert.equal((await fetchJson(`${t.url}/us-east-1_NoSuchPoo/.well-known/openid-configuration`)).status, 404);
    assert.equal((await fetchJson(`${t.url}/us-east-1_NoSuchPoo/.well-known/jwks.json`)).status, 404);
  });
});

describe("expired tokens", () => {
  it("are refused by aws-jwt-verify and by GetUser, though genuinely signed by the pool", async () => {
    // Sign in two hours ago, on the service's own clock, so the tokens are real and long expired by now.
    const s = await startClockedService(Date.now() - 2 * 3600 * 1000);
    try {
      const { userPoolId, clientId } = await createPoolAndClient(s.idp);
      const tokens = await signedInUser(s.idp, userPoolId, clientId, "carol");
      assert.equal((await s.idp.send(new GetUserCommand({ AccessToken: tokens.AccessToken! }))).Username, "carol", "valid when issued");
      const jwks = (await fetchJson(`${s.url}/${userPoolId}/.well-known/jwks.json`)).body as unknown as Jwks;
      const make = (tokenUse: "id" | "access", graceSeconds = 0) => {
        const v = CognitoJwtVerifier.create({ userPoolId, tokenUse, clientId, graceSeconds });
        v.cacheJwks(jwks);
        return v;
      };
      await assert.rejects(make("access").verify(tokens.AccessToken!), JwtExpiredError);
      await assert.rejects(make("id").verify(tokens.IdToken!), JwtExpiredError);
      // Expiry is the only thing wrong with them.
      await make("access", 2 * 3600).verify(tokens.AccessToken!);
      await make("id", 2 * 3600).verify(tokens.IdToken!);

      s.advance(3600);
      await assert.rejects(s.idp.send(new GetUserCommand({ AccessToken: tokens.AccessToken! })), { name: "NotAuthorizedException", message: "Access Token has expired" });
      // The refresh token still works and gives fresh tokens.
      const fresh = (await s.idp.send(new InitiateAuthCommand({
        ClientId: clientId, AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken! },
      }))).AuthenticationResult!;
      assert.equal((await s.idp.send(new GetUserCommand({ AccessToken: fresh.AccessToken! }))).Username, "carol");
      // A token of another pool is refused for its issuer.
      const other = CognitoJwtVerifier.create({ userPoolId: "us-east-1_AbCdEfGhI", tokenUse: "access", clientId });
      other.cacheJwks(jwks);
      await assert.rejects(other.verify(fresh.AccessToken!), (e: Error) => e instanceof ParameterValidationError && /issuer not configured/.test(e.message));
    } finally {
      await s.stop();
    }
  });
});
