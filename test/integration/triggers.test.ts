// Integration tests of pool triggers on the standalone service: LambdaConfig validation, the event each trigger gets,
// what its answer changes (PreSignUp, PostConfirmation, Pre/PostAuthentication, PreTokenGeneration V1 and V2,
// CustomMessage, UserMigration), and failures (throws, bad answers, timeouts, no endpoint) that leave no state behind.
// Functions run behind a small Lambda Invoke REST API stand-in; clients are the AWS SDK v3 and aws-jwt-verify.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  AdminAddUserToGroupCommand, AdminConfirmSignUpCommand, AdminGetUserCommand, ConfirmForgotPasswordCommand, ConfirmSignUpCommand,
  CreateGroupCommand, CreateUserPoolCommand, DescribeUserPoolCommand, ForgotPasswordCommand, InitiateAuthCommand, SignUpCommand,
  UpdateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { CognitoJwtVerifier } from "aws-jwt-verify";
import { rejectsWithAwsError as rejects } from "../support/aws-errors";
import { useTriggerService } from "../support/trigger-service";
import { createPoolAndClient, startTestService } from "../support/local-service";

const PASSWORD = "Trig#Pass123";

const env = useTriggerService();

/** A pool (email as username) whose LambdaConfig points each named trigger at the stand-in function of that name. */
async function poolWith(triggers: string[], extra: Record<string, unknown> = {}) {
  const LambdaConfig: Record<string, unknown> = Object.fromEntries(triggers.map((name) => [name, env.lambdas.arn(name)]));
  Object.assign(LambdaConfig, extra);
  return createPoolAndClient(env.idp, { UsernameAttributes: ["email"], AutoVerifiedAttributes: ["email"], LambdaConfig }, { PreventUserExistenceErrors: "ENABLED" });
}

const signUp = (clientId: string, email: string, extra: Record<string, unknown> = {}) =>
  env.idp.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD, UserAttributes: [{ Name: "email", Value: email }], ...extra }));
const signIn = (clientId: string, email: string, password = PASSWORD) =>
  env.idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: email, PASSWORD: password } }));
const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString("utf8")) as Record<string, unknown>;

describe("LambdaConfig", () => {
  test("CreateUserPool validates ARNs and the PreTokenGeneration version; DescribeUserPool shows the config", async () => {
    await rejects(env.idp.send(new CreateUserPoolCommand({ PoolName: "bad", LambdaConfig: { PreSignUp: "not-an-arn-at-all-really" } })),
      "InvalidParameterException", /at 'lambdaConfig.preSignUp' failed to satisfy constraint: Member must satisfy regular expression pattern/);
    await rejects(env.idp.send(new CreateUserPoolCommand({ PoolName: "bad", LambdaConfig: { PreTokenGenerationConfig: { LambdaVersion: "V9_0" as "V2_0", LambdaArn: env.lambdas.arn("x") } } })),
      "InvalidParameterException", /lambdaVersion' failed to satisfy constraint: Member must satisfy enum value set: \[V1_0, V2_0, V3_0\]/);
    await rejects(env.idp.send(new CreateUserPoolCommand({ PoolName: "bad", LambdaConfig: { PreTokenGeneration: env.lambdas.arn("a"), PreTokenGenerationConfig: { LambdaVersion: "V2_0", LambdaArn: env.lambdas.arn("b") } } })),
      "InvalidParameterException");
    const { userPoolId } = await poolWith(["PreSignUp", "PreTokenGeneration"]);
    const described = (await env.idp.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId }))).UserPool!;
    assert.equal(described.LambdaConfig?.PreSignUp, env.lambdas.arn("PreSignUp"));
    assert.deepEqual(described.LambdaConfig?.PreTokenGenerationConfig, { LambdaArn: env.lambdas.arn("PreTokenGeneration"), LambdaVersion: "V1_0" });
    await env.idp.send(new UpdateUserPoolCommand({ UserPoolId: userPoolId, AutoVerifiedAttributes: ["email"], LambdaConfig: { PreTokenGenerationConfig: { LambdaVersion: "V2_0", LambdaArn: env.lambdas.arn("PreTokenGeneration") } } }));
    const updated = (await env.idp.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId }))).UserPool!;
    assert.equal(updated.LambdaConfig?.PreTokenGeneration, env.lambdas.arn("PreTokenGeneration"));
    assert.equal(updated.LambdaConfig?.PreTokenGenerationConfig?.LambdaVersion, "V2_0");
    assert.equal(updated.LambdaConfig?.PreSignUp, undefined);
  });
});

