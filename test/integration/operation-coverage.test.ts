// How much of cognito-idp the service serves: the operation table against the operation lists of botocore's model (as
// the Debian awscli package ships it) and of the AWS SDK v3 client. Prints the counts and what is not served; fails if
// an operation that was served is no longer served, if a command of the SDK client is not served, or if the table
// names an operation AWS does not have.
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { identityProviderOperations } from "../../lib/service";
import { ServiceContext } from "../../lib/service/context";
import { CognitoState } from "../../lib/service/state";
import { DurableStore } from "../../lib/service/store";

/** Where Debian's awscli (and a pip-installed botocore) keep the cognito-idp model. */
const BOTOCORE_MODELS = [
  "/usr/lib/python3/dist-packages/awscli/botocore/data/cognito-idp/2016-04-18/service-2.json",
  "/usr/lib/python3/dist-packages/botocore/data/cognito-idp/2016-04-18/service-2.json",
];
const SDK_COMMANDS = path.join(__dirname, "../../node_modules/@aws-sdk/client-cognito-identity-provider/dist-types/commands");

/** Served when this test was written; the served set may only grow. */
const SERVED_BASELINE = [
  "AddCustomAttributes", "AdminAddUserToGroup", "AdminConfirmSignUp", "AdminCreateUser", "AdminDeleteUser", "AdminDeleteUserAttributes",
  "AdminDisableProviderForUser", "AdminDisableUser", "AdminEnableUser", "AdminForgetDevice", "AdminGetDevice", "AdminGetUser", "AdminInitiateAuth",
  "AdminLinkProviderForUser", "AdminListDevices", "AdminListGroupsForUser", "AdminListUserAuthEvents", "AdminRemoveUserFromGroup",
  "AdminResetUserPassword", "AdminRespondToAuthChallenge", "AdminSetUserMFAPreference", "AdminSetUserPassword", "AdminSetUserSettings",
  "AdminUpdateAuthEventFeedback", "AdminUpdateDeviceStatus", "AdminUpdateUserAttributes", "AdminUserGlobalSignOut", "AssociateSoftwareToken",
  "ChangePassword", "ConfirmDevice", "ConfirmForgotPassword", "ConfirmSignUp", "CreateGroup", "CreateIdentityProvider", "CreateUserImportJob",
  "CreateUserPool", "CreateUserPoolClient", "CreateUserPoolDomain", "DeleteGroup", "DeleteIdentityProvider", "DeleteUser", "DeleteUserAttributes",
  "DeleteUserPool", "DeleteUserPoolClient", "DeleteUserPoolDomain", "DescribeIdentityProvider", "DescribeRiskConfiguration", "DescribeUserImportJob",
  "DescribeUserPool", "DescribeUserPoolClient", "DescribeUserPoolDomain", "ForgetDevice", "ForgotPassword", "GetCSVHeader", "GetDevice", "GetGroup",
  "GetIdentityProviderByIdentifier", "GetSigningCertificate", "GetTokensFromRefreshToken", "GetUICustomization", "GetUser", "GetUserAttributeVerificationCode",
  "GetUserPoolMfaConfig", "GlobalSignOut", "InitiateAuth", "ListDevices", "ListGroups", "ListIdentityProviders", "ListUserImportJobs",
  "ListUserPoolClients", "ListUserPools", "ListUsers", "ListUsersInGroup", "ResendConfirmationCode", "RespondToAuthChallenge", "RevokeToken",
  "SetRiskConfiguration", "SetUICustomization", "SetUserMFAPreference", "SetUserPoolMfaConfig", "SetUserSettings", "SignUp", "StartUserImportJob",
  "StopUserImportJob", "UpdateAuthEventFeedback", "UpdateDeviceStatus", "UpdateGroup", "UpdateIdentityProvider", "UpdateUserAttributes",
  "UpdateUserPool", "UpdateUserPoolClient", "UpdateUserPoolDomain", "VerifySoftwareToken", "VerifyUserAttribute",
  // AWS's 2024-2026 additions (every command of the AWS SDK v3 client since issue 21).
  "AddUserPoolClientSecret", "AdminDeleteSoftwareToken", "AdminGetUserAuthFactors", "AdminListUserSessions", "AdminRevokeUserSession",
  "CompleteWebAuthnRegistration", "CreateManagedLoginBranding", "CreateTerms", "CreateUserPoolReplica", "DeleteManagedLoginBranding", "DeleteTerms",
  "DeleteUserPoolClientSecret", "DeleteUserPoolReplica", "DeleteWebAuthnCredential", "DescribeManagedLoginBranding",
  "DescribeManagedLoginBrandingByClient", "DescribeTerms", "DescribeTermsByClient", "GetClientToken", "GetLogDeliveryConfiguration",
  "GetProvisionedLimit", "GetUserAuthFactors", "GetUserPoolClientSessionConfiguration", "GetUserPoolSessionConfiguration", "ListTerms",
  "ListUserPoolClientSecrets", "ListUserPoolReplicas", "ListUserSessions", "ListWebAuthnCredentials", "RevokeUserSession",
  "SetLogDeliveryConfiguration", "SetUserPoolClientSessionConfiguration", "SetUserPoolSessionConfiguration", "StartWebAuthnRegistration",
  "UpdateManagedLoginBranding", "UpdateProvisionedLimit", "UpdateTerms", "UpdateUserPoolReplica",
];

