// Unit tests of the tf-aws backend's TypeScript helpers: OpenAPI spec transformations, API Gateway
// security schemes, IAM documents, resource names and user pool settings, plus the api spec accessor
// against a real tf-aws cloud.Api synthesized by the Wing SDK.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App } from "@winglang/sdk/lib/target-tf-aws/app";
import { Platform } from "@winglang/sdk/lib/target-tf-aws/platform";
import { ClassFactory, lift } from "@winglang/sdk/lib/core";
import { Api } from "@winglang/sdk/lib/cloud";
import {
  findRouteKey,
  renderOpenApiPath,
  withCorsGatewayResponses,
  withProtectedOperation,
  withSecurityScheme,
  type OpenApiSpec,
} from "../lib/tfaws/api-spec";
import { awsSigv4Scheme, cognitoUserPoolsScheme } from "../lib/tfaws/authorizer";
import {
  executeApiRouteArn,
  identityPoolTrustPolicy,
  invokePolicy,
  USER_POOL_ACTIONS_BY_OP,
  userPoolActionsForOps,
} from "../lib/tfaws/iam";
import { cognitoResourceNames } from "../lib/tfaws/names";
import { defaultPasswordPolicy, emailConfiguration, userPoolSchema } from "../lib/tfaws/user-pool";
import { allowCorsHeaders, corsHeadersFor, readApiCors, readApiSpec, writeApiSpec } from "../lib/api-internals";
import { issuerOf, jwksUrlOf, loginsKey } from "../lib/inflight/id-token";

const integration = (fn: string) => ({
  "x-amazon-apigateway-integration": { type: "aws_proxy", httpMethod: "POST", uri: `arn:${fn}` },
});

function sampleSpec(): OpenApiSpec {
  return {
    paths: {
      "/hello": { get: { operationId: "get-hello", ...integration("get") }, put: { operationId: "put-hello", ...integration("put") } },
      "/users/:id": { get: { operationId: "get-users", ...integration("user") } },
    },
    components: { securitySchemes: { other: { type: "apiKey", name: "X-Key", in: "header" } }, schemas: { Thing: {} } },
  };
}

describe("api-spec", () => {
  test("renders Wing path parameters as OpenAPI ones and finds a route by either spelling", () => {
    assert.equal(renderOpenApiPath("/users/:id/posts/:post_id"), "/users/{id}/posts/{post_id}");
    const spec = sampleSpec();
    assert.equal(findRouteKey(spec, "/users/:id"), "/users/:id");
    assert.equal(findRouteKey(spec, "/users/{id}"), "/users/:id");
    assert.equal(findRouteKey(spec, "/users"), undefined);
  });

  test("merges a security scheme next to existing components without mutating the input", () => {
    const spec = sampleSpec();
    const before = JSON.stringify(spec);
    const scheme = { type: "apiKey", name: "Authorization", in: "header" };
    const merged = withSecurityScheme(withSecurityScheme(spec, "first", scheme), "second", awsSigv4Scheme());
    assert.equal(JSON.stringify(spec), before, "input was mutated");
    assert.deepEqual(Object.keys(merged.components?.securitySchemes ?? {}), ["other", "first", "second"]);
    assert.deepEqual(merged.components?.securitySchemes?.["first"], scheme);
    assert.deepEqual(merged.components?.["schemas"], { Thing: {} });
    assert.deepEqual(merged.paths, spec.paths);
    assert.equal(withSecurityScheme(merged, "first", { ...scheme }), merged, "re-adding the same scheme is a no-op");
    assert.throws(() => withSecurityScheme(merged, "first", awsSigv4Scheme()), /already has a different security scheme named "first"/);
    assert.throws(() => withSecurityScheme(spec, "bad name", scheme), /invalid security scheme name/);
    const bare = withSecurityScheme({ paths: {} }, "only", scheme);
    assert.deepEqual(bare.components, { securitySchemes: { only: scheme } });
  });

  test("sets security on the protected operation only and keeps its aws_proxy integration", () => {
    const spec = withSecurityScheme(sampleSpec(), "auth", awsSigv4Scheme());
    const protectedSpec = withProtectedOperation(spec, "/hello", "GET", "auth");
    const get = protectedSpec.paths["/hello"]?.["get"];
    assert.deepEqual(get?.["security"], [{ auth: [] }]);
    assert.deepEqual(get?.["x-amazon-apigateway-integration"], integration("get")["x-amazon-apigateway-integration"]);
    assert.equal(get?.["operationId"], "get-hello");
    assert.equal(protectedSpec.paths["/hello"]?.["put"]?.["security"], undefined);
    assert.equal(protectedSpec.paths["/users/:id"]?.["get"]?.["security"], undefined);
    assert.equal(spec.paths["/hello"]?.["get"]?.["security"], undefined, "input was mutated");
    const byOpenApiPath = withProtectedOperation(protectedSpec, "/users/{id}", "get", "auth");
    assert.deepEqual(byOpenApiPath.paths["/users/:id"]?.["get"]?.["security"], [{ auth: [] }]);
    assert.equal(withProtectedOperation(protectedSpec, "/hello", "get", "auth"), protectedSpec, "protecting twice with one scheme is a no-op");
  });

  test("fails with a clear message naming method and path for routes that are not registered", () => {
    const spec = withSecurityScheme(sampleSpec(), "auth", awsSigv4Scheme());
    assert.throws(
      () => withProtectedOperation(spec, "/hello", "post", "auth"),
      /cannot protect POST \/hello: the api has no such route\. Register it first with api\.post\("\/hello", handler\)/,
    );
    assert.throws(() => withProtectedOperation(spec, "/nope", "GET", "auth"), /cannot protect GET \/nope: the api has no such route/);
    assert.throws(() => withProtectedOperation(spec, "/hello", "TRACE", "auth"), /unknown HTTP method "TRACE"/);
    assert.throws(() => withProtectedOperation(spec, "/hello", "GET", "missing"), /no security scheme "missing"/);
  });

  test("refuses a second authorizer on one method", () => {
    let spec = withSecurityScheme(withSecurityScheme(sampleSpec(), "a", awsSigv4Scheme()), "b", cognitoUserPoolsScheme("Authorization", "arn:pool"));
    spec = withProtectedOperation(spec, "/hello", "GET", "a");
    assert.throws(() => withProtectedOperation(spec, "/hello", "GET", "b"), /already protected by \[\{"a":\[\]\}\].*one authorizer per method/);
  });
});