describe("PreSignUp", () => {
  test("gets AWS's event and can auto-confirm and auto-verify; the user signs in at once", async () => {
    const { userPoolId, clientId } = await poolWith(["PreSignUp"]);
    env.lambdas.functions.set("PreSignUp", (event) => ({ ...event, response: { autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: false } }));
    const out = await signUp(clientId, "auto@example.com", { ValidationData: [{ Name: "invite", Value: "yes" }], ClientMetadata: { source: "test" } });
    assert.equal(out.UserConfirmed, true);
    assert.equal(out.CodeDeliveryDetails, undefined);
    const [call] = env.lambdas.calls;
    assert.match(call.authorization ?? "", /^AWS4-HMAC-SHA256 Credential=\S+\/us-east-1\/lambda\/aws4_request/);
    const e = call.event;
    assert.equal(e.version, "1");
    assert.equal(e.triggerSource, "PreSignUp_SignUp");
    assert.equal(e.region, "us-east-1");
    assert.equal(e.userPoolId, userPoolId);
    assert.equal(e.callerContext.clientId, clientId);
    assert.equal(typeof e.callerContext.awsSdkVersion, "string");
    assert.equal(e.request.userAttributes.email, "auto@example.com");
    assert.deepEqual(e.request.validationData, { invite: "yes" });
    assert.deepEqual(e.request.clientMetadata, { source: "test" });
    assert.deepEqual(e.response, { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false });
    const user = await env.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: "auto@example.com" }));
    assert.equal(user.UserStatus, "CONFIRMED");
    assert.equal(user.UserAttributes?.find((a) => a.Name === "email_verified")?.Value, "true");
    assert.ok((await signIn(clientId, "auto@example.com")).AuthenticationResult?.IdToken);
  });

  test("a throwing trigger refuses the sign-up with AWS's message and stores nothing", async () => {
    const { userPoolId, clientId } = await poolWith(["PreSignUp"]);
    env.lambdas.functions.set("PreSignUp", (event) => {
      if (String(event.request.userAttributes.email).endsWith("@blocked.test")) throw new Error("blocked domain");
      return event;
    });
    await rejects(signUp(clientId, "eve@blocked.test"), "UserLambdaValidationException", "PreSignUp failed with error blocked domain.");
    await rejects(env.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: "eve@blocked.test" })), "UserNotFoundException");
    const codes = (await (await fetch(`${env.service.url}/_local/codes?userPoolId=${userPoolId}`)).json()) as { codes: unknown[] };
    assert.equal(codes.codes.length, 0);
    const ok = await signUp(clientId, "bob@fine.test");
    assert.equal(ok.UserConfirmed, false);
  });

  test("an unusable answer, a timeout and an unknown function fail the sign-up and store nothing", async () => {
    const { userPoolId, clientId } = await poolWith(["PreSignUp"]);
    env.lambdas.functions.set("PreSignUp", (event) => ({ ...event, response: { autoConfirmUser: "yes" } }));
    await rejects(signUp(clientId, "bad-answer@x.test"), "InvalidLambdaResponseException", "Unrecognizable lambda output");
    env.lambdas.functions.set("PreSignUp", () => "not an event");
    await rejects(signUp(clientId, "bad-answer@x.test"), "InvalidLambdaResponseException");
    env.lambdas.functions.set("PreSignUp", (event) => new Promise((resolve) => setTimeout(() => resolve(event), 3000)));
    await rejects(signUp(clientId, "slow@x.test"), "UnexpectedLambdaException", "PreSignUp invocation failed due to error Socket timeout while invoking Lambda function.");
    env.lambdas.functions.delete("PreSignUp");
    await rejects(signUp(clientId, "gone@x.test"), "UnexpectedLambdaException", /^PreSignUp invocation failed due to error Lambda Invoke answered 404/);
    for (const email of ["bad-answer@x.test", "slow@x.test", "gone@x.test"]) {
      await rejects(env.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: email })), "UserNotFoundException");
    }
  });

  test("without a Lambda endpoint, a pool with triggers fails clearly", async () => {
    const bare = await startTestService();
    try {
      const { clientId } = await createPoolAndClient(bare.idp, { UsernameAttributes: ["email"], LambdaConfig: { PreSignUp: env.lambdas.arn("PreSignUp") } });
      await rejects(bare.idp.send(new SignUpCommand({ ClientId: clientId, Username: "x@y.test", Password: PASSWORD })),
        "UnexpectedLambdaException", /No Lambda endpoint is configured for this local service \(start it with --lambda-endpoint URL\)/);
    } finally {
      await bare.stop();
    }
  });
});

