// What the 2025-2026 operations store survives a restart of the service: session configuration, an added client
// secret (still accepted in SECRET_HASH), terms, and a revoked session staying revoked.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createHmac } from "node:crypto";
import {
  AddUserPoolClientSecretCommand, AdminCreateUserCommand, AdminInitiateAuthCommand, AdminListUserSessionsCommand, AdminRevokeUserSessionCommand,
  AdminSetUserPasswordCommand, CreateTermsCommand, DescribeTermsCommand, GetUserPoolSessionConfigurationCommand, InitiateAuthCommand,
  ListUserPoolClientSecretsCommand, SetUserPoolSessionConfigurationCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { createPoolAndClient, startTestService } from "../support/local-service";
import { rejectsWithAwsError } from "../support/aws-errors";

const PASSWORD = "Durable-2025!";

test("session configuration, client secrets, terms and revocations survive a restart", async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cognito-new-settings-"));
  try {
    let t = await startTestService({ dataDir });
    const { userPoolId, clientId, clientSecret } = await createPoolAndClient(t.idp, {}, { GenerateSecret: true });
    await t.idp.send(new SetUserPoolSessionConfigurationCommand({ UserPoolId: userPoolId, UserSessionTracking: "ENABLED", TokenSession: { MaxPerUser: 7 } }));
    const added = (await t.idp.send(new AddUserPoolClientSecretCommand({ UserPoolId: userPoolId, ClientId: clientId }))).ClientSecretDescriptor!;
    const terms = (await t.idp.send(new CreateTermsCommand({ UserPoolId: userPoolId, ClientId: clientId, TermsName: "privacy-policy", TermsSource: "LINK", Enforcement: "NONE", Links: { "cognito:default": "https://example.com/p" } }))).Terms!;
    await t.idp.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: "dora", MessageAction: "SUPPRESS" }));
    await t.idp.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: "dora", Password: PASSWORD, Permanent: true }));
    const hash = (secret: string) => createHmac("sha256", secret).update("dora" + clientId).digest("base64");
    const tokens = (await t.idp.send(new AdminInitiateAuthCommand({ UserPoolId: userPoolId, ClientId: clientId, AuthFlow: "ADMIN_USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "dora", PASSWORD, SECRET_HASH: hash(clientSecret!) } }))).AuthenticationResult!;
    const [session] = (await t.idp.send(new AdminListUserSessionsCommand({ UserPoolId: userPoolId, Username: "dora" }))).Sessions!;
    await t.idp.send(new AdminRevokeUserSessionCommand({ UserPoolId: userPoolId, Username: "dora", SessionId: session.SessionId! }));
    await t.stop();

    t = await startTestService({ dataDir });
    try {
      assert.deepEqual((await t.idp.send(new GetUserPoolSessionConfigurationCommand({ UserPoolId: userPoolId }))).TokenSession, { MaxPerUser: 7 });
      assert.equal((await t.idp.send(new ListUserPoolClientSecretsCommand({ UserPoolId: userPoolId, ClientId: clientId }))).ClientSecrets?.length, 2);
      assert.ok((await t.idp.send(new AdminInitiateAuthCommand({ UserPoolId: userPoolId, ClientId: clientId, AuthFlow: "ADMIN_USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "dora", PASSWORD, SECRET_HASH: hash(added.ClientSecretValue!) } }))).AuthenticationResult);
      assert.deepEqual((await t.idp.send(new DescribeTermsCommand({ UserPoolId: userPoolId, TermsId: terms.TermsId! }))).Terms?.Links, { "cognito:default": "https://example.com/p" });
      await rejectsWithAwsError(t.idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken!, SECRET_HASH: hash(clientSecret!), USERNAME: "dora" } })), "NotAuthorizedException", "Invalid Refresh Token");
    } finally {
      await t.stop();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