describe("tfaws-authorizer", () => {
  test("a user pools scheme names the header and the pool ARN", () => {
    assert.deepEqual(cognitoUserPoolsScheme("X-Id-Token", "${aws_cognito_user_pool.p.arn}"), {
      type: "apiKey",
      name: "X-Id-Token",
      in: "header",
      "x-amazon-apigateway-authtype": "cognito_user_pools",
      "x-amazon-apigateway-authorizer": { type: "cognito_user_pools", providerARNs: ["${aws_cognito_user_pool.p.arn}"] },
    });
    assert.throws(() => cognitoUserPoolsScheme("Bad Header", "arn"), /invalid header name/);
  });

  test("an IAM scheme is awsSigv4 on the Authorization header", () => {
    assert.deepEqual(awsSigv4Scheme(), { type: "apiKey", name: "Authorization", in: "header", "x-amazon-apigateway-authtype": "awsSigv4" });
  });
});

describe("tfaws-iam", () => {
  test("grants only AdminConfirmSignUp, and only to hosts that lift adminConfirmUser", () => {
    assert.deepEqual(userPoolActionsForOps(["adminConfirmUser"]), ["cognito-idp:AdminConfirmSignUp"]);
    assert.deepEqual(userPoolActionsForOps(["adminConfirmUser", "signUp", "adminConfirmUser"]), ["cognito-idp:AdminConfirmSignUp"]);
    for (const op of ["signUp", "initiateAuth", "signIn", "getId", "getCredentialsForIdentity", "caller", "$inflight_init"]) {
      assert.deepEqual(userPoolActionsForOps([op]), [], `${op} must need no grant`);
    }
    for (const actions of Object.values(USER_POOL_ACTIONS_BY_OP)) {
      for (const action of actions) assert.doesNotMatch(action, /\*/);
    }
  });

  test("covers every inflight operation of the backend contract", () => {
    const contract = fs.readFileSync(path.join(__dirname, "..", "platform", "backend.w"), "utf8");
    const ops = [...contract.matchAll(/^\s*inflight (\w+)\(/gm)].map((m) => m[1]);
    assert.ok(ops.length >= 7);
    assert.deepEqual(ops.filter((op) => !(op! in USER_POOL_ACTIONS_BY_OP)), [], "an inflight op has no IAM decision");
  });

  test("builds route ARNs with path parameters as wildcards", () => {
    const arn = "arn:aws:execute-api:eu-west-1:123456789012:abc123";
    assert.equal(executeApiRouteArn(arn, "prod", "get", "/hello"), `${arn}/prod/GET/hello`);
    assert.equal(executeApiRouteArn(arn, "prod", "POST", "/users/:id/posts/{post}"), `${arn}/prod/POST/users/*/posts/*`);
    assert.equal(executeApiRouteArn(arn, "prod", "GET", "/"), `${arn}/prod/GET/`);
    assert.throws(() => executeApiRouteArn(arn, "prod", "GET", "hello"), /must start with "\/"/);
  });

  test("an invoke policy allows execute-api:Invoke on exactly the given routes", () => {
    const policy = JSON.parse(invokePolicy(["arn:x/prod/POST/a", "arn:x/prod/GET/a", "arn:x/prod/GET/a"]));
    assert.deepEqual(policy, {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: ["execute-api:Invoke"], Resource: ["arn:x/prod/GET/a", "arn:x/prod/POST/a"] }],
    });
    assert.throws(() => invokePolicy([]), /at least one route/);
    assert.throws(() => invokePolicy(["*"]), /not a route ARN/);
  });

  test("the trust policy is limited to one identity pool and one amr", () => {
    const policy = JSON.parse(identityPoolTrustPolicy("eu-west-1:1111-2222", "authenticated"));
    assert.deepEqual(policy.Statement, [
      {
        Effect: "Allow",
        Principal: { Federated: "cognito-identity.amazonaws.com" },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: { "cognito-identity.amazonaws.com:aud": "eu-west-1:1111-2222" },
          "ForAnyValue:StringLike": { "cognito-identity.amazonaws.com:amr": "authenticated" },
        },
      },
    ]);
  });
});

