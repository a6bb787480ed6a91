// Structural test of the tf-aws backend: compiles the fixture apps in test/tfaws/ with
// `wing compile -t tf-aws`, parses main.tf.json and checks the Cognito resources, the authorizers
// merged into each API's OpenAPI body, the IAM documents and the grants of functions that use Cognito.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO, runWing } from "./support/wing-cli";

// Wing resolves JSII libraries (@cdktf/provider-aws) from the output folder, so it must sit inside
// the repository: target/ is git-ignored.
const TARGET = path.join(REPO, "target");

type Resource = { [key: string]: any };
type Resources = { [type: string]: { [name: string]: Resource } };
interface TerraformJson {
  resource: Resources;
  data: Resources;
  output: { [name: string]: { value: string } };
}
interface Compiled {
  code: number | null;
  output: string;
  tf?: TerraformJson;
  outdir: string;
}

const outdirs: string[] = [];

/**
 * Compiles test/tfaws/<fixture>.main.w. `asTest` compiles it as `wing test` does (the compiler's WING_IS_TEST),
 * so that the app's `isTestEnvironment` is true.
 */
function compile(fixture: string, target = "tf-aws", asTest = false): Promise<Compiled> {
  fs.mkdirSync(TARGET, { recursive: true });
  const outdir = fs.mkdtempSync(path.join(TARGET, `tfaws-synth-${fixture}-`));
  outdirs.push(outdir);
  const previous = process.env["WING_IS_TEST"];
  process.env["WING_IS_TEST"] = String(asTest);
  const run = runWing(["compile", "-t", target, path.join("test", "tfaws", `${fixture}.main.w`), "-o", outdir]);
  if (previous === undefined) delete process.env["WING_IS_TEST"];
  else process.env["WING_IS_TEST"] = previous;
  return run.then(({ code, output }) => {
    const file = path.join(outdir, "main.tf.json");
    const tf = code === 0 && fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as TerraformJson) : undefined;
    return { code, output, tf, outdir };
  });
}

