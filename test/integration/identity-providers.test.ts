// Identity providers of a user pool through the AWS SDK v3: create/describe/list/update/delete and lookup by identifier,
// AWS's validation (ProviderType, ProviderName per type, ProviderDetails per type, AttributeMapping, IdpIdentifiers),
// the details AWS adds (social endpoints, OIDC discovery, SAML metadata endpoints); and linking an external identity to
// a user (AdminLinkProviderForUser, AdminDisableProviderForUser).
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import {
  AdminCreateUserCommand, AdminDisableProviderForUserCommand, AdminGetUserCommand, AdminLinkProviderForUserCommand, CreateIdentityProviderCommand,
  DeleteIdentityProviderCommand, DeleteUserPoolCommand, DescribeIdentityProviderCommand, GetIdentityProviderByIdentifierCommand, ListIdentityProvidersCommand,
  UpdateIdentityProviderCommand, type CreateIdentityProviderCommandInput,
} from "@aws-sdk/client-cognito-identity-provider";
import { createPoolAndClient, startTestService, type TestService } from "../support/local-service";
import { rejectsWithAwsError } from "../support/aws-errors";

const GOOGLE = { client_id: "google-client", client_secret: "google-secret", authorize_scopes: "openid email profile" };
const SAML_METADATA = `<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com/saml">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/slo"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp.example.com/sso-post"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`;

