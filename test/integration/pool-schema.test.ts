// Integration tests of a user pool's schema and verification messages through the AWS SDK, against what AWS does:
// CreateUserPool's schema validation (messages as AWS words them), the standard attributes with the constraints
// DescribeUserPool reports, custom attributes (types, constraints of their own type only, dev: names), AddCustomAttributes
// and VerificationMessageTemplate kept in step with the top-level verification messages.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  AddCustomAttributesCommand, CreateUserPoolCommand, DescribeUserPoolCommand, UpdateUserPoolCommand, type SchemaAttributeType,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWithAwsError } from "../support/aws-errors";
import { startTestService, type TestService } from "../support/local-service";

let t: TestService;
before(async () => {
  t = await startTestService();
});
after(async () => {
  await t.stop();
});

/** CreateUserPool with `Schema`, expected to fail with InvalidParameterException and `message`. */
const refused = (Schema: unknown[], message: string) =>
  rejectsWithAwsError(t.idp.send(new CreateUserPoolCommand({ PoolName: "p", Schema: Schema as SchemaAttributeType[] })), "InvalidParameterException", message);

describe("CreateUserPool validates its schema as AWS does", () => {
  test("an unknown AttributeDataType", () =>
    refused([{ Name: "fruit", AttributeDataType: "Banana" }], "Validation error detected: Value 'Banana' failed to satisfy constraint: Member must satisfy enum value set: [Boolean, Number, String, DateTime]"));
  test("a custom attribute without a type", () =>
    refused([{ Name: "fruit" }], "Invalid AttributeDataType input, consider using the provided AttributeDataType enum."));
  test("a required custom attribute", () =>
    refused([{ Name: "fruit", AttributeDataType: "String", Required: true }], "Required custom attributes are not supported currently."));
  test("a standard attribute whose type changes, or made developer-only", async () => {
    await refused([{ Name: "email", AttributeDataType: "Number" }], "You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute email");
    await refused([{ Name: "email", DeveloperOnlyAttribute: true }], "You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute email");
  });
  test("sub made mutable", () =>
    refused([{ Name: "sub", AttributeDataType: "String", Mutable: true }], "You can not change Mutable or Required for standard schema attribute sub"));
  test("inverted constraints", async () => {
    await refused([{ Name: "email", AttributeDataType: "String", StringAttributeConstraints: { MinLength: "2", MaxLength: "1" } }], "user.email: Max length cannot be less than min length.");
    await refused([{ Name: "updated_at", AttributeDataType: "Number", NumberAttributeConstraints: { MinValue: "2", MaxValue: "1" } }], "user.updated_at: Max value cannot be less than min value.");
    await refused([{ Name: "score", AttributeDataType: "Number", NumberAttributeConstraints: { MinValue: "5", MaxValue: "-5" } }], "user.custom:score: Max value cannot be less than min value.");
  });
  test("a string length over 2048", async () => {
    await refused([{ Name: "email", AttributeDataType: "String", StringAttributeConstraints: { MaxLength: "2049" } }], "user.email: String attributes cannot have a length of more than 2048");
    await refused([{ Name: "note", AttributeDataType: "String", StringAttributeConstraints: { MinLength: "2049" } }], "user.custom:note: String attributes cannot have a length of more than 2048");
  });
  test("constraints that are not numbers", async () => {
    await refused([{ Name: "email", AttributeDataType: "String", StringAttributeConstraints: { MinLength: "invalid_value" } }], "Invalid StringAttributeConstraints for schema attribute email");
    await refused([{ Name: "updated_at", AttributeDataType: "Number", NumberAttributeConstraints: { MaxValue: "x" } }], "Invalid NumberAttributeConstraints for schema attribute updated_at");
  });
});

test("the standard attributes carry AWS's constraints; custom attributes only the constraints of their type", async () => {
  const created = await t.idp.send(new CreateUserPoolCommand({
    PoolName: "schema",
    Schema: [
      { Name: "email", AttributeDataType: "String", Required: true, Mutable: true },
      { Name: "name", Required: true },
      { Name: "tenant", AttributeDataType: "String", StringAttributeConstraints: { MinLength: "1", MaxLength: "64" }, NumberAttributeConstraints: { MinValue: "1", MaxValue: "2" } },
      { Name: "level", AttributeDataType: "Number", NumberAttributeConstraints: { MinValue: "0", MaxValue: "10" }, StringAttributeConstraints: { MinLength: "1" } },
      { Name: "flag", AttributeDataType: "Boolean", StringAttributeConstraints: { MaxLength: "5" } },
      { Name: "secret", AttributeDataType: "String", DeveloperOnlyAttribute: true },
    ],
  }));
  const described = (await t.idp.send(new DescribeUserPoolCommand({ UserPoolId: created.UserPool!.Id! }))).UserPool!;
  for (const schema of [created.UserPool!.SchemaAttributes!, described.SchemaAttributes!]) {
    const byName = new Map(schema.map((a) => [a.Name!, a]));
    assert.deepEqual(byName.get("sub"), { Name: "sub", AttributeDataType: "String", DeveloperOnlyAttribute: false, Mutable: false, Required: true, StringAttributeConstraints: { MinLength: "1", MaxLength: "2048" } });
    assert.deepEqual(byName.get("website"), { Name: "website", AttributeDataType: "String", DeveloperOnlyAttribute: false, Mutable: true, Required: false, StringAttributeConstraints: { MinLength: "0", MaxLength: "2048" } });
    assert.deepEqual(byName.get("birthdate")?.StringAttributeConstraints, { MinLength: "10", MaxLength: "10" });
    assert.deepEqual(byName.get("updated_at"), { Name: "updated_at", AttributeDataType: "Number", DeveloperOnlyAttribute: false, Mutable: true, Required: false, NumberAttributeConstraints: { MinValue: "0" } });
    assert.deepEqual(byName.get("email_verified"), { Name: "email_verified", AttributeDataType: "Boolean", DeveloperOnlyAttribute: false, Mutable: true, Required: false });
    assert.deepEqual(byName.get("email"), { Name: "email", AttributeDataType: "String", DeveloperOnlyAttribute: false, Mutable: true, Required: true, StringAttributeConstraints: { MinLength: "0", MaxLength: "2048" } });
    // A standard attribute named in the schema without Mutable is immutable, as on AWS.
    assert.equal(byName.get("name")?.Mutable, false);
    assert.equal(byName.get("name")?.Required, true);
    assert.deepEqual(byName.get("custom:tenant"), { Name: "custom:tenant", AttributeDataType: "String", DeveloperOnlyAttribute: false, Mutable: true, Required: false, StringAttributeConstraints: { MinLength: "1", MaxLength: "64" } });
    assert.deepEqual(byName.get("custom:level"), { Name: "custom:level", AttributeDataType: "Number", DeveloperOnlyAttribute: false, Mutable: true, Required: false, NumberAttributeConstraints: { MinValue: "0", MaxValue: "10" } });
    assert.deepEqual(byName.get("custom:flag"), { Name: "custom:flag", AttributeDataType: "Boolean", DeveloperOnlyAttribute: false, Mutable: true, Required: false });
    assert.equal(byName.get("dev:custom:secret")?.DeveloperOnlyAttribute, true);
    assert.equal(schema.filter((a) => a.Name === "email").length, 1);
  }
});