describe("tfaws-names", () => {
  const addr = "c8d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0";

  test("derives short, valid names that end with the instance address", () => {
    const names = cognitoResourceNames("root/Default/Default/My Auth/tf-aws", addr);
    assert.equal(names.base, `my-auth-${addr.slice(-8)}`);
    assert.equal(names.userPool, names.base);
    assert.equal(names.userPoolClient, `${names.base}-client`);
    assert.equal(names.identityPool, `${names.base}-identities`);
    assert.equal(names.securityScheme, names.base);
    assert.ok(names.authenticatedRolePrefix.length <= 38 && names.unauthenticatedRolePrefix.length <= 38);
    const long = cognitoResourceNames(`root/${"x".repeat(200)}/tf-aws`, addr);
    assert.ok(long.unauthenticatedRolePrefix.length <= 38, long.unauthenticatedRolePrefix);
    assert.match(long.base, /^[a-z0-9-]+$/);
  });

  test("two instances never share a name", () => {
    const a = cognitoResourceNames("root/Default/auth/tf-aws", addr);
    const b = cognitoResourceNames("root/Default/auth/tf-aws", `${addr.slice(0, -8)}00000000`);
    for (const key of Object.keys(a) as (keyof typeof a)[]) assert.notEqual(a[key], b[key], key);
  });

  test("uses the user's name for the pools and rejects invalid ones", () => {
    const names = cognitoResourceNames("root/Default/auth/tf-aws", addr, "My Pool");
    assert.equal(names.userPool, "My Pool");
    assert.equal(names.identityPool, "My Pool-identities");
    assert.ok(names.securityScheme.endsWith(addr.slice(-8)));
    assert.throws(() => cognitoResourceNames("root/a", addr, "bad/name"), /invalid Cognito name/);
    assert.throws(() => cognitoResourceNames("root/a", "nothex"), /not a construct address/);
  });
});