describe("PostConfirmation and CustomMessage", () => {
  test("CustomMessage writes the delivered text; PostConfirmation runs on ConfirmSignUp and can add the user to a group", async () => {
    const { userPoolId, clientId } = await poolWith(["CustomMessage", "PostConfirmation"]);
    await env.idp.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: "members" }));
    env.lambdas.functions.set("CustomMessage", (event) => ({
      ...event,
      response: { emailSubject: `Welcome ${event.request.userAttributes.email}`, emailMessage: `Your code is ${event.request.codeParameter}.`, smsMessage: null },
    }));
    env.lambdas.functions.set("PostConfirmation", async (event) => {
      await env.idp.send(new AdminAddUserToGroupCommand({ UserPoolId: event.userPoolId, Username: event.userName, GroupName: "members" }));
      return event;
    });
    await signUp(clientId, "carol@example.com");
    const custom = env.lambdas.calls.find((c) => c.name === "CustomMessage")!.event;
    assert.equal(custom.triggerSource, "CustomMessage_SignUp");
    assert.equal(custom.request.codeParameter, "{####}");
    const listed = (await (await fetch(`${env.service.url}/_local/codes?userPoolId=${userPoolId}&username=carol@example.com`)).json()) as { codes: Array<{ code: string; message: string; subject: string }> };
    const { code, message, subject } = listed.codes[0];
    assert.equal(message, `Your code is ${code}.`);
    assert.equal(subject, "Welcome carol@example.com");
    assert.ok(env.service.logs.some((l) => l.startsWith("[message]") && l.includes(`Your code is ${code}.`)));

    await env.idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: "carol@example.com", ConfirmationCode: code }));
    const post = env.lambdas.calls.find((c) => c.name === "PostConfirmation")!.event;
    assert.equal(post.triggerSource, "PostConfirmation_ConfirmSignUp");
    assert.equal(post.request.userAttributes["cognito:user_status"], "CONFIRMED");
    const token = (await signIn(clientId, "carol@example.com")).AuthenticationResult!.IdToken!;
    assert.deepEqual(claimsOf(token)["cognito:groups"], ["members"]);
  });

  test("a failing PostConfirmation leaves the user unconfirmed and the code usable", async () => {
    const { userPoolId, clientId } = await poolWith(["PostConfirmation"]);
    env.lambdas.functions.set("PostConfirmation", () => {
      throw new Error("profile store down");
    });
    await signUp(clientId, "dave@example.com");
    const code = await env.service.latestCode(userPoolId, "dave@example.com");
    await rejects(env.idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: "dave@example.com", ConfirmationCode: code })),
      "UserLambdaValidationException", "PostConfirmation failed with error profile store down.");
    assert.equal((await env.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: "dave@example.com" }))).UserStatus, "UNCONFIRMED");
    env.lambdas.functions.set("PostConfirmation", (event) => event);
    await env.idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: "dave@example.com", ConfirmationCode: code }));
    assert.equal((await env.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: "dave@example.com" }))).UserStatus, "CONFIRMED");
    // AdminConfirmSignUp runs it too.
    await signUp(clientId, "erin@example.com");
    await env.idp.send(new AdminConfirmSignUpCommand({ UserPoolId: userPoolId, Username: "erin@example.com" }));
    assert.equal(env.lambdas.calls.filter((c) => c.name === "PostConfirmation").length, 3);
  });
});