test("AddCustomAttributes appends custom attributes and refuses a name in use", async () => {
  const { UserPool } = await t.idp.send(new CreateUserPoolCommand({ PoolName: "add", Schema: [{ Name: "banana", AttributeDataType: "String", DeveloperOnlyAttribute: true }] }));
  const UserPoolId = UserPool!.Id!;
  await t.idp.send(new AddCustomAttributesCommand({ UserPoolId, CustomAttributes: [{ Name: "plan", AttributeDataType: "String", StringAttributeConstraints: { MaxLength: "16" } }] }));
  const schema = (await t.idp.send(new DescribeUserPoolCommand({ UserPoolId }))).UserPool!.SchemaAttributes!;
  assert.deepEqual(schema.find((a) => a.Name === "custom:plan")?.StringAttributeConstraints, { MaxLength: "16" });
  await rejectsWithAwsError(
    t.idp.send(new AddCustomAttributesCommand({ UserPoolId, CustomAttributes: [{ Name: "banana", AttributeDataType: "String" }] })),
    "InvalidParameterException",
    "custom:banana: Existing attribute already has name dev:custom:banana.",
  );
  await rejectsWithAwsError(
    t.idp.send(new AddCustomAttributesCommand({ UserPoolId, CustomAttributes: [{ Name: "x", AttributeDataType: "Date" as "String" }] })),
    "InvalidParameterException",
    "Validation error detected: Value 'Date' failed to satisfy constraint: Member must satisfy enum value set: [Boolean, Number, String, DateTime]",
  );
});

test("verification messages: the template and the top-level messages are kept in step", async () => {
  const fromTemplate = (await t.idp.send(new CreateUserPoolCommand({
    PoolName: "template",
    VerificationMessageTemplate: { DefaultEmailOption: "CONFIRM_WITH_LINK", EmailMessage: "foo {####} bar", EmailMessageByLink: "{##Click##}", EmailSubject: "subject {####}", EmailSubjectByLink: "click", SmsMessage: "{####} baz" },
  }))).UserPool!;
  assert.equal(fromTemplate.EmailVerificationMessage, "foo {####} bar");
  assert.equal(fromTemplate.EmailVerificationSubject, "subject {####}");
  assert.equal(fromTemplate.SmsVerificationMessage, "{####} baz");
  assert.equal(fromTemplate.VerificationMessageTemplate?.DefaultEmailOption, "CONFIRM_WITH_LINK");

  const fromTop = (await t.idp.send(new CreateUserPoolCommand({ PoolName: "top", EmailVerificationMessage: "Code {####}", EmailVerificationSubject: "Verify" }))).UserPool!;
  assert.deepEqual(fromTop.VerificationMessageTemplate, { DefaultEmailOption: "CONFIRM_WITH_CODE", EmailMessage: "Code {####}", EmailSubject: "Verify" });

  const plain = (await t.idp.send(new CreateUserPoolCommand({ PoolName: "plain" }))).UserPool!;
  assert.deepEqual(plain.VerificationMessageTemplate, { DefaultEmailOption: "CONFIRM_WITH_CODE" });
  await t.idp.send(new UpdateUserPoolCommand({ UserPoolId: plain.Id!, VerificationMessageTemplate: { SmsMessage: "SMS {####}" } }));
  const updated = (await t.idp.send(new DescribeUserPoolCommand({ UserPoolId: plain.Id! }))).UserPool!;
  assert.equal(updated.SmsVerificationMessage, "SMS {####}");
  assert.equal(updated.VerificationMessageTemplate?.SmsMessage, "SMS {####}");

  await rejectsWithAwsError(t.idp.send(new CreateUserPoolCommand({ PoolName: "bad", VerificationMessageTemplate: { EmailMessage: "no placeholder" } })), "InvalidParameterException");
  await rejectsWithAwsError(t.idp.send(new CreateUserPoolCommand({ PoolName: "bad", VerificationMessageTemplate: { DefaultEmailOption: "CONFIRM_BY_PIGEON" as "CONFIRM_WITH_CODE" } })), "InvalidParameterException");
});