describe("tfaws-user-pool", () => {
  test("adds a required email attribute when users sign in with their email", () => {
    assert.deepEqual(userPoolSchema(["email"]), [
      { name: "email", attributeDataType: "String", mutable: true, required: true, stringAttributeConstraints: { minLength: "0", maxLength: "2048" } },
    ]);
    assert.deepEqual(userPoolSchema([]), []);
  });

  test("maps AWS SchemaAttributeType (PascalCase) and provider (camelCase) shapes", () => {
    const schema = userPoolSchema(
      ["email"],
      [
        { Name: "team", AttributeDataType: "String", Mutable: true, StringAttributeConstraints: { MinLength: 1, MaxLength: "64" } },
        { name: "level", attributeDataType: "Number", numberAttributeConstraints: { minValue: "0", maxValue: 10 } },
        { Name: "email", AttributeDataType: "String", Required: true },
      ],
    );
    assert.deepEqual(schema, [
      { name: "team", attributeDataType: "String", mutable: true, stringAttributeConstraints: { minLength: "1", maxLength: "64" } },
      { name: "level", attributeDataType: "Number", numberAttributeConstraints: { minValue: "0", maxValue: "10" } },
      { name: "email", attributeDataType: "String", required: true, stringAttributeConstraints: { minLength: "0", maxLength: "2048" } },
    ]);
  });

  test("rejects malformed schemas with the offending index", () => {
    assert.throws(() => userPoolSchema([], { Name: "x" }), /must be a list/);
    assert.throws(() => userPoolSchema([], [{ AttributeDataType: "String" }]), /schema\[0\]: Name/);
    assert.throws(() => userPoolSchema([], [{ Name: "a", AttributeDataType: "Text" }]), /schema\[0\]: AttributeDataType/);
    assert.throws(() => userPoolSchema([], [{ Name: "a" }, { Name: "a" }]), /schema\[1\]: attribute "a" is listed twice/);
    assert.throws(() => userPoolSchema([], [{ Name: "a", Mutable: "yes" }]), /mutable must be a boolean/);
    assert.throws(() => userPoolSchema([], [{ Name: "a", StringAttributeConstraints: { MaxLength: -1 } }]), /maxLength must be a non-negative integer/);
  });

  test("the default password policy matches Cognito's strong default", () => {
    assert.deepEqual(defaultPasswordPolicy(), {
      minimumLength: 8,
      requireLowercase: true,
      requireUppercase: true,
      requireNumbers: true,
      requireSymbols: true,
      temporaryPasswordValidityDays: 7,
    });
  });
});

describe("tfaws-api-access against the Wing SDK's tf-aws Api", () => {
  const outdirs: string[] = [];
  after(() => outdirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  function newTfAwsApp(): App {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "cognito-tfaws-access-"));
    outdirs.push(outdir);
    const platform = new Platform();
    const classFactory = new ClassFactory([platform.newInstance.bind(platform)], [platform.resolveType.bind(platform)]);
    return new App({ outdir, entrypointDir: outdir, classFactory, isTestEnvironment: false });
  }

  const ok = () => lift({}).inflight(async () => ({ status: 200 }));

  test("a spec written back reaches the synthesized REST API body, with later routes too", () => {
    const app = newTfAwsApp();
    const api = new Api(app, "Api");
    api.get("/hello", ok());
    const spec = readApiSpec(api);
    assert.equal(typeof spec.paths["/hello"]?.["get"]?.["x-amazon-apigateway-integration"], "object");
    const scheme = cognitoUserPoolsScheme("Authorization", "arn:aws:cognito-idp:eu-west-1:1:userpool/eu-west-1_abc");
    writeApiSpec(api, withProtectedOperation(withSecurityScheme(spec, "pool", scheme), "/hello", "GET", "pool"));
    api.post("/hello", ok());
    app.synth();
    const tf = JSON.parse(fs.readFileSync(path.join(app.outdir, "main.tf.json"), "utf8"));
    const body = JSON.parse(Object.values<{ body: string }>(tf.resource.aws_api_gateway_rest_api)[0]!.body);
    assert.deepEqual(body.components.securitySchemes, { pool: scheme });
    assert.deepEqual(body.paths["/hello"].get.security, [{ pool: [] }]);
    assert.equal(body.paths["/hello"].get["x-amazon-apigateway-integration"].type, "aws_proxy");
    assert.equal(body.paths["/hello"].post.security, undefined);
    assert.equal(body.paths["/hello"].post["x-amazon-apigateway-integration"].type, "aws_proxy");
  });

  test("reads the api's CORS options and adds the token headers to the preflight's allowed headers", () => {
    const app = newTfAwsApp();
    const plain = new Api(app, "Plain");
    assert.equal(readApiCors(plain), undefined);
    allowCorsHeaders(plain, ["X-Id-Token"]);
    assert.equal(readApiCors(plain), undefined);

    const api = new Api(app, "Cors", { cors: true, corsOptions: { allowHeaders: Object.freeze(["Content-Type"]) as string[] } });
    api.get("/hello", ok());
    allowCorsHeaders(api, corsHeadersFor("Authorization", true));
    allowCorsHeaders(api, ["x-amz-date", "X-Id-Token"]);
    const cors = readApiCors(api)!;
    assert.deepEqual(cors.allowHeaders, ["Content-Type", "Authorization", "X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Content-Sha256", "X-Id-Token"]);
    assert.equal(cors.allowOrigin, "*");
    assert.equal(cors.allowCredentials, false);
    app.synth();
    const tf = JSON.parse(fs.readFileSync(path.join(app.outdir, "main.tf.json"), "utf8"));
    const bodies = Object.values<{ body: string }>(tf.resource.aws_api_gateway_rest_api).map((r) => JSON.parse(r.body));
    const preflight = bodies.map((b) => b.paths["/{proxy+}"]["x-amazon-apigateway-any-method"]["x-amazon-apigateway-integration"].responses["204"]);
    const allowed = preflight.filter(Boolean).map((r) => r.responseParameters["method.response.header.Access-Control-Allow-Headers"]);
    assert.deepEqual(allowed, ["'Content-Type,Authorization,X-Amz-Date,X-Amz-Security-Token,X-Amz-Content-Sha256,X-Id-Token'"]);
  });

  test("fails loudly on an object without a spec", () => {
    assert.throws(() => readApiSpec({}), /no longer has an `apiSpec.paths` object/);
    assert.throws(() => writeApiSpec({ apiSpec: { paths: null } }, { paths: {} }), /no longer has an `apiSpec.paths` object/);
  });
});