after(() => outdirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** `${type.name.attr}` of the resource `name` of `type`, as cdktf renders a reference. */
const ref = (type: string, name: string, attr: string) => `\${${type}.${name}.${attr}}`;

function only<T>(items: T[], what: string): T {
  assert.equal(items.length, 1, `expected exactly one ${what}, found ${items.length}`);
  return items[0]!;
}

/** The resource of `type` whose construct path contains `/<instance>/`. */
function ofInstance(tf: TerraformJson, type: string, instance: string, kind = "resource"): [string, Resource] {
  const all = Object.entries((kind === "resource" ? tf.resource : tf.data)[type] ?? {});
  return only(
    all.filter(([, r]) => (r["//"]?.metadata?.path as string).includes(`/${instance}/`)),
    `${type} of ${instance}`,
  );
}

function restApiBody(tf: TerraformJson, api: string): any {
  const [, restApi] = ofInstance(tf, "aws_api_gateway_rest_api", api);
  return JSON.parse(restApi["body"]);
}

/** Every IAM statement in the app: role policies and trust policies. */
function allStatements(tf: TerraformJson): { where: string; statement: any }[] {
  const out: { where: string; statement: any }[] = [];
  for (const [name, policy] of Object.entries(tf.resource["aws_iam_role_policy"] ?? {})) {
    for (const statement of JSON.parse(policy["policy"]).Statement) out.push({ where: `aws_iam_role_policy.${name}`, statement });
  }
  for (const [name, role] of Object.entries(tf.resource["aws_iam_role"] ?? {})) {
    for (const statement of JSON.parse(role["assume_role_policy"]).Statement) out.push({ where: `aws_iam_role.${name}`, statement });
  }
  return out;
}

const list = (value: unknown): string[] => (Array.isArray(value) ? value : [value]) as string[];

/** The statements of the role policy attached to the role of Lambda function `fn`. */
function functionStatements(tf: TerraformJson, fn: string): any[] {
  const lambda = tf.resource["aws_lambda_function"]?.[fn];
  assert.ok(lambda, `no function ${fn}`);
  const roleName = /^\$\{aws_iam_role\.([^.]+)\.arn\}$/.exec(lambda["role"])?.[1];
  assert.ok(roleName, `unexpected role reference ${lambda["role"]}`);
  const policies = Object.values(tf.resource["aws_iam_role_policy"] ?? {}).filter(
    (p) => p["role"] === ref("aws_iam_role", roleName, "name"),
  );
  return policies.flatMap((p) => JSON.parse(p["policy"]).Statement);
}

describe("wing compile -t tf-aws: two Cognito instances on two APIs", () => {
  let tf: TerraformJson;
  before(async () => {
    const result = await compile("two-instances");
    assert.equal(result.code, 0, result.output);
    tf = result.tf!;
  });

  const instances = [
    { id: "user-pools-auth", api: "user-pools-api", iam: false },
    { id: "iam-auth", api: "iam-api", iam: true },
  ];

  test("creates a user pool, client, identity pool, roles and roles attachment per instance", () => {
    for (const type of [
      "aws_cognito_user_pool",
      "aws_cognito_user_pool_client",
      "aws_cognito_identity_pool",
      "aws_cognito_identity_pool_roles_attachment",
    ]) {
      assert.equal(Object.keys(tf.resource[type] ?? {}).length, 2, type);
    }
    for (const { id } of instances) {
      const [poolName, pool] = ofInstance(tf, "aws_cognito_user_pool", id);
      assert.deepEqual(pool["username_attributes"], ["email"]);
      assert.deepEqual(pool["auto_verified_attributes"], ["email"]);
      assert.deepEqual(pool["schema"], [
        { attribute_data_type: "String", mutable: true, name: "email", required: true, string_attribute_constraints: { max_length: "2048", min_length: "0" } },
      ]);
      assert.deepEqual(pool["password_policy"], {
        minimum_length: 8,
        require_lowercase: true,
        require_numbers: true,
        require_symbols: true,
        require_uppercase: true,
        temporary_password_validity_days: 7,
      });

      const [clientName, client] = ofInstance(tf, "aws_cognito_user_pool_client", id);
      assert.equal(client["user_pool_id"], ref("aws_cognito_user_pool", poolName, "id"));
      assert.deepEqual([...client["explicit_auth_flows"]].sort(), ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH"]);
      assert.equal(client["generate_secret"], false);
      assert.equal(client["prevent_user_existence_errors"], "ENABLED");

      const [identityPoolName, identityPool] = ofInstance(tf, "aws_cognito_identity_pool", id);
      assert.equal(identityPool["allow_unauthenticated_identities"], false);
      assert.deepEqual(identityPool["cognito_identity_providers"], [
        {
          client_id: ref("aws_cognito_user_pool_client", clientName, "id"),
          provider_name: ref("aws_cognito_user_pool", poolName, "endpoint"),
          server_side_token_check: true,
        },
      ]);

      const [roleName, role] = ofInstance(tf, "aws_iam_role", id);
      const [, attachment] = ofInstance(tf, "aws_cognito_identity_pool_roles_attachment", id);
      assert.equal(attachment["identity_pool_id"], ref("aws_cognito_identity_pool", identityPoolName, "id"));
      assert.deepEqual(attachment["roles"], { authenticated: ref("aws_iam_role", roleName, "arn") });

      const trust = JSON.parse(role["assume_role_policy"]);
      assert.deepEqual(trust.Statement, [
        {
          Effect: "Allow",
          Principal: { Federated: "cognito-identity.amazonaws.com" },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: { "cognito-identity.amazonaws.com:aud": ref("aws_cognito_identity_pool", identityPoolName, "id") },
            "ForAnyValue:StringLike": { "cognito-identity.amazonaws.com:amr": "authenticated" },
          },
        },
      ]);
    }
  });

  test("gives every instance unique names, and IAM roles a name prefix", () => {
    const names = (type: string, attr: string) => instances.map(({ id }) => ofInstance(tf, type, id)[1][attr] as string);
    for (const [type, attr] of [
      ["aws_cognito_user_pool", "name"],
      ["aws_cognito_user_pool_client", "name"],
      ["aws_cognito_identity_pool", "identity_pool_name"],
      ["aws_iam_role", "name_prefix"],
    ] as const) {
      const values = names(type, attr);
      assert.ok(values.every((v) => typeof v === "string" && v.length > 0), `${type}.${attr}: ${values}`);
      assert.equal(new Set(values).size, values.length, `${type}.${attr} collide: ${values}`);
    }
    for (const { id } of instances) {
      const [, role] = ofInstance(tf, "aws_iam_role", id);
      assert.equal(role["name"], undefined, "a fixed role name collides between two apps in one account");
      assert.ok((role["name_prefix"] as string).length <= 38);
    }
    const outputs = Object.keys(tf.output);
    for (const { id } of instances) {
      for (const key of ["user-pool-id", "client-id", "identity-pool-id", "region"]) {
        only(outputs.filter((o) => o.startsWith(`${id}-`) && o.endsWith(`-${key}`)), `${key} output of ${id}`);
      }
    }
  });

  test("merges each authorizer into its API's OpenAPI body with the pool ARN reference", () => {
    const userPoolsBody = restApiBody(tf, "user-pools-api");
    const [poolName] = ofInstance(tf, "aws_cognito_user_pool", "user-pools-auth");
    const userPoolsSchemes = Object.entries<any>(userPoolsBody.components.securitySchemes);
    const [userPoolsScheme, userPoolsDef] = only(userPoolsSchemes, "scheme on user-pools-api");
    assert.deepEqual(userPoolsDef, {
      type: "apiKey",
      name: "Authorization",
      in: "header",
      "x-amazon-apigateway-authtype": "cognito_user_pools",
      "x-amazon-apigateway-authorizer": { type: "cognito_user_pools", providerARNs: [ref("aws_cognito_user_pool", poolName, "arn")] },
    });

    const iamBody = restApiBody(tf, "iam-api");
    const [iamScheme, iamDef] = only(Object.entries<any>(iamBody.components.securitySchemes), "scheme on iam-api");
    assert.deepEqual(iamDef, { type: "apiKey", name: "Authorization", in: "header", "x-amazon-apigateway-authtype": "awsSigv4" });
    assert.notEqual(userPoolsScheme, iamScheme);
    assert.equal(iamBody.openapi, "3.0.3");
  });

  test("sets security on the protected operations only, and keeps aws_proxy on every route", () => {
    const expected: { [api: string]: { [route: string]: boolean } } = {
      "user-pools-api": { "get /hello": true, "post /hello": true, "put /hello": false, "get /users/{id}": true },
      "iam-api": { "get /hello": true, "delete /hello": false },
    };
    for (const [api, routes] of Object.entries(expected)) {
      const body = restApiBody(tf, api);
      const scheme = only(Object.keys(body.components.securitySchemes), `scheme on ${api}`);
      const seen: { [route: string]: boolean } = {};
      for (const [routePath, methods] of Object.entries<any>(body.paths)) {
        if (routePath === "/{proxy+}") continue; // Wing's mock 404 for unknown routes
        for (const [method, operation] of Object.entries<any>(methods)) {
          const integration = operation["x-amazon-apigateway-integration"];
          assert.equal(integration?.type, "aws_proxy", `${api} ${method} ${routePath}`);
          assert.equal(integration.requestTemplates, undefined, `${api} ${method} ${routePath} has a mapping template`);
          seen[`${method} ${routePath}`] = operation.security !== undefined;
          if (operation.security !== undefined) assert.deepEqual(operation.security, [{ [scheme]: [] }]);
        }
      }
      assert.deepEqual(seen, routes, api);
    }
  });

  test("gives the user pools' authenticated role no policy at all: only AWS_IAM routes check IAM", () => {
    const [roleName] = ofInstance(tf, "aws_iam_role", "user-pools-auth");
    const policies = Object.values(tf.resource["aws_iam_role_policy"] ?? {}).filter((p) => p["role"] === ref("aws_iam_role", roleName, "id"));
    assert.deepEqual(policies, []);
  });

  test("lets authenticated identities of an AWS_IAM instance invoke exactly the protected routes", () => {
    const routes: { [id: string]: { api: string; arns: string[] } } = {
      "iam-auth": { api: "iam-api", arns: ["GET/hello"] },
    };
    for (const [id, { api, arns }] of Object.entries(routes)) {
      const [roleName] = ofInstance(tf, "aws_iam_role", id);
      const [restApiName] = ofInstance(tf, "aws_api_gateway_rest_api", api);
      const [stageName] = ofInstance(tf, "aws_api_gateway_stage", api);
      const prefix = `${ref("aws_api_gateway_rest_api", restApiName, "execution_arn")}/${ref("aws_api_gateway_stage", stageName, "stage_name")}/`;
      const policies = Object.values(tf.resource["aws_iam_role_policy"] ?? {}).filter((p) => p["role"] === ref("aws_iam_role", roleName, "id"));
      const policy = only(policies, `invoke policy of ${id}`);
      assert.deepEqual(JSON.parse(policy["policy"]).Statement, [
        { Effect: "Allow", Action: ["execute-api:Invoke"], Resource: arns.map((route) => prefix + route) },
      ]);
    }
  });

  test("grants functions exactly the Cognito actions they call, on their own pool", () => {
    const [poolName] = ofInstance(tf, "aws_cognito_user_pool", "user-pools-auth");
    const confirmer = functionStatements(tf, "confirmer").filter((s) => list(s.Action).some((a) => a.startsWith("cognito")));
    assert.deepEqual(confirmer, [
      { Action: ["cognito-idp:AdminConfirmSignUp"], Resource: [ref("aws_cognito_user_pool", poolName, "arn")], Effect: "Allow" },
    ]);
    // signUp, initiateAuth, getId and getCredentialsForIdentity are unsigned: no grant at all.
    const signer = functionStatements(tf, "signer");
    assert.deepEqual(signer.flatMap((s) => list(s.Action)).filter((a) => a !== "none:null"), []);
    // The region and ids reach the function from the deployment.
    const env = tf.resource["aws_lambda_function"]!["signer"]!["environment"].variables;
    const [regionName] = ofInstance(tf, "aws_region", "iam-auth", "data");
    const values = Object.values<string>(env);
    for (const expectedRef of [
      ref("data.aws_region", regionName, "name"),
      ref("aws_cognito_user_pool", ofInstance(tf, "aws_cognito_user_pool", "iam-auth")[0], "id"),
      ref("aws_cognito_user_pool_client", ofInstance(tf, "aws_cognito_user_pool_client", "iam-auth")[0], "id"),
      ref("aws_cognito_identity_pool", ofInstance(tf, "aws_cognito_identity_pool", "iam-auth")[0], "id"),
    ]) {
      assert.ok(values.some((v) => v.includes(expectedRef.slice(2, -1))), `signer lacks ${expectedRef}`);
    }
  });

  test("grants nothing with a wildcard", () => {
    const statements = allStatements(tf);
    assert.ok(statements.length > 10);
    for (const { where, statement } of statements) {
      const actions = list(statement.Action);
      // Wing's placeholder for functions without permissions grants the non-existent action none:null.
      if (actions.length === 1 && actions[0] === "none:null") continue;
      for (const action of actions) {
        assert.doesNotMatch(action, /\*/, `${where} grants ${action}`);
        assert.doesNotMatch(action, /^(cognito-identity|cognito-sync|mobileanalytics):/, `${where} grants ${action}`);
      }
      if (statement.Resource !== undefined) {
        for (const resource of list(statement.Resource)) assert.notEqual(resource, "*", `${where} grants ${actions} on *`);
      }
      if (statement.Principal !== undefined) assert.notEqual(statement.Principal, "*", where);
    }
  });
});

describe("wing compile -t tf-aws: options", () => {
  test("maps name, header, schema and unauthenticated identities; no deletion protection under wing test", async () => {
    const result = await compile("options", "tf-aws", true);
    assert.equal(result.code, 0, result.output);
    const tf = result.tf!;
    const [poolName, pool] = ofInstance(tf, "aws_cognito_user_pool", "auth");
    assert.equal(pool["name"], "My Pool");
    assert.equal(pool["deletion_protection"], "INACTIVE", "wing test -t tf-aws destroys the pool after the run");
    assert.deepEqual(pool["schema"].map((a: any) => a.name), ["email", "team"]);
    assert.equal(pool["schema"][1].attribute_data_type, "String");
    assert.equal(pool["schema"][1].mutable, true);

    const [identityPoolName, identityPool] = ofInstance(tf, "aws_cognito_identity_pool", "auth");
    assert.equal(identityPool["identity_pool_name"], "My Pool-identities");
    assert.equal(identityPool["allow_unauthenticated_identities"], true);

    const roles = Object.entries(tf.resource["aws_iam_role"] ?? {}).filter(([, r]) => (r["//"].metadata.path as string).includes("/auth/"));
    assert.equal(roles.length, 2);
    const [, attachment] = ofInstance(tf, "aws_cognito_identity_pool_roles_attachment", "auth");
    for (const amr of ["authenticated", "unauthenticated"] as const) {
      const [roleName, role] = only(
        roles.filter(([name]) => attachment["roles"][amr] === ref("aws_iam_role", name, "arn")),
        `${amr} role`,
      );
      const condition = JSON.parse(role["assume_role_policy"]).Statement[0].Condition;
      assert.equal(condition.StringEquals["cognito-identity.amazonaws.com:aud"], ref("aws_cognito_identity_pool", identityPoolName, "id"));
      assert.equal(condition["ForAnyValue:StringLike"]["cognito-identity.amazonaws.com:amr"], amr);
      const policies = Object.values(tf.resource["aws_iam_role_policy"] ?? {}).filter((p) => p["role"] === ref("aws_iam_role", roleName, "id"));
      assert.equal(policies.length, 0, `${amr} role policies (user pools mode needs no execute-api:Invoke)`);
    }

    const body = restApiBody(tf, "api");
    const [scheme, def] = only(Object.entries<any>(body.components.securitySchemes), "scheme");
    assert.equal(def.name, "X-Id-Token");
    assert.deepEqual(def["x-amazon-apigateway-authorizer"].providerARNs, [ref("aws_cognito_user_pool", poolName, "arn")]);
    assert.deepEqual(body.paths["/items/{id}"].get.security, [{ [scheme]: [] }]);
  });
});

describe("wing compile -t tf-aws: mistakes", () => {
  test("protecting a route the api does not have fails the compile, naming method and path", async () => {
    const result = await compile("unregistered-route");
    assert.notEqual(result.code, 0);
    assert.match(result.output, /@winglibs\/cognito: cannot protect POST \/hello: the api has no such route/);
    assert.match(result.output, /unregistered-route\.main\.w:9/);
  });
});

/** The bundled code (index.cjs) of the Lambda function whose construct path contains `/<route>/`. */
function lambdaBundle(outdir: string, route: string): string {
  const bundles = fs
    .readdirSync(path.join(outdir, ".wing"))
    .filter((name) => name.startsWith(route) && name.endsWith(".cjs.bundle"))
    .map((name) => path.join(outdir, ".wing", name, "index.cjs"));
  return fs.readFileSync(only(bundles, `bundle of ${route}`), "utf8");
}

describe("wing compile -t tf-aws: CORS, attribute constraints, email, deletion protection, bundles", () => {
  let compiled: Compiled;
  let tf: TerraformJson;
  before(async () => {
    compiled = await compile("cors");
    assert.equal(compiled.code, 0, compiled.output);
    tf = compiled.tf!;
  });

  test("gateway responses repeat the api's CORS headers, so browsers can read the authorizer's 401/403", () => {
    const body = restApiBody(tf, "user-api");
    const headers = {
      "gatewayresponse.header.Access-Control-Allow-Origin": "'*'",
      "gatewayresponse.header.Access-Control-Allow-Headers": "'Content-Type,Authorization,X-Requested-With,X-Id-Token'",
      "gatewayresponse.header.Access-Control-Allow-Methods": "'GET,POST,PUT,DELETE,HEAD,OPTIONS'",
    };
    assert.deepEqual(body["x-amazon-apigateway-gateway-responses"], {
      DEFAULT_4XX: { responseParameters: headers },
      DEFAULT_5XX: { responseParameters: headers },
    });
    const iamBody = restApiBody(tf, "iam-api");
    assert.deepEqual(iamBody["x-amazon-apigateway-gateway-responses"].DEFAULT_4XX.responseParameters, {
      "gatewayresponse.header.Access-Control-Allow-Origin": "'https://app.example.com'",
      "gatewayresponse.header.Access-Control-Allow-Headers": "'Content-Type,Authorization,X-Amz-Date,X-Amz-Security-Token,X-Amz-Content-Sha256'",
      "gatewayresponse.header.Access-Control-Allow-Methods": "'GET'",
      "gatewayresponse.header.Access-Control-Expose-Headers": "'X-Request-Id'",
      "gatewayresponse.header.Access-Control-Allow-Credentials": "'true'",
    });
  });

  test("the preflight allows the custom token header, and SigV4's headers on an AWS_IAM api", () => {
    const allowHeaders = (api: string) => {
      const proxy = restApiBody(tf, api).paths["/{proxy+}"]["x-amazon-apigateway-any-method"];
      return proxy["x-amazon-apigateway-integration"].responses["204"].responseParameters["method.response.header.Access-Control-Allow-Headers"];
    };
    assert.equal(allowHeaders("user-api"), "'Content-Type,Authorization,X-Requested-With,X-Id-Token'");
    assert.equal(allowHeaders("iam-api"), "'Content-Type,Authorization,X-Amz-Date,X-Amz-Security-Token,X-Amz-Content-Sha256'");
  });

  test("Number and String attributes carry their constraints block; email goes through SES", () => {
    const [, pool] = ofInstance(tf, "aws_cognito_user_pool", "auth");
    assert.deepEqual(pool["schema"].slice(1), [
      { attribute_data_type: "Number", mutable: true, name: "age", number_attribute_constraints: {} },
      { attribute_data_type: "Number", name: "score", number_attribute_constraints: { max_value: "100", min_value: "0" } },
      { attribute_data_type: "String", name: "team", string_attribute_constraints: { max_length: "2048", min_length: "0" } },
    ]);
    assert.deepEqual(pool["email_configuration"], {
      email_sending_account: "DEVELOPER",
      source_arn: "arn:aws:ses:us-east-1:123456789012:identity/example.com",
      from_email_address: "Example <no-reply@example.com>",
      reply_to_email_address: "help@example.com",
      configuration_set: "sign-up-mails",
    });
    const [, iamPool] = ofInstance(tf, "aws_cognito_user_pool", "iam-auth");
    assert.equal(iamPool["email_configuration"], undefined);
  });

  test("deletion protection is on for a deployed app unless turned off", () => {
    assert.equal(ofInstance(tf, "aws_cognito_user_pool", "auth")[1]["deletion_protection"], "INACTIVE");
    assert.equal(ofInstance(tf, "aws_cognito_user_pool", "iam-auth")[1]["deletion_protection"], "ACTIVE");
  });

  test("endpoints and issuers come from the partition: the functions get its DNS suffix", () => {
    const [partitionName] = ofInstance(tf, "aws_partition", "auth", "data");
    const me = Object.entries(tf.resource["aws_lambda_function"] ?? {}).find(([, fn]) => (fn["//"].metadata.path as string).includes("/user-api/get_me"));
    assert.ok(me, "no Lambda for GET /me");
    const env = Object.values<string>(me[1]["environment"].variables);
    assert.ok(env.some((v) => v.includes(`data.aws_partition.${partitionName}.dns_suffix`)), JSON.stringify(env));
  });

  test("a route that only calls auth.caller bundles its token verifier and no AWS SDK client", () => {
    const me = lambdaBundle(compiled.outdir, "get_me");
    const signUp = lambdaBundle(compiled.outdir, "post_sign-up");
    const plain = lambdaBundle(compiled.outdir, "get_signed");
    assert.match(me, /verifyRs256Jwt/);
    for (const bundle of [me, signUp]) {
      assert.doesNotMatch(bundle, /node_modules\/@aws-sdk\/client-cognito-identity(-provider)?\//);
    }
    // What Cognito adds to a Cognito-free route's bundle (Wing's own runtime): this library, well under 400 kB.
    const added = Buffer.byteLength(me) - Buffer.byteLength(plain);
    assert.ok(added < 400_000, `GET /me bundles ${added} bytes more than a Cognito-free route`);
  });
});

describe("wing compile (sim): CORS", () => {
  test("the simulator's preflight allows the token header and SigV4's headers too", async () => {
    const result = await compile("cors", "sim");
    assert.equal(result.code, 0, result.output);
    const sim = JSON.parse(fs.readFileSync(path.join(result.outdir, "simulator.json"), "utf8"));
    const allowed: { [api: string]: string } = {};
    const visit = (node: any): void => {
      if (node === null || typeof node !== "object") return;
      const headers = node?.props?.corsHeaders?.optionsResponse?.["Access-Control-Allow-Headers"];
      if (typeof headers === "string" && typeof node.path === "string") allowed[node.path.split("/").pop()] = headers;
      Object.values(node).forEach(visit);
    };
    visit(sim);
    assert.deepEqual(allowed, {
      "user-api": "Content-Type,Authorization,X-Requested-With,X-Id-Token",
      "iam-api": "Content-Type,Authorization,X-Amz-Date,X-Amz-Security-Token,X-Amz-Content-Sha256",
    });
  });
});

describe("wing compile: refusals", () => {
  test("a Required custom attribute fails the compile with AWS's reason", async () => {
    const result = await compile("required-custom");
    assert.notEqual(result.code, 0);
    assert.match(result.output, /custom attribute "team" cannot be Required: Required custom attributes are not supported currently/);
  });

  for (const target of ["tf-aws", "sim"]) {
    test(`protecting an OPTIONS route fails the compile on ${target}`, async () => {
      const result = await compile("protect-options", target);
      assert.notEqual(result.code, 0);
      assert.match(result.output, /@winglibs\/cognito: cannot protect OPTIONS \/hello: browsers send CORS preflight requests \(OPTIONS\) without credentials/);
      assert.match(result.output, /protect-options\.main\.w:8/);
    });
  }
});
