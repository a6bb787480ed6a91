// The tf-aws backend's identity providers: compiles test/tfaws/federation.main.w with `wing compile -t tf-aws` and
// checks one aws_cognito_identity_provider per declared provider (details, attribute mapping, identifiers), the app
// client's supported_identity_providers, that every secret is a reference to a Secrets Manager secret version (never a
// value), and that the simulator's test identity provider is not deployed. `terraform validate` and `plan` of the same
// fixture run in test/tfaws-terraform.test.ts.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO, runWing } from "./support/wing-cli";

type Resource = { [key: string]: any };
type Blocks = { [type: string]: { [name: string]: Resource } };

describe("tf-aws identity providers", () => {
  let outdir: string;
  let text: string;
  let tf: { resource: Blocks; data: Blocks };
  const providers = () => Object.values(tf.resource.aws_cognito_identity_provider ?? {});
  const provider = (name: string) => providers().find((p) => p.provider_name === name)!;

  before(async () => {
    fs.mkdirSync(path.join(REPO, "target"), { recursive: true });
    outdir = fs.mkdtempSync(path.join(REPO, "target", "tfaws-federation-"));
    const { code, output } = await runWing(["compile", "-t", "tf-aws", path.join("test", "tfaws", "federation.main.w"), "-o", outdir]);
    assert.equal(code, 0, output);
    text = fs.readFileSync(path.join(outdir, "main.tf.json"), "utf8");
    tf = JSON.parse(text);
  });
  after(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test("one aws_cognito_identity_provider per declared provider, and no test IdP", () => {
    assert.deepEqual(providers().map((p) => p.provider_name).sort(), ["Corp", "Google", "Okta-SAML", "SignInWithApple"]);
    assert.doesNotMatch(text, /TestIdP|test-idp|local-cognito/);
    for (const p of providers()) assert.match(p.user_pool_id, /^\$\{aws_cognito_user_pool\.[\w-]+\.id\}$/);
  });

  test("OIDC: issuer, scopes, request method, mapping (username from sub) and identifiers", () => {
    const corp = provider("Corp");
    assert.equal(corp.provider_type, "OIDC");
    assert.deepEqual({ ...corp.provider_details, client_secret: "<ref>" }, {
      client_id: "cognito-app", oidc_issuer: "https://login.corp.example.com", authorize_scopes: "openid email", attributes_request_method: "POST", client_secret: "<ref>",
    });
    assert.deepEqual(corp.attribute_mapping, { email: "email", name: "display_name", username: "sub" });
    assert.deepEqual(corp.idp_identifiers, ["corp.example.com"]);
  });

  test("social types and SAML get AWS's names, default scopes and mappings", () => {
    const google = provider("Google");
    assert.equal(google.provider_type, "Google");
    assert.equal(google.provider_details.authorize_scopes, "openid email profile");
    assert.deepEqual(google.attribute_mapping, { email: "email", email_verified: "email_verified", name: "name", username: "sub" });
    const apple = provider("SignInWithApple");
    assert.deepEqual(Object.keys(apple.provider_details).sort(), ["authorize_scopes", "client_id", "key_id", "private_key", "team_id"]);
    assert.equal(apple.provider_details.authorize_scopes, "email name");
    const saml = provider("Okta-SAML");
    assert.equal(saml.provider_type, "SAML");
    assert.match(saml.provider_details.MetadataFile, /IDPSSODescriptor/);
    assert.deepEqual(saml.attribute_mapping, { email: "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress" });
    assert.equal(saml.idp_identifiers, undefined);
  });

  test("every secret is a reference to a Secrets Manager secret version of a cloud.Secret, never a value", () => {
    const versions = tf.data.aws_secretsmanager_secret_version ?? {};
    assert.equal(Object.keys(versions).length, 3);
    const secrets = Object.keys(tf.resource.aws_secretsmanager_secret ?? {});
    for (const version of Object.values(versions)) assert.match(version.secret_id, new RegExp(`^\\$\\{aws_secretsmanager_secret\\.(${secrets.join("|")})\\.arn\\}$`));
    const references = [provider("Corp").provider_details.client_secret, provider("Google").provider_details.client_secret, provider("SignInWithApple").provider_details.private_key];
    for (const ref of references) assert.match(ref, /^\$\{data\.aws_secretsmanager_secret_version\.[\w-]+\.secret_string\}$/);
    assert.equal(new Set(references).size, 3);
    assert.equal(provider("Okta-SAML").provider_details.client_secret, undefined);
  });

  test("the app client offers COGNITO and every provider", () => {
    const client = Object.values(tf.resource.aws_cognito_user_pool_client)[0]!;
    // By reference to each provider's name, so Terraform creates the providers before the client.
    const [cognito, ...named] = client.supported_identity_providers as string[];
    assert.equal(cognito, "COGNITO");
    const byId = (ref: string) => tf.resource.aws_cognito_identity_provider[/^\$\{aws_cognito_identity_provider\.([\w-]+)\.provider_name\}$/.exec(ref)?.[1] ?? ""]?.provider_name;
    assert.deepEqual(named.map(byId), ["Corp", "Google", "Okta-SAML", "SignInWithApple"]);
  });
});