describe("Pre and PostAuthentication", () => {
  test("PreAuthentication can refuse a sign-in; PostAuthentication failing gives no tokens", async () => {
    const { userPoolId, clientId } = await poolWith(["PreSignUp", "PreAuthentication", "PostAuthentication"]);
    env.lambdas.functions.set("PreSignUp", (event) => ({ ...event, response: { autoConfirmUser: true } }));
    env.lambdas.functions.set("PreAuthentication", (event) => {
      if (event.request.userAttributes.email === "frozen@example.com") throw new Error("account frozen");
      return event;
    });
    let postFails = true;
    env.lambdas.functions.set("PostAuthentication", (event) => {
      if (postFails) throw new Error("audit log down");
      return event;
    });
    await signUp(clientId, "frozen@example.com");
    await signUp(clientId, "grace@example.com");
    await rejects(signIn(clientId, "frozen@example.com"), "UserLambdaValidationException", "PreAuthentication failed with error account frozen.");
    await rejects(signIn(clientId, "grace@example.com"), "UserLambdaValidationException", "PostAuthentication failed with error audit log down.");
    postFails = false;
    assert.ok((await signIn(clientId, "grace@example.com")).AuthenticationResult?.AccessToken);
    const pre = env.lambdas.calls.filter((c) => c.name === "PreAuthentication").at(-1)!.event;
    assert.equal(pre.triggerSource, "PreAuthentication_Authentication");
    assert.equal(pre.request.userNotFound, false);
    const post = env.lambdas.calls.filter((c) => c.name === "PostAuthentication").at(-1)!.event;
    assert.equal(post.triggerSource, "PostAuthentication_Authentication");
    assert.equal(post.request.newDeviceUsed, false);
    assert.equal(userPoolId.startsWith("us-east-1_"), true);
  });
});

describe("PreTokenGeneration", () => {
  test("V1 adds, overrides and suppresses ID-token claims and overrides groups; aws-jwt-verify accepts the tokens", async () => {
    const { userPoolId, clientId } = await poolWith(["PreSignUp", "PreTokenGeneration"]);
    env.lambdas.functions.set("PreSignUp", (event) => ({ ...event, response: { autoConfirmUser: true, autoVerifyEmail: true } }));
    env.lambdas.functions.set("PreTokenGeneration", (event) => ({
      ...event,
      response: { claimsOverrideDetails: { claimsToAddOrOverride: { tenant: "acme", email: "hidden@example.com" }, claimsToSuppress: ["email_verified"], groupOverrideDetails: { groupsToOverride: ["admins"] } } },
    }));
    await signUp(clientId, "heidi@example.com");
    const result = (await signIn(clientId, "heidi@example.com")).AuthenticationResult!;
    const e = env.lambdas.calls.find((c) => c.name === "PreTokenGeneration")!.event;
    assert.equal(e.version, "1");
    assert.equal(e.triggerSource, "TokenGeneration_Authentication");
    assert.deepEqual(e.request.groupConfiguration, { groupsToOverride: [], iamRolesToOverride: [], preferredRole: null });
    assert.equal(e.request.scopes, undefined);
    const verifier = CognitoJwtVerifier.create({ userPoolId, clientId, tokenUse: "id" });
    verifier.cacheJwks(await (await fetch(`${env.service.url}/${userPoolId}/.well-known/jwks.json`)).json() as never);
    const id = await verifier.verify(result.IdToken!);
    assert.equal(id.tenant, "acme");
    assert.equal(id.email, "hidden@example.com");
    assert.equal(id.email_verified, undefined);
    assert.deepEqual(id["cognito:groups"], ["admins"]);
    assert.deepEqual(claimsOf(result.AccessToken!)["cognito:groups"], ["admins"]);
    assert.equal(claimsOf(result.AccessToken!).tenant, undefined);
    // Refresh runs it again, with its own source.
    await env.idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: result.RefreshToken! } }));
    assert.equal(env.lambdas.calls.filter((c) => c.name === "PreTokenGeneration").at(-1)!.event.triggerSource, "TokenGeneration_RefreshTokens");
  });

  test("V2 changes ID and access token claims and access token scopes; a failing trigger gives no tokens", async () => {
    const { userPoolId, clientId } = await poolWith(["PreSignUp"], { PreTokenGenerationConfig: { LambdaVersion: "V2_0", LambdaArn: env.lambdas.arn("PreTokenGeneration") } });
    await env.idp.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: "staff" }));
    env.lambdas.functions.set("PreSignUp", (event) => ({ ...event, response: { autoConfirmUser: true } }));
    env.lambdas.functions.set("PreTokenGeneration", (event) => ({
      ...event,
      response: {
        claimsAndScopeOverrideDetails: {
          idTokenGeneration: { claimsToAddOrOverride: { plan: "pro", features: ["a", "b"] } },
          accessTokenGeneration: { claimsToAddOrOverride: { tier: 3 }, scopesToAdd: ["orders/read"], scopesToSuppress: [] },
        },
      },
    }));
    await signUp(clientId, "ivan@example.com");
    await env.idp.send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: "ivan@example.com", GroupName: "staff" }));
    const result = (await signIn(clientId, "ivan@example.com")).AuthenticationResult!;
    const e = env.lambdas.calls.find((c) => c.name === "PreTokenGeneration")!.event;
    assert.equal(e.version, "2");
    assert.deepEqual(e.request.scopes, ["aws.cognito.signin.user.admin"]);
    assert.deepEqual(e.request.groupConfiguration.groupsToOverride, ["staff"]);
    const id = claimsOf(result.IdToken!);
    const access = claimsOf(result.AccessToken!);
    assert.equal(id.plan, "pro");
    assert.deepEqual(id.features, ["a", "b"]);
    assert.equal(access.tier, 3);
    assert.equal(access.scope, "aws.cognito.signin.user.admin orders/read");
    env.lambdas.functions.set("PreTokenGeneration", () => {
      throw new Error("claims service down");
    });
    await rejects(signIn(clientId, "ivan@example.com"), "UserLambdaValidationException", "PreTokenGeneration failed with error claims service down.");
  });
});