describe("identity providers", () => {
  let t: TestService;
  let UserPoolId: string;

  before(async () => {
    t = await startTestService();
    UserPoolId = (await createPoolAndClient(t.idp)).userPoolId;
  });
  after(async () => {
    await t.stop();
  });

  const create = (input: Omit<CreateIdentityProviderCommandInput, "UserPoolId">, poolId = UserPoolId) =>
    t.idp.send(new CreateIdentityProviderCommand({ UserPoolId: poolId, ...input }));

  test("Google: created with AWS's endpoints and username mapping, described, listed, updated, deleted", async () => {
    const created = await create({ ProviderName: "Google", ProviderType: "Google", ProviderDetails: GOOGLE, AttributeMapping: { email: "email" } });
    const p = created.IdentityProvider!;
    assert.equal(p.ProviderType, "Google");
    assert.equal(p.ProviderDetails?.authorize_url, "https://accounts.google.com/o/oauth2/v2/auth");
    assert.equal(p.ProviderDetails?.oidc_issuer, "https://accounts.google.com");
    assert.equal(p.ProviderDetails?.client_id, "google-client");
    assert.deepEqual(p.AttributeMapping, { email: "email", username: "sub" });
    assert.deepEqual(p.IdpIdentifiers, []);
    assert.ok(p.CreationDate instanceof Date);

    const described = await t.idp.send(new DescribeIdentityProviderCommand({ UserPoolId, ProviderName: "Google" }));
    assert.deepEqual(described.IdentityProvider, p);
    await rejectsWithAwsError(create({ ProviderName: "Google", ProviderType: "Google", ProviderDetails: GOOGLE }), "DuplicateProviderException");

    const updated = await t.idp.send(new UpdateIdentityProviderCommand({ UserPoolId, ProviderName: "Google", ProviderDetails: { client_secret: "rotated" }, IdpIdentifiers: ["gmail.com"] }));
    assert.equal(updated.IdentityProvider?.ProviderDetails?.client_secret, "rotated");
    assert.equal(updated.IdentityProvider?.ProviderDetails?.client_id, "google-client");
    const byId = await t.idp.send(new GetIdentityProviderByIdentifierCommand({ UserPoolId, IdpIdentifier: "gmail.com" }));
    assert.equal(byId.IdentityProvider?.ProviderName, "Google");

    await t.idp.send(new DeleteIdentityProviderCommand({ UserPoolId, ProviderName: "Google" }));
    await rejectsWithAwsError(t.idp.send(new DescribeIdentityProviderCommand({ UserPoolId, ProviderName: "Google" })), "ResourceNotFoundException");
    await rejectsWithAwsError(t.idp.send(new GetIdentityProviderByIdentifierCommand({ UserPoolId, IdpIdentifier: "gmail.com" })), "ResourceNotFoundException");
    await rejectsWithAwsError(t.idp.send(new DeleteIdentityProviderCommand({ UserPoolId, ProviderName: "Google" })), "ResourceNotFoundException");
  });

  test("validation: type, names, required details, mapping and identifiers", async () => {
    await rejectsWithAwsError(create({ ProviderName: "Okta", ProviderType: "Okta" as never, ProviderDetails: {} }), "InvalidParameterException", /providerType/);
    await rejectsWithAwsError(create({ ProviderName: "MyGoogle", ProviderType: "Google", ProviderDetails: GOOGLE }), "InvalidParameterException", /must be Google/);
    await rejectsWithAwsError(create({ ProviderName: "Facebook", ProviderType: "Facebook", ProviderDetails: { client_id: "x", client_secret: "y" } }), "InvalidParameterException", /authorize_scopes/);
    await rejectsWithAwsError(create({ ProviderName: "SignInWithApple", ProviderType: "SignInWithApple", ProviderDetails: { client_id: "x", authorize_scopes: "email" } }), "InvalidParameterException", /team_id/);
    await rejectsWithAwsError(create({ ProviderName: "_bad", ProviderType: "OIDC", ProviderDetails: {} }), "InvalidParameterException", /providerName/);
    await rejectsWithAwsError(create({ ProviderName: "Facebook", ProviderType: "Facebook", ProviderDetails: { ...GOOGLE }, AttributeMapping: { no_such_attribute: "x" } }), "InvalidParameterException", /no_such_attribute/);
    await rejectsWithAwsError(create({ ProviderName: "Facebook", ProviderType: "Facebook", ProviderDetails: GOOGLE, IdpIdentifiers: ["bad/identifier"] }), "InvalidParameterException", /idpIdentifiers/);
    await rejectsWithAwsError(create({ ProviderName: "saml-a", ProviderType: "SAML", ProviderDetails: {} }), "InvalidParameterException", /MetadataFile or MetadataURL/);
    await rejectsWithAwsError(create({ ProviderName: "saml-b", ProviderType: "SAML", ProviderDetails: { MetadataFile: "<not-metadata/>" } }), "InvalidParameterException", /metadata/i);
    await rejectsWithAwsError(create({ ProviderName: "oidc-a", ProviderType: "OIDC", ProviderDetails: { client_id: "c", authorize_scopes: "openid", oidc_issuer: "https://idp.example.com" } }), "InvalidParameterException", /attributes_request_method/);
    await rejectsWithAwsError(t.idp.send(new DescribeIdentityProviderCommand({ UserPoolId: "us-east-1_nopool123", ProviderName: "x" })), "ResourceNotFoundException");
    // Facebook with the API version AWS defaults to.
    const fb = await create({ ProviderName: "Facebook", ProviderType: "Facebook", ProviderDetails: GOOGLE });
    assert.equal(fb.IdentityProvider?.ProviderDetails?.api_version, "v17.0");
    assert.equal(fb.IdentityProvider?.AttributeMapping?.username, "id");
    await t.idp.send(new DeleteIdentityProviderCommand({ UserPoolId, ProviderName: "Facebook" }));
  });

  test("OIDC endpoints are discovered from oidc_issuer; SAML metadata gives the redirect endpoints; identifiers are unique per pool", async () => {
    const issuerPool = (await createPoolAndClient(t.idp)).userPoolId;
    const issuer = `${t.url}/${issuerPool}`;
    const oidc = await create({
      ProviderName: "corp-oidc", ProviderType: "OIDC", IdpIdentifiers: ["corp.example"],
      ProviderDetails: { client_id: "c", client_secret: "s", attributes_request_method: "GET", oidc_issuer: issuer, authorize_scopes: "openid email" },
    });
    assert.equal(oidc.IdentityProvider?.ProviderDetails?.jwks_uri, `${issuer}/.well-known/jwks.json`);
    assert.equal(oidc.IdentityProvider?.ProviderDetails?.token_url, `${issuer}/oauth2/token`);
    assert.equal(oidc.IdentityProvider?.ProviderDetails?.attributes_url_add_attributes, "false");
    await rejectsWithAwsError(create({
      ProviderName: "corp-oidc-2", ProviderType: "OIDC",
      ProviderDetails: { client_id: "c", attributes_request_method: "GET", oidc_issuer: `${t.url}/us-east-1_missing99`, authorize_scopes: "openid" },
    }), "InvalidParameterException", /cannot be discovered/);

    const saml = await create({ ProviderName: "corp-saml", ProviderType: "SAML", ProviderDetails: { MetadataFile: SAML_METADATA, IDPSignout: "true" }, AttributeMapping: { email: "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress" } });
    assert.equal(saml.IdentityProvider?.ProviderDetails?.SSORedirectBindingURI, "https://idp.example.com/sso");
    assert.equal(saml.IdentityProvider?.ProviderDetails?.SLORedirectBindingURI, "https://idp.example.com/slo");
    await rejectsWithAwsError(t.idp.send(new UpdateIdentityProviderCommand({ UserPoolId, ProviderName: "corp-saml", IdpIdentifiers: ["corp.example"] })), "DuplicateProviderException");

    const page1 = await t.idp.send(new ListIdentityProvidersCommand({ UserPoolId, MaxResults: 1 }));
    assert.equal(page1.Providers?.length, 1);
    const page2 = await t.idp.send(new ListIdentityProvidersCommand({ UserPoolId, MaxResults: 1, NextToken: page1.NextToken }));
    assert.deepEqual([...page1.Providers!, ...page2.Providers!].map((p) => p.ProviderName).sort(), ["corp-oidc", "corp-saml"]);
    assert.equal(page2.NextToken, undefined);
  });

  test("AdminLinkProviderForUser links an external identity (identities attribute); AdminDisableProviderForUser removes it", async () => {
    const pool = (await createPoolAndClient(t.idp)).userPoolId;
    await create({ ProviderName: "Google", ProviderType: "Google", ProviderDetails: GOOGLE }, pool);
    await t.idp.send(new AdminCreateUserCommand({ UserPoolId: pool, Username: "native", MessageAction: "SUPPRESS" }));
    const link = (value: string, username = "native") => t.idp.send(new AdminLinkProviderForUserCommand({
      UserPoolId: pool,
      DestinationUser: { ProviderName: "Cognito", ProviderAttributeValue: username },
      SourceUser: { ProviderName: "Google", ProviderAttributeName: "Cognito_Subject", ProviderAttributeValue: value },
    }));
    await link("1234567890");
    const user = await t.idp.send(new AdminGetUserCommand({ UserPoolId: pool, Username: "native" }));
    const identities = JSON.parse(user.UserAttributes!.find((a) => a.Name === "identities")!.Value!);
    assert.equal(identities[0].userId, "1234567890");
    assert.equal(identities[0].providerName, "Google");
    assert.equal(identities[0].providerType, "Google");

    await rejectsWithAwsError(link("1234567890"), "InvalidParameterException", /Merging is not currently supported/);
    await rejectsWithAwsError(link("42", "nobody"), "UserNotFoundException");
    await rejectsWithAwsError(t.idp.send(new AdminLinkProviderForUserCommand({
      UserPoolId: pool, DestinationUser: { ProviderName: "Cognito", ProviderAttributeValue: "native" }, SourceUser: { ProviderName: "Facebook", ProviderAttributeName: "Cognito_Subject", ProviderAttributeValue: "1" },
    })), "InvalidParameterException");

    await t.idp.send(new AdminDisableProviderForUserCommand({ UserPoolId: pool, User: { ProviderName: "Google", ProviderAttributeName: "Cognito_Subject", ProviderAttributeValue: "1234567890" } }));
    const after = await t.idp.send(new AdminGetUserCommand({ UserPoolId: pool, Username: "native" }));
    assert.equal(after.UserAttributes!.find((a) => a.Name === "identities"), undefined);
    assert.equal(after.Enabled, true);
    await rejectsWithAwsError(t.idp.send(new AdminDisableProviderForUserCommand({ UserPoolId: pool, User: { ProviderName: "Google", ProviderAttributeName: "Cognito_Subject", ProviderAttributeValue: "1234567890" } })), "UserNotFoundException");
    // Relinking works once unlinked; a native user is deactivated with ProviderName Cognito.
    await link("1234567890");
    await t.idp.send(new AdminDisableProviderForUserCommand({ UserPoolId: pool, User: { ProviderName: "Cognito", ProviderAttributeName: "Cognito_Subject", ProviderAttributeValue: "native" } }));
    assert.equal((await t.idp.send(new AdminGetUserCommand({ UserPoolId: pool, Username: "native" }))).Enabled, false);

    // Deleting the pool drops its providers (a new pool of the same name starts empty).
    await t.idp.send(new DeleteUserPoolCommand({ UserPoolId: pool }));
    await rejectsWithAwsError(t.idp.send(new ListIdentityProvidersCommand({ UserPoolId: pool })), "ResourceNotFoundException");
  });
});
