// No input may wedge the service: a request nested 120,000 levels deep (in UserPoolTags of CreateUserPool and
// UpdateUserPool) is refused with an AWS-shaped 400 before it is parsed or stored, and the pools stay readable.
import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { DescribeUserPoolCommand } from "@aws-sdk/client-cognito-identity-provider";
import { MAX_INPUT_DEPTH } from "../../lib/service/input";
import { createPoolAndClient, startTestService, type TestService } from "../support/local-service";

const nested = (levels: number) => `${'{"a":'.repeat(levels)}"x"${"}".repeat(levels)}`;

describe("deeply nested input", () => {
  let svc: TestService;
  before(async () => {
    svc = await startTestService();
  });
  after(() => svc.stop());

  const call = (operation: string, body: string) =>
    fetch(svc.url, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": `AWSCognitoIdentityProviderService.${operation}`,
        authorization: "AWS4-HMAC-SHA256 Credential=AKIALOCALTEST/20250101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=0",
      },
      body,
    });

  it("is refused with SerializationException, and DescribeUserPool keeps answering", async () => {
    const { userPoolId } = await createPoolAndClient(svc.idp);
    const create = await call("CreateUserPool", `{"PoolName":"deep","UserPoolTags":${nested(120_000)}}`);
    assert.equal(create.status, 400);
    assert.equal(((await create.json()) as { __type: string }).__type, "SerializationException");
    const update = await call("UpdateUserPool", `{"UserPoolId":"${userPoolId}","UserPoolTags":${nested(120_000)}}`);
    assert.equal(update.status, 400);
    assert.equal(((await update.json()) as { __type: string }).__type, "SerializationException");
    const described = await svc.idp.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId }));
    assert.equal(described.UserPool?.Id, userPoolId);
    // Brackets inside strings are not nesting.
    const quoted = await call("DescribeUserPool", JSON.stringify({ UserPoolId: userPoolId, x: "{[".repeat(1000) }));
    assert.equal(quoted.status, 200);
    assert.ok(MAX_INPUT_DEPTH >= 16);
  });
});
