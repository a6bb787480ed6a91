// Terms documents through the AWS SDK v3: CreateTerms, DescribeTerms, DescribeTermsByClient, ListTerms, UpdateTerms,
// DeleteTerms with AWS's validation (TermsName, TermsSource, Enforcement, Links keys and values) and errors
// (TermsExistsException, ResourceNotFoundException); and the hosted sign-in page linking a client's terms once it has
// both documents.
import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import {
  CreateTermsCommand, CreateUserPoolClientCommand, DeleteTermsCommand, DeleteUserPoolClientCommand, DescribeTermsByClientCommand, DescribeTermsCommand,
  ListTermsCommand, UpdateTermsCommand, type CreateTermsCommandInput,
} from "@aws-sdk/client-cognito-identity-provider";
import { startTestService, type TestService } from "../support/local-service";
import { rejectsWithAwsError } from "../support/aws-errors";
import { CALLBACK_URL, createOAuthPool, type OAuthPool } from "../support/oauth-pool";

describe("terms documents", () => {
  let t: TestService;
  let p: OAuthPool;
  before(async () => {
    t = await startTestService();
    p = await createOAuthPool(t.idp, t.url, "terms");
  });
  after(() => t.stop());

  const create = (input: Partial<CreateTermsCommandInput>) => t.idp.send(new CreateTermsCommand({
    UserPoolId: p.userPoolId, ClientId: p.webClientId, TermsName: "terms-of-use", TermsSource: "LINK", Enforcement: "NONE",
    Links: { "cognito:default": "https://example.com/terms" }, ...input,
  }));
  const signInPage = async () => {
    const authorize = `${p.base}/oauth2/authorize?${new URLSearchParams({ client_id: p.webClientId, response_type: "code", redirect_uri: CALLBACK_URL, scope: "openid" })}`;
    const first = await fetch(authorize, { redirect: "manual" });
    return (await fetch(first.headers.get("location")!)).text();
  };
  /** The managed-login sign-up page, reached from the sign-in page's authorize parameters. */
  const signUpPage = async () => {
    const authorize = `${p.base}/oauth2/authorize?${new URLSearchParams({ client_id: p.webClientId, response_type: "code", redirect_uri: CALLBACK_URL, scope: "openid" })}`;
    const login = new URL((await fetch(authorize, { redirect: "manual" })).headers.get("location")!);
    return (await fetch(`${login.origin}${login.pathname.replace(/\/login$/, "/signup")}${login.search}`)).text();
  };

  it("creates, describes, lists, updates and deletes terms", async () => {
    const created = (await create({})).Terms!;
    assert.match(created.TermsId!, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.deepEqual(
      [created.UserPoolId, created.ClientId, created.TermsName, created.TermsSource, created.Enforcement, created.Links],
      [p.userPoolId, p.webClientId, "terms-of-use", "LINK", "NONE", { "cognito:default": "https://example.com/terms" }],
    );
    assert.ok(created.CreationDate instanceof Date && created.LastModifiedDate instanceof Date);
    assert.deepEqual((await t.idp.send(new DescribeTermsCommand({ UserPoolId: p.userPoolId, TermsId: created.TermsId! }))).Terms, created);
    assert.deepEqual((await t.idp.send(new DescribeTermsByClientCommand({ UserPoolId: p.userPoolId, ClientId: p.webClientId, TermsName: "terms-of-use" }))).Terms, created);
    const privacy = (await create({ TermsName: "privacy-policy", Links: { "cognito:default": "https://example.com/privacy", "cognito:french": "https://example.com/fr/privacy" } })).Terms!;

    const page1 = await t.idp.send(new ListTermsCommand({ UserPoolId: p.userPoolId, MaxResults: 1 }));
    assert.equal(page1.Terms?.length, 1);
    assert.ok(page1.NextToken);
    const page2 = await t.idp.send(new ListTermsCommand({ UserPoolId: p.userPoolId, MaxResults: 1, NextToken: page1.NextToken }));
    assert.deepEqual([...page1.Terms!, ...page2.Terms!].map((x) => x.TermsId).sort(), [created.TermsId, privacy.TermsId].sort());
    assert.deepEqual(Object.keys(page1.Terms![0]).sort(), ["CreationDate", "Enforcement", "LastModifiedDate", "TermsId", "TermsName"]);

    const updated = (await t.idp.send(new UpdateTermsCommand({ UserPoolId: p.userPoolId, TermsId: created.TermsId!, Links: { "cognito:english": "https://example.com/en/terms" } }))).Terms!;
    assert.deepEqual(updated.Links, { "cognito:english": "https://example.com/en/terms" });
    assert.equal(updated.TermsName, "terms-of-use");
    // Renaming onto the client's other document is refused.
    await rejectsWithAwsError(t.idp.send(new UpdateTermsCommand({ UserPoolId: p.userPoolId, TermsId: created.TermsId!, TermsName: "privacy-policy" })), "TermsExistsException");

    await t.idp.send(new DeleteTermsCommand({ UserPoolId: p.userPoolId, TermsId: privacy.TermsId! }));
    await rejectsWithAwsError(t.idp.send(new DescribeTermsCommand({ UserPoolId: p.userPoolId, TermsId: privacy.TermsId! })), "ResourceNotFoundException");
    await rejectsWithAwsError(t.idp.send(new DescribeTermsByClientCommand({ UserPoolId: p.userPoolId, ClientId: p.webClientId, TermsName: "privacy-policy" })), "ResourceNotFoundException");
    await t.idp.send(new DeleteTermsCommand({ UserPoolId: p.userPoolId, TermsId: created.TermsId! }));
    assert.deepEqual((await t.idp.send(new ListTermsCommand({ UserPoolId: p.userPoolId }))).Terms, []);
  });

  it("refuses bad input with AWS's errors and stores nothing", async () => {
    await rejectsWithAwsError(create({ TermsName: "cookies" }), "InvalidParameterException", "1 validation error detected: Value 'cookies' at 'termsName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(terms-of-use|privacy-policy)$");
    await rejectsWithAwsError(create({ TermsSource: "FILE" as never }), "InvalidParameterException", /at 'termsSource' failed to satisfy constraint: Member must satisfy enum value set: \[LINK\]/);
    await rejectsWithAwsError(create({ Enforcement: "STRICT" as never }), "InvalidParameterException", /at 'enforcement'/);
    await rejectsWithAwsError(create({ Links: { "cognito:klingon": "https://x" } }), "InvalidParameterException", /Map keys must satisfy constraint/);
    await rejectsWithAwsError(create({ Links: { "cognito:default": "has space" } }), "InvalidParameterException", /links.cognito:default/);
    await rejectsWithAwsError(create({ Links: {} }), "InvalidParameterException", /Member must have length between 1 and 13/);
    await rejectsWithAwsError(create({ ClientId: "nope" }), "ResourceNotFoundException");
    await rejectsWithAwsError(create({ UserPoolId: "us-east-1_missing00" }), "ResourceNotFoundException");
    await rejectsWithAwsError(t.idp.send(new DescribeTermsCommand({ UserPoolId: p.userPoolId, TermsId: "not-a-uuid" })), "InvalidParameterException", /at 'termsId'/);
    await rejectsWithAwsError(t.idp.send(new ListTermsCommand({ UserPoolId: p.userPoolId, MaxResults: 61 })), "InvalidParameterException");
    assert.deepEqual((await t.idp.send(new ListTermsCommand({ UserPoolId: p.userPoolId }))).Terms, []);
    await create({});
    await rejectsWithAwsError(create({}), "TermsExistsException");
    assert.equal((await t.idp.send(new ListTermsCommand({ UserPoolId: p.userPoolId }))).Terms?.length, 1);
  });

  it("the sign-in and sign-up pages link the client's terms once it has both documents", async () => {
    for (const x of (await t.idp.send(new ListTermsCommand({ UserPoolId: p.userPoolId }))).Terms!) await t.idp.send(new DeleteTermsCommand({ UserPoolId: p.userPoolId, TermsId: x.TermsId! }));
    await create({ Links: { "cognito:default": "https://example.com/terms?a=1&b=2" } });
    assert.doesNotMatch(await signInPage(), /Terms of use/);
    await create({ TermsName: "privacy-policy", Links: { "cognito:english": "https://example.com/en/privacy", "cognito:default": "https://example.com/privacy" } });
    const html = await signInPage();
    assert.match(html, /<a href="https:\/\/example.com\/terms\?a=1&amp;b=2"[^>]*>Terms of use<\/a>/);
    assert.match(html, /<a href="https:\/\/example.com\/en\/privacy"[^>]*>Privacy policy<\/a>/);
    const signUp = await signUpPage();
    assert.match(signUp, /<h1>Sign up<\/h1>/);
    assert.match(signUp, /<a href="https:\/\/example.com\/terms\?a=1&amp;b=2"[^>]*>Terms of use<\/a>/);
  });

  it("a client's terms go with the client", async () => {
    const client = (await t.idp.send(new CreateUserPoolClientCommand({ UserPoolId: p.userPoolId, ClientName: "short-lived" }))).UserPoolClient!;
    const terms = (await create({ ClientId: client.ClientId })).Terms!;
    await t.idp.send(new DeleteUserPoolClientCommand({ UserPoolId: p.userPoolId, ClientId: client.ClientId! }));
    await rejectsWithAwsError(t.idp.send(new DescribeTermsCommand({ UserPoolId: p.userPoolId, TermsId: terms.TermsId! })), "ResourceNotFoundException");
  });
});