function botocoreOperations(): { file: string; operations: string[] } | undefined {
  const file = BOTOCORE_MODELS.find((f) => fs.existsSync(f));
  if (!file) return undefined;
  const model = JSON.parse(fs.readFileSync(file, "utf8")) as { operations: Record<string, unknown> };
  return { file, operations: Object.keys(model.operations).sort() };
}

function sdkOperations(): string[] {
  return fs.readdirSync(SDK_COMMANDS).filter((f) => f.endsWith("Command.d.ts")).map((f) => f.slice(0, -"Command.d.ts".length)).sort();
}

describe("cognito-idp operation coverage", () => {
  let dir: string;
  let store: DurableStore;
  let served: Set<string>;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "cognito-coverage-"));
    store = await DurableStore.open(dir);
    served = new Set(Object.keys(identityProviderOperations(new ServiceContext(new CognitoState(store), "us-east-1", () => {}))));
  });
  after(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("every operation served before is still served", () => {
    const lost = SERVED_BASELINE.filter((op) => !served.has(op));
    assert.deepEqual(lost, [], `no longer served: ${lost.join(", ")}`);
  });

  test("against botocore's model", (t) => {
    const botocore = botocoreOperations();
    if (!botocore) {
      t.skip("botocore's cognito-idp model is not installed (apt-get install awscli)");
      return;
    }
    const missing = botocore.operations.filter((op) => !served.has(op));
    const count = botocore.operations.length - missing.length;
    console.log(`cognito-idp: ${count} of ${botocore.operations.length} botocore operations served (${botocore.file})`);
    console.log(`not served: ${missing.join(", ") || "none"}`);
    assert.ok(count >= SERVED_BASELINE.filter((op) => botocore.operations.includes(op)).length);
  });

  test("against the AWS SDK v3 client; the table names only real operations", () => {
    const sdk = sdkOperations();
    const missing = sdk.filter((op) => !served.has(op));
    console.log(`cognito-idp: ${sdk.length - missing.length} of ${sdk.length} AWS SDK v3 operations served`);
    console.log(`not served: ${missing.join(", ") || "none"}`);
    assert.deepEqual(missing, [], `AWS SDK v3 operations not served: ${missing.join(", ")}`);
    const unknown = [...served].filter((op) => !sdk.includes(op));
    assert.deepEqual(unknown, [], `not cognito-idp operations: ${unknown.join(", ")}`);
  });
});
