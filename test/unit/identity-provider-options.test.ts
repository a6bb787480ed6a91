// The compile-time check of the `identityProviders` prop (lib/identity-provider-options.ts): the refusals that fail a
// compile, each naming the provider, and the ProviderDetails and AttributeMapping both backends build from it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { identityProviderSpecs, simIdentityProviders, type IdentityProviderOptions } from "../../lib/identity-provider-options";

const secret = { name: "a-secret", secretArn: "arn:aws:secretsmanager:us-east-1:1:secret:a" };
const specs = (options: IdentityProviderOptions[], hosted = true, testIdp = false) => identityProviderSpecs(options, hosted, testIdp);

test("refusals fail the compile with the provider's index and name", () => {
  const cases: Array<[IdentityProviderOptions[], RegExp, boolean?, boolean?]> = [
    [[{ providerType: "Okta" }], /identityProviders\[0\]: providerType must be one of OIDC, SAML/],
    [[{ providerType: "OIDC", clientId: "c", issuer: "https://i.example" }], /needs a name/],
    [[{ providerType: "OIDC", name: "Corp", issuer: "https://i.example" }], /\(Corp\): clientId is required/],
    [[{ providerType: "OIDC", name: "Corp", clientId: "c", issuer: "http://i.example" }], /issuer must be an https URL/],
    [[{ providerType: "OIDC", name: "Corp", clientId: "c", issuer: "https://i.example", requestMethod: "PUT" }], /requestMethod must be GET or POST/],
    [[{ providerType: "OIDC", name: "Corp", clientId: "c", issuer: "https://i.example", scopes: ["email"] }], /must include openid/],
    [[{ providerType: "Google", clientId: "c" }], /clientSecret .* is required for a Google provider/],
    [[{ providerType: "Google", name: "G", clientId: "c", clientSecret: secret }], /name must be Google/],
    [[{ providerType: "SignInWithApple", clientId: "c", teamId: "t", clientSecret: secret }], /keyId is required/],
    [[{ providerType: "SAML", name: "Okta" }], /exactly one of metadataUrl and metadataDocument/],
    [[{ providerType: "SAML", name: "Okta", metadataUrl: "http://idp.example/md" }], /metadataUrl must be an https URL/],
    [[{ providerType: "OIDC", name: "Corp", clientId: "c", issuer: "https://i.example", details: { client_secret: "plain" } }], /never written in plain text/],
    [[{ providerType: "OIDC", name: "Corp", clientId: "c", issuer: "https://i.example" }, { providerType: "OIDC", name: "Corp", clientId: "d", issuer: "https://j.example" }], /\[1\] \(Corp\): two providers have this name/],
    [[{ providerType: "OIDC", name: "TestIdP", clientId: "c", issuer: "https://i.example" }], /TestIdP is the test identity provider's name/, true, true],
    [[{ providerType: "OIDC", name: "Corp", clientId: "c", issuer: "https://i.example" }], /need hosted sign-in/, false],
    [[], /need hosted sign-in/, false, true],
  ];
  for (const [options, message, hosted = true, testIdp = false] of cases) assert.throws(() => specs(options, hosted, testIdp), message, JSON.stringify(options));
});

test("details, default scopes and mappings per type; the secret kept apart", () => {
  const [oidc, facebook, apple, saml] = specs([
    { providerType: "OIDC", name: "Corp", clientId: "c", issuer: "http://127.0.0.1:9/", clientSecret: secret, identifiers: ["corp.example.com"] },
    { providerType: "Facebook", clientId: "f", clientSecret: secret },
    { providerType: "SignInWithApple", clientId: "a", teamId: "t", keyId: "k", clientSecret: secret },
    { providerType: "SAML", name: "Okta", metadataDocument: "<EntityDescriptor/>", attributeMapping: { email: "mail" } },
  ]);
  assert.deepEqual(oidc!.details, { client_id: "c", oidc_issuer: "http://127.0.0.1:9/", authorize_scopes: "openid email profile", attributes_request_method: "GET" });
  assert.deepEqual(oidc!.attributeMapping, { email: "email", email_verified: "email_verified", name: "name", username: "sub" });
  assert.equal(oidc!.secretDetail, "client_secret");
  assert.deepEqual(oidc!.identifiers, ["corp.example.com"]);
  assert.equal(facebook!.name, "Facebook");
  assert.equal(facebook!.details.authorize_scopes, "public_profile,email");
  assert.equal(facebook!.attributeMapping.username, "id");
  assert.equal(apple!.secretDetail, "private_key");
  assert.deepEqual(saml!.details, { MetadataFile: "<EntityDescriptor/>" });
  assert.deepEqual(saml!.attributeMapping, { email: "mail" });
  const [sim] = simIdentityProviders(true, false, [{ providerType: "Google", clientId: "g", clientSecret: secret }]);
  assert.equal(sim!.secretName, "a-secret");
  assert.equal(JSON.stringify(sim).includes("arn:"), false);
});