describe("UserMigration", () => {
  test("an unknown user signing in is migrated with its password; ForgotPassword migrates as RESET_REQUIRED", async () => {
    const { userPoolId, clientId } = await poolWith(["UserMigration"]);
    const legacy = new Map([["judy@legacy.test", "Old#Pass123"], ["ken@legacy.test", "Other#Pass1"]]);
    env.lambdas.functions.set("UserMigration", (event) => {
      const known = legacy.get(event.userName);
      if (!known) throw new Error("User does not exist");
      if (event.triggerSource === "UserMigration_Authentication" && event.request.password !== known) throw new Error("Bad password");
      return {
        ...event,
        response: { userAttributes: { email: event.userName, email_verified: "true", name: "Legacy" }, finalUserStatus: "CONFIRMED", messageAction: "SUPPRESS" },
      };
    });
    await rejects(signIn(clientId, "judy@legacy.test", "Wrong#Pass1"), "UserLambdaValidationException", "UserMigration failed with error Bad password.");
    await rejects(env.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: "judy@legacy.test" })), "UserNotFoundException");
    const first = await signIn(clientId, "judy@legacy.test", "Old#Pass123");
    assert.ok(first.AuthenticationResult?.IdToken);
    const event = env.lambdas.calls.find((c) => c.name === "UserMigration")!.event;
    assert.equal(event.triggerSource, "UserMigration_Authentication");
    const calls = env.lambdas.calls.length;
    const again = await signIn(clientId, "judy@legacy.test", "Old#Pass123");
    assert.ok(again.AuthenticationResult?.IdToken);
    assert.equal(env.lambdas.calls.length, calls, "a migrated user signs in without the trigger");
    assert.equal(claimsOf(again.AuthenticationResult!.IdToken!).name, "Legacy");

    await env.idp.send(new ForgotPasswordCommand({ ClientId: clientId, Username: "ken@legacy.test" }));
    const forgot = env.lambdas.calls.at(-1)!.event;
    assert.equal(forgot.triggerSource, "UserMigration_ForgotPassword");
    assert.equal(forgot.request.password, undefined);
    const ken = await env.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: "ken@legacy.test" }));
    assert.equal(ken.UserStatus, "RESET_REQUIRED");
    const code = await env.service.latestCode(userPoolId, "ken@legacy.test", "FORGOT_PASSWORD");
    await env.idp.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: "ken@legacy.test", ConfirmationCode: code, Password: "New#Pass1234" }));
    assert.ok((await signIn(clientId, "ken@legacy.test", "New#Pass1234")).AuthenticationResult?.IdToken);
  });
});