describe("tfaws CORS gateway responses", () => {
  const cors = { allowOrigin: "*", allowHeaders: ["Content-Type", "X-Id-Token"], allowMethods: ["GET"], exposeHeaders: [], allowCredentials: false };

  test("DEFAULT_4XX and DEFAULT_5XX carry the api's CORS headers, without mutating the input", () => {
    const spec = sampleSpec();
    const before = JSON.stringify(spec);
    const out = withCorsGatewayResponses(spec, cors);
    assert.equal(JSON.stringify(spec), before);
    const expected = {
      responseParameters: {
        "gatewayresponse.header.Access-Control-Allow-Origin": "'*'",
        "gatewayresponse.header.Access-Control-Allow-Headers": "'Content-Type,X-Id-Token'",
        "gatewayresponse.header.Access-Control-Allow-Methods": "'GET'",
      },
    };
    assert.deepEqual(out["x-amazon-apigateway-gateway-responses"], { DEFAULT_4XX: expected, DEFAULT_5XX: expected });
    assert.deepEqual(out.paths, spec.paths);
  });

  test("keeps gateway responses the spec already has, and adds credentials and exposed headers when set", () => {
    const mine = { statusCode: "401", responseParameters: { "gatewayresponse.header.X": "'y'" } };
    const spec = { ...sampleSpec(), "x-amazon-apigateway-gateway-responses": { DEFAULT_4XX: mine } };
    const out = withCorsGatewayResponses(spec, { ...cors, allowOrigin: "https://app.example.com", exposeHeaders: ["X-Id"], allowCredentials: true });
    const responses = out["x-amazon-apigateway-gateway-responses"] as Record<string, { responseParameters: Record<string, string> }>;
    assert.deepEqual(responses["DEFAULT_4XX"], mine);
    assert.equal(responses["DEFAULT_5XX"]!.responseParameters["gatewayresponse.header.Access-Control-Allow-Credentials"], "'true'");
    assert.equal(responses["DEFAULT_5XX"]!.responseParameters["gatewayresponse.header.Access-Control-Expose-Headers"], "'X-Id'");
    assert.equal(responses["DEFAULT_5XX"]!.responseParameters["gatewayresponse.header.Access-Control-Allow-Origin"], "'https://app.example.com'");
  });

  test("refuses a value API Gateway cannot quote", () => {
    assert.throws(() => withCorsGatewayResponses(sampleSpec(), { ...cors, allowOrigin: "https://o'brien.example" }), /contains a quote/);
  });

  test("the preflight must allow the token header, or SigV4's headers for AWS_IAM", () => {
    assert.deepEqual(corsHeadersFor("X-Id-Token", false), ["X-Id-Token"]);
    assert.deepEqual(corsHeadersFor("X-Id-Token", true), ["Authorization", "X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Content-Sha256"]);
  });
});

