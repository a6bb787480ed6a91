// The Terraform AWS provider (the one tf-aws deploys with) as a client of the local service: its `cognitoidp` and
// `cognitoidentity` endpoints point at the service, and every Cognito resource type the service supports is applied,
// planned again (no changes expected) and destroyed. The SDK then checks what the provider created, as AWS would show
// it. One provider process serves every command (TF_REATTACH_PROVIDERS) to keep the wall time down. Skipped, with the
// reason, when terraform or the provider binary is missing.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  DescribeResourceServerCommand, DescribeUserPoolClientCommand, DescribeUserPoolCommand, GetUserPoolMfaConfigCommand, ListTagsForResourceCommand, ListUserPoolsCommand, ListUsersInGroupCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { DescribeIdentityPoolCommand, GetIdentityPoolRolesCommand, ListIdentityPoolsCommand } from "@aws-sdk/client-cognito-identity";
import { startTestService, type TestService } from "../support/local-service";
import { startSharedAwsProvider, terraformSkipReason, TerraformWorkspace, type SharedProvider } from "../support/terraform-cli";

const skip = terraformSkipReason();
const POOL = "${aws_cognito_user_pool.pool.id}";

/** Every resource type the service supports, with most of the user pool's settings. */
const CONFIG = {
  resource: {
    aws_cognito_user_pool: {
      pool: {
        name: "tf-pool",
        deletion_protection: "INACTIVE",
        username_attributes: ["email"],
        auto_verified_attributes: ["email"],
        mfa_configuration: "OPTIONAL",
        software_token_mfa_configuration: [{ enabled: true }],
        password_policy: [{ minimum_length: 10, require_lowercase: true, require_uppercase: true, require_numbers: true, require_symbols: false, temporary_password_validity_days: 3 }],
        schema: [
          { name: "email", attribute_data_type: "String", required: true, mutable: true, string_attribute_constraints: [{ min_length: 0, max_length: 2048 }] },
          { name: "tenant", attribute_data_type: "String", mutable: true, developer_only_attribute: false, string_attribute_constraints: [{ min_length: 1, max_length: 64 }] },
          { name: "level", attribute_data_type: "Number", mutable: true, number_attribute_constraints: [{ min_value: 0, max_value: 10 }] },
        ],
        account_recovery_setting: [{ recovery_mechanism: [{ name: "verified_email", priority: 1 }] }],
        verification_message_template: [{ default_email_option: "CONFIRM_WITH_CODE", email_subject: "Your code", email_message: "Code: {####}", sms_message: "Code {####}" }],
        admin_create_user_config: [{ allow_admin_create_user_only: false, invite_message_template: [{ email_subject: "Welcome", email_message: "User {username} pw {####}", sms_message: "User {username} pw {####}" }] }],
        username_configuration: [{ case_sensitive: false }],
        user_attribute_update_settings: [{ attributes_require_verification_before_update: ["email"] }],
        device_configuration: [{ challenge_required_on_new_device: false, device_only_remembered_on_user_prompt: true }],
        email_configuration: [{ email_sending_account: "COGNITO_DEFAULT" }],
        tags: { team: "wing", env: "test" },
      },
      // The library's own tf-aws user pool, as `wing compile -t tf-aws` writes it.
      library: {
        name: "library-pool",
        auto_verified_attributes: [],
        username_attributes: ["email"],
        password_policy: [{ minimum_length: 8, require_lowercase: true, require_numbers: true, require_symbols: true, require_uppercase: true, temporary_password_validity_days: 7 }],
        schema: [{ attribute_data_type: "String", mutable: true, name: "email", required: true, string_attribute_constraints: [{ max_length: "2048", min_length: "0" }] }],
      },
      // Choice-based sign-in: passwordless first factors and passkeys on the Essentials plan.
      passwordless: {
        name: "passwordless-pool",
        username_attributes: ["email"],
        auto_verified_attributes: ["email"],
        user_pool_tier: "ESSENTIALS",
        sign_in_policy: [{ allowed_first_auth_factors: ["PASSWORD", "EMAIL_OTP", "WEB_AUTHN"] }],
        web_authn_configuration: [{ relying_party_id: "localhost", user_verification: "required" }],
      },
      // A pool signing in with aliases and the older top-level verification messages.
      aliases: {
        name: "alias-pool",
        alias_attributes: ["email", "preferred_username"],
        email_verification_subject: "Verify",
        email_verification_message: "Your code is {####}",
        sms_authentication_message: "Your MFA code is {####}",
      },
    },
    aws_cognito_user_pool_client: {
      client: {
        name: "tf-client",
        user_pool_id: POOL,
        explicit_auth_flows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_PASSWORD_AUTH"],
        prevent_user_existence_errors: "ENABLED",
      },
      timed: {
        name: "tf-client-timed",
        user_pool_id: POOL,
        generate_secret: true,
        access_token_validity: 30,
        id_token_validity: 30,
        refresh_token_validity: 7,
        token_validity_units: [{ access_token: "minutes", id_token: "minutes", refresh_token: "days" }],
        read_attributes: ["email", "custom:tenant"],
        write_attributes: ["email", "custom:tenant"],
        enable_token_revocation: true,
      },
      // An OAuth machine client, granted the resource server's custom scopes.
      machine: {
        name: "tf-machine",
        user_pool_id: POOL,
        generate_secret: true,
        allowed_oauth_flows: ["client_credentials"],
        allowed_oauth_flows_user_pool_client: true,
        allowed_oauth_scopes: "${aws_cognito_resource_server.orders.scope_identifiers}",
      },
      // An OAuth web client with the authorization code flow and the hosted sign-in.
      web: {
        name: "tf-web",
        user_pool_id: POOL,
        allowed_oauth_flows: ["code"],
        allowed_oauth_flows_user_pool_client: true,
        allowed_oauth_scopes: ["openid", "email"],
        callback_urls: ["https://app.example.com/callback"],
        logout_urls: ["https://app.example.com/signed-out"],
        supported_identity_providers: ["COGNITO"],
      },
      library: {
        name: "library-client",
        user_pool_id: "${aws_cognito_user_pool.library.id}",
        explicit_auth_flows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        generate_secret: false,
        prevent_user_existence_errors: "ENABLED",
      },
      // The library's app client when signInMethods are chosen: USER_AUTH beside the password flows.
      choice: {
        name: "choice-client",
        user_pool_id: "${aws_cognito_user_pool.passwordless.id}",
        explicit_auth_flows: ["ALLOW_USER_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        generate_secret: false,
        prevent_user_existence_errors: "ENABLED",
      },
    },
    aws_cognito_resource_server: {
      orders: {
        identifier: "https://api.example.com",
        name: "orders-api",
        user_pool_id: POOL,
        scope: [
          { scope_name: "orders.read", scope_description: "Read orders" },
          { scope_name: "orders.write", scope_description: "Write orders" },
        ],
      },
    },
    aws_cognito_user_pool_domain: { domain: { domain: "tf-pool-domain-test", user_pool_id: POOL } },
    aws_cognito_user_group: {
      admins: { name: "admins", user_pool_id: POOL, description: "Administrators", precedence: 1, role_arn: "arn:aws:iam::123456789012:role/admins" },
    },
    aws_cognito_user: {
      alice: {
        user_pool_id: POOL,
        username: "alice@example.com",
        attributes: { email: "alice@example.com", email_verified: "true", tenant: "acme" },
        password: "Correct-horse1",
        message_action: "SUPPRESS",
      },
    },
    aws_cognito_user_in_group: {
      alice_admin: { user_pool_id: POOL, group_name: "${aws_cognito_user_group.admins.name}", username: "${aws_cognito_user.alice.username}" },
    },
    aws_cognito_identity_pool: {
      ids: {
        identity_pool_name: "tf identity pool",
        allow_unauthenticated_identities: true,
        allow_classic_flow: false,
        cognito_identity_providers: [{ client_id: "${aws_cognito_user_pool_client.client.id}", provider_name: "${aws_cognito_user_pool.pool.endpoint}", server_side_token_check: false }],
        tags: { team: "wing" },
      },
    },
    aws_cognito_identity_pool_roles_attachment: {
      roles: {
        identity_pool_id: "${aws_cognito_identity_pool.ids.id}",
        roles: { authenticated: "arn:aws:iam::123456789012:role/auth", unauthenticated: "arn:aws:iam::123456789012:role/unauth" },
      },
    },
  },
  output: {
    pool_id: { value: POOL },
    pool_arn: { value: "${aws_cognito_user_pool.pool.arn}" },
    client_id: { value: "${aws_cognito_user_pool_client.client.id}" },
    timed_id: { value: "${aws_cognito_user_pool_client.timed.id}" },
    identity_pool_id: { value: "${aws_cognito_identity_pool.ids.id}" },
    machine_id: { value: "${aws_cognito_user_pool_client.machine.id}" },
    web_id: { value: "${aws_cognito_user_pool_client.web.id}" },
    passwordless_id: { value: "${aws_cognito_user_pool.passwordless.id}" },
    choice_id: { value: "${aws_cognito_user_pool_client.choice.id}" },
  },
};

describe("the Terraform AWS provider against the local service", { skip, timeout: 20 * 60_000 }, () => {
  let t: TestService;
  let ws: TerraformWorkspace;
  let provider: SharedProvider;
  let env: Record<string, string>;

  before(async () => {
    t = await startTestService({ region: "us-east-1" });
    provider = await startSharedAwsProvider();
    env = { TF_REATTACH_PROVIDERS: provider.reattach };
    ws = TerraformWorkspace.create({ parent: fs.mkdtempSync(path.join(os.tmpdir(), "tf-provider-test-")) });
    ws.writeAwsProvider({ region: "us-east-1", endpoints: { cognitoidp: t.url, cognitoidentity: t.url } });
    ws.write("main.tf.json", CONFIG);
    await ws.must(["init", "-input=false", "-no-color", "-backend=false", `-plugin-dir=${ws.pluginDir}`], { env });
  });
  after(async () => {
    provider?.stop();
    if (ws) fs.rmSync(path.dirname(ws.dir), { recursive: true, force: true });
    await t?.stop();
  });

  test("apply creates every resource; a second plan has no changes; the SDK sees what AWS would show", async () => {
    await ws.must(["apply", "-auto-approve", "-input=false", "-no-color"], { env });
    const plan = await ws.run(["plan", "-detailed-exitcode", "-input=false", "-no-color"], { env });
    assert.equal(plan.code, 0, `a second plan wants changes (exit ${plan.code}):\n${plan.stdout}\n${plan.stderr}`);

    const out = JSON.parse((await ws.must(["output", "-json", "-no-color"], { env })).stdout) as Record<string, { value: string }>;
    const pool = (await t.idp.send(new DescribeUserPoolCommand({ UserPoolId: out.pool_id.value }))).UserPool!;
    assert.equal(pool.Policies?.PasswordPolicy?.RequireSymbols, false);
    assert.equal(pool.Policies?.PasswordPolicy?.MinimumLength, 10);
    assert.deepEqual(pool.UserPoolTags, { team: "wing", env: "test" });
    assert.equal(pool.EmailVerificationSubject, "Your code");
    assert.equal(pool.MfaConfiguration, "OPTIONAL");
    assert.deepEqual(pool.SchemaAttributes?.find((a) => a.Name === "custom:level")?.NumberAttributeConstraints, { MinValue: "0", MaxValue: "10" });
    const tags = await t.idp.send(new ListTagsForResourceCommand({ ResourceArn: out.pool_arn.value }));
    assert.deepEqual(tags.Tags, { team: "wing", env: "test" });
    const plain = (await t.idp.send(new DescribeUserPoolClientCommand({ UserPoolId: out.pool_id.value, ClientId: out.client_id.value }))).UserPoolClient!;
    assert.equal(plain.TokenValidityUnits, undefined);
    const timed = (await t.idp.send(new DescribeUserPoolClientCommand({ UserPoolId: out.pool_id.value, ClientId: out.timed_id.value }))).UserPoolClient!;
    assert.deepEqual(timed.TokenValidityUnits, { AccessToken: "minutes", IdToken: "minutes", RefreshToken: "days" });
    assert.equal(timed.AccessTokenValidity, 30);
    const server = (await t.idp.send(new DescribeResourceServerCommand({ UserPoolId: out.pool_id.value, Identifier: "https://api.example.com" }))).ResourceServer!;
    assert.equal(server.Name, "orders-api");
    assert.deepEqual(server.Scopes?.map((s) => [s.ScopeName, s.ScopeDescription]).sort(), [["orders.read", "Read orders"], ["orders.write", "Write orders"]]);
    const machine = (await t.idp.send(new DescribeUserPoolClientCommand({ UserPoolId: out.pool_id.value, ClientId: out.machine_id.value }))).UserPoolClient!;
    assert.deepEqual(machine.AllowedOAuthScopes?.slice().sort(), ["https://api.example.com/orders.read", "https://api.example.com/orders.write"]);
    assert.deepEqual(machine.AllowedOAuthFlows, ["client_credentials"]);
    assert.equal(machine.AllowedOAuthFlowsUserPoolClient, true);
    assert.ok(machine.ClientSecret, "the machine client has a secret");
    const web = (await t.idp.send(new DescribeUserPoolClientCommand({ UserPoolId: out.pool_id.value, ClientId: out.web_id.value }))).UserPoolClient!;
    assert.deepEqual(web.AllowedOAuthScopes?.slice().sort(), ["email", "openid"]);
    assert.deepEqual(web.AllowedOAuthFlows, ["code"]);
    assert.deepEqual(web.CallbackURLs, ["https://app.example.com/callback"]);
    assert.deepEqual(web.LogoutURLs, ["https://app.example.com/signed-out"]);
    assert.deepEqual(web.SupportedIdentityProviders, ["COGNITO"]);
    const passwordless = (await t.idp.send(new DescribeUserPoolCommand({ UserPoolId: out.passwordless_id.value }))).UserPool!;
    assert.equal(passwordless.UserPoolTier, "ESSENTIALS");
    assert.deepEqual(passwordless.Policies?.SignInPolicy?.AllowedFirstAuthFactors?.slice().sort(), ["EMAIL_OTP", "PASSWORD", "WEB_AUTHN"]);
    const mfa = await t.idp.send(new GetUserPoolMfaConfigCommand({ UserPoolId: out.passwordless_id.value }));
    assert.deepEqual(mfa.WebAuthnConfiguration, { RelyingPartyId: "localhost", UserVerification: "required" });
    const choice = (await t.idp.send(new DescribeUserPoolClientCommand({ UserPoolId: out.passwordless_id.value, ClientId: out.choice_id.value }))).UserPoolClient!;
    assert.ok(choice.ExplicitAuthFlows?.includes("ALLOW_USER_AUTH"), String(choice.ExplicitAuthFlows));
    const members = await t.idp.send(new ListUsersInGroupCommand({ UserPoolId: out.pool_id.value, GroupName: "admins" }));
    assert.deepEqual(members.Users?.map((u) => u.Attributes?.find((a) => a.Name === "email")?.Value), ["alice@example.com"]);
    const identityPool = await t.identity.send(new DescribeIdentityPoolCommand({ IdentityPoolId: out.identity_pool_id.value }));
    assert.equal(identityPool.CognitoIdentityProviders?.[0]?.ProviderName, `cognito-idp.us-east-1.amazonaws.com/${out.pool_id.value}`);
    const roles = await t.identity.send(new GetIdentityPoolRolesCommand({ IdentityPoolId: out.identity_pool_id.value }));
    assert.deepEqual(roles.Roles, { authenticated: "arn:aws:iam::123456789012:role/auth", unauthenticated: "arn:aws:iam::123456789012:role/unauth" });

    await ws.must(["destroy", "-auto-approve", "-input=false", "-no-color"], { env });
    assert.deepEqual((await t.idp.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools, []);
    assert.deepEqual((await t.identity.send(new ListIdentityPoolsCommand({ MaxResults: 60 }))).IdentityPools, []);
  });
});
