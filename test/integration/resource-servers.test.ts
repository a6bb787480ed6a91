// Resource servers (Create, Describe, List, Update, DeleteResourceServer) through the AWS SDK v3, with AWS's
// validation and errors, and app clients' OAuth settings as CreateUserPoolClient / UpdateUserPoolClient validate them
// (flows, scopes with ScopeDoesNotExistException, callback and sign-out URLs, identity providers, client secrets).
import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import {
  CreateResourceServerCommand, CreateUserPoolClientCommand, CreateUserPoolCommand, DeleteResourceServerCommand, DescribeResourceServerCommand,
  DescribeUserPoolClientCommand, ListResourceServersCommand, UpdateResourceServerCommand, UpdateUserPoolClientCommand,
  type CreateUserPoolClientCommandInput,
} from "@aws-sdk/client-cognito-identity-provider";
import { startTestService, type TestService } from "../support/local-service";
import { rejectsWithAwsError } from "../support/aws-errors";

describe("resource servers and client OAuth settings", () => {
  let t: TestService;
  let userPoolId: string;
  const createClient = (input: Partial<CreateUserPoolClientCommandInput>) => t.idp.send(new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: "c", ...input }));

  before(async () => {
    t = await startTestService();
    userPoolId = (await t.idp.send(new CreateUserPoolCommand({ PoolName: "rs" }))).UserPool!.Id!;
  });
  after(() => t.stop());

  it("creates, describes, lists, updates and deletes a resource server", async () => {
    const scopes = [{ ScopeName: "read", ScopeDescription: "Read orders" }, { ScopeName: "write", ScopeDescription: "Write orders" }];
    const created = await t.idp.send(new CreateResourceServerCommand({ UserPoolId: userPoolId, Identifier: "https://orders.example.com", Name: "Orders", Scopes: scopes }));
    assert.deepEqual(created.ResourceServer, { UserPoolId: userPoolId, Identifier: "https://orders.example.com", Name: "Orders", Scopes: scopes });
    await t.idp.send(new CreateResourceServerCommand({ UserPoolId: userPoolId, Identifier: "billing", Name: "Billing" }));
    const described = await t.idp.send(new DescribeResourceServerCommand({ UserPoolId: userPoolId, Identifier: "https://orders.example.com" }));
    assert.deepEqual(described.ResourceServer?.Scopes, scopes);
    const page1 = await t.idp.send(new ListResourceServersCommand({ UserPoolId: userPoolId, MaxResults: 1 }));
    assert.equal(page1.ResourceServers?.length, 1);
    assert.ok(page1.NextToken);
    const page2 = await t.idp.send(new ListResourceServersCommand({ UserPoolId: userPoolId, MaxResults: 1, NextToken: page1.NextToken }));
    assert.deepEqual([page1, page2].map((p) => p.ResourceServers![0].Identifier).sort(), ["billing", "https://orders.example.com"]);
    assert.equal(page2.NextToken, undefined);
    const updated = await t.idp.send(new UpdateResourceServerCommand({ UserPoolId: userPoolId, Identifier: "billing", Name: "Billing v2", Scopes: [{ ScopeName: "pay", ScopeDescription: "Pay" }] }));
    assert.equal(updated.ResourceServer?.Name, "Billing v2");
    await t.idp.send(new DeleteResourceServerCommand({ UserPoolId: userPoolId, Identifier: "billing" }));
    await rejectsWithAwsError(t.idp.send(new DescribeResourceServerCommand({ UserPoolId: userPoolId, Identifier: "billing" })), "ResourceNotFoundException", "Resource server billing does not exist.");
  });

  it("refuses bad input with AWS's errors", async () => {
    await rejectsWithAwsError(t.idp.send(new CreateResourceServerCommand({ UserPoolId: userPoolId, Identifier: "https://orders.example.com", Name: "Again" })), "InvalidParameterException", /already exists/);
    await rejectsWithAwsError(t.idp.send(new CreateResourceServerCommand({ UserPoolId: userPoolId, Identifier: "bad\"id", Name: "X" })), "InvalidParameterException", /identifier/);
    await rejectsWithAwsError(t.idp.send(new CreateResourceServerCommand({ UserPoolId: userPoolId, Identifier: "x", Name: "bad/name" })), "InvalidParameterException", /name/);
    await rejectsWithAwsError(t.idp.send(new CreateResourceServerCommand({ UserPoolId: userPoolId, Identifier: "x", Name: "X", Scopes: [{ ScopeName: "a/b", ScopeDescription: "d" }] })), "InvalidParameterException", /scopeName/);
    await rejectsWithAwsError(t.idp.send(new CreateResourceServerCommand({ UserPoolId: userPoolId, Identifier: "x", Name: "X", Scopes: [{ ScopeName: "a", ScopeDescription: "" }] })), "InvalidParameterException", /scopeDescription/);
    await rejectsWithAwsError(t.idp.send(new CreateResourceServerCommand({ UserPoolId: userPoolId, Identifier: "x", Name: "X", Scopes: [{ ScopeName: "a", ScopeDescription: "d" }, { ScopeName: "a", ScopeDescription: "e" }] })), "InvalidParameterException", /Duplicate/);
    await rejectsWithAwsError(t.idp.send(new CreateResourceServerCommand({ UserPoolId: "us-east-1_nope00000", Identifier: "x", Name: "X" })), "ResourceNotFoundException");
    await rejectsWithAwsError(t.idp.send(new UpdateResourceServerCommand({ UserPoolId: userPoolId, Identifier: "missing", Name: "X" })), "ResourceNotFoundException");
    await rejectsWithAwsError(t.idp.send(new ListResourceServersCommand({ UserPoolId: userPoolId, MaxResults: 51 })), "InvalidParameterException");
  });

  it("accepts a client with valid OAuth settings and echoes them", async () => {
    const created = await createClient({
      AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ["code", "implicit"], AllowedOAuthScopes: ["openid", "email", "https://orders.example.com/read"],
      CallbackURLs: ["https://app.example.com/cb", "http://localhost:5173/cb", "myapp://cb"], LogoutURLs: ["https://app.example.com/"],
      DefaultRedirectURI: "https://app.example.com/cb", SupportedIdentityProviders: ["COGNITO"],
    });
    const described = await t.idp.send(new DescribeUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: created.UserPoolClient!.ClientId! }));
    const c = described.UserPoolClient!;
    assert.equal(c.AllowedOAuthFlowsUserPoolClient, true);
    assert.deepEqual(c.AllowedOAuthFlows, ["code", "implicit"]);
    assert.deepEqual(c.AllowedOAuthScopes, ["openid", "email", "https://orders.example.com/read"]);
    assert.deepEqual(c.CallbackURLs, ["https://app.example.com/cb", "http://localhost:5173/cb", "myapp://cb"]);
    assert.deepEqual(c.SupportedIdentityProviders, ["COGNITO"]);
  });

  it("refuses invalid OAuth settings", async () => {
    const oauth = { AllowedOAuthFlowsUserPoolClient: true, SupportedIdentityProviders: ["COGNITO"] };
    await rejectsWithAwsError(createClient({ ...oauth, AllowedOAuthFlows: ["code"], AllowedOAuthScopes: ["orders/nope"], CallbackURLs: ["https://a.example.com/cb"] }), "ScopeDoesNotExistException", "Invalid scope requested: orders/nope");
    await rejectsWithAwsError(createClient({ ...oauth, AllowedOAuthFlows: ["client_credentials"], AllowedOAuthScopes: ["https://orders.example.com/read"] }), "InvalidOAuthFlowException", /does not have a client secret/);
    await rejectsWithAwsError(createClient({ ...oauth, GenerateSecret: true, AllowedOAuthFlows: ["client_credentials", "code"], AllowedOAuthScopes: ["https://orders.example.com/read"], CallbackURLs: ["https://a.example.com/cb"] }), "InvalidOAuthFlowException", /along with code flow/);
    await rejectsWithAwsError(createClient({ ...oauth, GenerateSecret: true, AllowedOAuthFlows: ["client_credentials"], AllowedOAuthScopes: ["openid"] }), "InvalidOAuthFlowException", /custom scopes/);
    await rejectsWithAwsError(createClient({ ...oauth, AllowedOAuthFlows: ["code"], AllowedOAuthScopes: ["openid"], CallbackURLs: ["http://app.example.com/cb"] }), "InvalidParameterException", /HTTPS/);
    await rejectsWithAwsError(createClient({ ...oauth, AllowedOAuthFlows: ["code"], AllowedOAuthScopes: ["openid"], CallbackURLs: ["https://a.example.com/cb#x"] }), "InvalidParameterException", /fragment/);
    await rejectsWithAwsError(createClient({ ...oauth, AllowedOAuthFlows: ["code"], AllowedOAuthScopes: ["openid"] }), "InvalidOAuthFlowException", /CallbackURLs/);
    await rejectsWithAwsError(createClient({ ...oauth, AllowedOAuthFlows: ["password" as "code"], AllowedOAuthScopes: ["openid"] }), "InvalidParameterException", /allowedOAuthFlows/);
    await rejectsWithAwsError(createClient({ ...oauth, AllowedOAuthFlows: ["code"], AllowedOAuthScopes: ["openid"], CallbackURLs: ["https://a.example.com/cb"], SupportedIdentityProviders: ["Google"] }), "InvalidParameterException", /provider Google does not exist/);
    await rejectsWithAwsError(createClient({ ...oauth, AllowedOAuthFlows: ["code"], AllowedOAuthScopes: ["openid"], CallbackURLs: ["https://a.example.com/cb"], DefaultRedirectURI: "https://b.example.com/cb" }), "InvalidParameterException", /DefaultRedirectURI/);
    await rejectsWithAwsError(createClient({ AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthScopes: ["openid"] }), "InvalidOAuthFlowException", /AllowedOAuthFlows/);
  });

  it("validates OAuth settings on update too, against the client's secret", async () => {
    const machine = await createClient({ GenerateSecret: true });
    const id = machine.UserPoolClient!.ClientId!;
    await t.idp.send(new UpdateUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: id, AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ["client_credentials"], AllowedOAuthScopes: ["https://orders.example.com/write"] }));
    await rejectsWithAwsError(t.idp.send(new UpdateUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: id, AllowedOAuthScopes: ["missing/scope"] })), "ScopeDoesNotExistException");
    const pub = (await createClient({})).UserPoolClient!.ClientId!;
    await rejectsWithAwsError(t.idp.send(new UpdateUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: pub, AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ["client_credentials"], AllowedOAuthScopes: ["https://orders.example.com/write"] })), "InvalidOAuthFlowException");
  });
});