describe("tfaws-user-pool: constraints, Required custom attributes, email", () => {
  test("Number attributes get a number_attribute_constraints block, String ones a string_attribute_constraints block", () => {
    const schema = userPoolSchema([], [
      { Name: "age", AttributeDataType: "Number" },
      { Name: "score", AttributeDataType: "Number", NumberAttributeConstraints: { MinValue: 0, MaxValue: "10" } },
      { Name: "team", AttributeDataType: "String" },
      { Name: "born", AttributeDataType: "DateTime" },
    ]);
    assert.deepEqual(schema, [
      { name: "age", attributeDataType: "Number", numberAttributeConstraints: {} },
      { name: "score", attributeDataType: "Number", numberAttributeConstraints: { minValue: "0", maxValue: "10" } },
      { name: "team", attributeDataType: "String", stringAttributeConstraints: { minLength: "0", maxLength: "2048" } },
      { name: "born", attributeDataType: "DateTime" },
    ]);
    assert.throws(() => userPoolSchema([], [{ Name: "age", AttributeDataType: "Number", StringAttributeConstraints: { MaxLength: 3 } }]), /only apply to String attributes/);
  });

  test("a Required custom attribute is refused with AWS's reason; a required standard attribute is fine", () => {
    assert.throws(
      () => userPoolSchema([], [{ Name: "team", AttributeDataType: "String", Required: true }]),
      /schema\[0\]: custom attribute "team" cannot be Required: Required custom attributes are not supported currently/,
    );
    assert.deepEqual(userPoolSchema([], [{ Name: "name", AttributeDataType: "String", Required: true }])[0]!.required, true);
    assert.equal(userPoolSchema([], [{ Name: "team", AttributeDataType: "String", Required: false }])[0]!.required, false);
  });

  test("email through SES: DEVELOPER sending account with the identity's ARN", () => {
    assert.deepEqual(emailConfiguration({ sesSourceArn: "arn:aws:ses:eu-west-1:123456789012:identity/example.com" }), {
      emailSendingAccount: "DEVELOPER",
      sourceArn: "arn:aws:ses:eu-west-1:123456789012:identity/example.com",
    });
    assert.deepEqual(
      emailConfiguration({
        sesSourceArn: "arn:aws-cn:ses:cn-north-1:123456789012:identity/no-reply@example.cn",
        from: "Ex <no-reply@example.cn>",
        replyTo: "help@example.cn",
        configurationSet: "mails_1",
      }),
      {
        emailSendingAccount: "DEVELOPER",
        sourceArn: "arn:aws-cn:ses:cn-north-1:123456789012:identity/no-reply@example.cn",
        fromEmailAddress: "Ex <no-reply@example.cn>",
        replyToEmailAddress: "help@example.cn",
        configurationSet: "mails_1",
      },
    );
    assert.throws(() => emailConfiguration({ sesSourceArn: "no-reply@example.com" }), /must be the ARN of a verified SES identity/);
    assert.throws(() => emailConfiguration({ sesSourceArn: "arn:aws:ses:eu-west-1:123456789012:identity/x.com", configurationSet: "a b" }), /configurationSet/);
  });
});

describe("inflight hosts and issuers follow the partition", () => {
  test("issuer, Logins key and JWKS URL use the DNS suffix the deployment passes, amazonaws.com by default", () => {
    assert.equal(issuerOf("cn-north-1", "cn-north-1_abc", "amazonaws.com.cn"), "https://cognito-idp.cn-north-1.amazonaws.com.cn/cn-north-1_abc");
    assert.equal(loginsKey("us-gov-west-1", "us-gov-west-1_abc", "amazonaws.com"), "cognito-idp.us-gov-west-1.amazonaws.com/us-gov-west-1_abc");
    assert.equal(loginsKey("eu-west-1", "eu-west-1_abc"), "cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc");
    assert.equal(
      jwksUrlOf({ endpoint: "", region: "cn-north-1", userPoolId: "cn-north-1_abc", dnsSuffix: "amazonaws.com.cn" }),
      "https://cognito-idp.cn-north-1.amazonaws.com.cn/cn-north-1_abc/.well-known/jwks.json",
    );
  });
});
