// Integration tests of custom authentication (CUSTOM_AUTH) on the standalone service: a passwordless one-time-code
// sign-in through the DefineAuthChallenge / CreateAuthChallenge / VerifyAuthChallengeResponse trio behind a Lambda
// Invoke stand-in, driven by the AWS SDK v3 and by an unmodified amazon-cognito-identity-js (`sendCustomChallengeAnswer`,
// and `authenticateUser` with an SRP first step handed over to PASSWORD_VERIFIER); an unknown name's SRP first step
// (PreventUserExistenceErrors) answers exactly as USER_SRP_AUTH does for it.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomInt } from "node:crypto";
import {
  AdminCreateUserCommand, AdminInitiateAuthCommand, AdminSetUserPasswordCommand, InitiateAuthCommand, RespondToAuthChallengeCommand,
  type CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import { AuthenticationDetails, type CognitoUser, type CognitoUserSession } from "amazon-cognito-identity-js";
import { CognitoJwtVerifier } from "aws-jwt-verify";
import { httpLambdaInvoker } from "../../lib/service/lambda-invoke";
import { FastSrpClient } from "../bench/srp-client";
import { rejectsWithAwsError as rejects } from "../support/aws-errors";
import { cognitoUser, userPool } from "../support/identity-js";
import { startLambdaStandIn, type LambdaStandIn } from "../support/lambda-stand-in";
import { createPoolAndClient, startTestService, type TestService } from "../support/local-service";

const PASSWORD = "Cust#Pass123";

let lambdas: LambdaStandIn;
let t: TestService;
let idp: CognitoIdentityProviderClient;
let userPoolId: string;
let clientId: string;
/** One-time codes the CreateAuthChallenge function "sent", by username. */
const outbox = new Map<string, string>();

before(async () => {
  lambdas = await startLambdaStandIn();
  t = await startTestService({ lambdaInvoker: httpLambdaInvoker(lambdas.url) });
  idp = t.idp;
  // Passwordless: a code by email, three tries; a sign-in that starts with SRP first proves the password.
  lambdas.functions.set("DefineAuthChallenge", (event) => {
    const session = event.request.session as Array<{ challengeName: string; challengeResult: boolean }>;
    const last = session.at(-1);
    const wrong = session.filter((s) => s.challengeName === "CUSTOM_CHALLENGE" && !s.challengeResult).length;
    let response;
    if (event.request.userNotFound || wrong >= 3) response = { issueTokens: false, failAuthentication: true };
    else if (last?.challengeName === "SRP_A") response = { challengeName: "PASSWORD_VERIFIER", issueTokens: false, failAuthentication: false };
    else if (last?.challengeName === "PASSWORD_VERIFIER" && !last.challengeResult) response = { issueTokens: false, failAuthentication: true };
    else if (last?.challengeName === "CUSTOM_CHALLENGE" && last.challengeResult) response = { issueTokens: true, failAuthentication: false };
    else response = { challengeName: "CUSTOM_CHALLENGE", issueTokens: false, failAuthentication: false };
    return { ...event, response };
  });
  lambdas.functions.set("CreateAuthChallenge", (event) => {
    const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
    outbox.set(event.userName, code);
    return {
      ...event,
      response: {
        publicChallengeParameters: { delivery: "EMAIL", destination: event.request.userAttributes.email },
        privateChallengeParameters: { code },
        challengeMetadata: `CODE-${event.request.session.length}`,
      },
    };
  });
  lambdas.functions.set("VerifyAuthChallengeResponse", (event) => ({
    ...event,
    response: { answerCorrect: event.request.challengeAnswer === event.request.privateChallengeParameters.code },
  }));
  const triggers = ["DefineAuthChallenge", "CreateAuthChallenge", "VerifyAuthChallengeResponse"];
  ({ userPoolId, clientId } = await createPoolAndClient(
    idp,
    { UsernameAttributes: ["email"], LambdaConfig: Object.fromEntries(triggers.map((n) => [n, lambdas.arn(n)])) },
    { ExplicitAuthFlows: ["ALLOW_CUSTOM_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"], PreventUserExistenceErrors: "ENABLED" },
  ));
  for (const email of ["sdk@example.com", "js@example.com", "srp@example.com"]) {
    await idp.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: email, MessageAction: "SUPPRESS", UserAttributes: [{ Name: "email", Value: email }, { Name: "email_verified", Value: "true" }] }));
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: email, Password: PASSWORD, Permanent: true }));
  }
});
after(async () => {
  await t.stop();
  await lambdas.close();
});

const usernameOf = (challengeParameters: Record<string, string> | undefined) => challengeParameters!.USERNAME;

describe("CUSTOM_AUTH with the AWS SDK", () => {
  test("a one-time code signs in: a wrong code gets another challenge, the right one tokens", async () => {
    const started = await idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "CUSTOM_AUTH", AuthParameters: { USERNAME: "sdk@example.com" } }));
    assert.equal(started.ChallengeName, "CUSTOM_CHALLENGE");
    assert.equal(started.ChallengeParameters?.destination, "sdk@example.com");
    assert.equal(started.ChallengeParameters?.delivery, "EMAIL");
    const username = usernameOf(started.ChallengeParameters);
    const wrong = await idp.send(new RespondToAuthChallengeCommand({
      ClientId: clientId, ChallengeName: "CUSTOM_CHALLENGE", Session: started.Session, ChallengeResponses: { USERNAME: username, ANSWER: "000000x" },
    }));
    assert.equal(wrong.ChallengeName, "CUSTOM_CHALLENGE");
    assert.notEqual(wrong.Session, started.Session);
    // The spent Session answers no more.
    await rejects(idp.send(new RespondToAuthChallengeCommand({
      ClientId: clientId, ChallengeName: "CUSTOM_CHALLENGE", Session: started.Session, ChallengeResponses: { USERNAME: username, ANSWER: outbox.get(username)! },
    })), "NotAuthorizedException");
    const done = await idp.send(new RespondToAuthChallengeCommand({
      ClientId: clientId, ChallengeName: "CUSTOM_CHALLENGE", Session: wrong.Session, ChallengeResponses: { USERNAME: username, ANSWER: outbox.get(username)! },
    }));
    const result = done.AuthenticationResult!;
    const verifier = CognitoJwtVerifier.create({ userPoolId, clientId, tokenUse: "id" });
    verifier.cacheJwks(await (await fetch(`${t.url}/${userPoolId}/.well-known/jwks.json`)).json() as never);
    assert.equal((await verifier.verify(result.IdToken!)).email, "sdk@example.com");

    // The history DefineAuthChallenge saw, with each challenge's metadata.
    const defines = lambdas.calls.filter((c) => c.name === "DefineAuthChallenge").slice(-3).map((c) => c.event);
    assert.deepEqual(defines[0].request.session, []);
    assert.equal(defines[0].triggerSource, "DefineAuthChallenge_Authentication");
    assert.deepEqual(defines[2].request.session, [
      { challengeName: "CUSTOM_CHALLENGE", challengeResult: false, challengeMetadata: "CODE-0" },
      { challengeName: "CUSTOM_CHALLENGE", challengeResult: true, challengeMetadata: "CODE-1" },
    ]);
    const verify = lambdas.calls.filter((c) => c.name === "VerifyAuthChallengeResponse").at(-1)!.event;
    assert.equal(verify.triggerSource, "VerifyAuthChallengeResponse_Authentication");
    assert.equal(verify.request.challengeAnswer, outbox.get(username));
    assert.equal(verify.request.privateChallengeParameters.code, outbox.get(username));
  });

  test("three wrong codes fail the sign-in; an unknown user is refused the same way; the client must allow CUSTOM_AUTH", async () => {
    let step = await idp.send(new AdminInitiateAuthCommand({ UserPoolId: userPoolId, ClientId: clientId, AuthFlow: "CUSTOM_AUTH", AuthParameters: { USERNAME: "sdk@example.com" } }));
    for (let i = 0; i < 2; i++) {
      step = await idp.send(new RespondToAuthChallengeCommand({
        ClientId: clientId, ChallengeName: "CUSTOM_CHALLENGE", Session: step.Session, ChallengeResponses: { USERNAME: usernameOf(step.ChallengeParameters), ANSWER: "nope" },
      }));
      assert.equal(step.ChallengeName, "CUSTOM_CHALLENGE");
    }
    await rejects(idp.send(new RespondToAuthChallengeCommand({
      ClientId: clientId, ChallengeName: "CUSTOM_CHALLENGE", Session: step.Session, ChallengeResponses: { USERNAME: usernameOf(step.ChallengeParameters), ANSWER: "nope" },
    })), "NotAuthorizedException", "Incorrect username or password.");
    await rejects(idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "CUSTOM_AUTH", AuthParameters: { USERNAME: "nobody@example.com" } })),
      "NotAuthorizedException", "Incorrect username or password.");
    const { clientId: plain } = await createPoolAndClient(idp, {}, {});
    await rejects(idp.send(new InitiateAuthCommand({ ClientId: plain, AuthFlow: "CUSTOM_AUTH", AuthParameters: { USERNAME: "x" } })),
      "InvalidParameterException", "CUSTOM_AUTH flow not enabled for this client");
  });
});

/** Runs a custom-auth sign-in with amazon-cognito-identity-js, answering each challenge from the outbox. */
function signInWithLibrary(user: CognitoUser, start: (callbacks: Parameters<CognitoUser["initiateAuth"]>[1]) => void, answers: string[] = []) {
  return new Promise<CognitoUserSession>((resolve, reject) => {
    const callbacks = {
      onSuccess: (session: CognitoUserSession) => resolve(session),
      onFailure: (err: Error) => reject(err),
      customChallenge: (parameters: Record<string, string>) => {
        const answer = answers.shift() ?? outbox.get(parameters.USERNAME)!;
        user.sendCustomChallengeAnswer(answer, callbacks);
      },
    };
    start(callbacks);
  });
}

describe("CUSTOM_AUTH with amazon-cognito-identity-js", () => {
  test("initiateAuth and sendCustomChallengeAnswer sign in passwordless; a wrong answer is retried", async () => {
    const pool = userPool(t.url, userPoolId, clientId);
    const user = cognitoUser(pool, "js@example.com");
    user.setAuthenticationFlowType("CUSTOM_AUTH");
    const session = await signInWithLibrary(user, (cb) => user.initiateAuth(new AuthenticationDetails({ Username: "js@example.com" }), cb), ["111111x"]);
    assert.equal(session.isValid(), true);
    assert.equal(session.getIdToken().decodePayload().email, "js@example.com");
  });

  test("authenticateUser with CUSTOM_AUTH starts with SRP: the password first, then the code", async () => {
    const pool = userPool(t.url, userPoolId, clientId);
    const user = cognitoUser(pool, "srp@example.com");
    user.setAuthenticationFlowType("CUSTOM_AUTH");
    const session = await signInWithLibrary(user, (cb) => user.authenticateUser(new AuthenticationDetails({ Username: "srp@example.com", Password: PASSWORD }), cb));
    assert.equal(session.getIdToken().decodePayload().email, "srp@example.com");
    const define = lambdas.calls.filter((c) => c.name === "DefineAuthChallenge").at(-1)!.event;
    assert.deepEqual(define.request.session.map((s: { challengeName: string; challengeResult: boolean }) => [s.challengeName, s.challengeResult]),
      [["SRP_A", true], ["PASSWORD_VERIFIER", true], ["CUSTOM_CHALLENGE", true]]);

    const other = cognitoUser(pool, "srp@example.com");
    other.setAuthenticationFlowType("CUSTOM_AUTH");
    await assert.rejects(
      signInWithLibrary(other, (cb) => other.authenticateUser(new AuthenticationDetails({ Username: "srp@example.com", Password: "Wrong#Pass1" }), cb)),
      (e: Error & { code?: string }) => e.code === "NotAuthorizedException" || e.name === "NotAuthorizedException",
    );
  });
});

describe("CUSTOM_AUTH with an SRP first step for an unknown name (PreventUserExistenceErrors)", () => {
  test("the same stable SALT and USER_ID_FOR_SRP as USER_SRP_AUTH; DefineAuthChallenge sees the failed password", async () => {
    // A DefineAuthChallenge that hands every SRP_A over to PASSWORD_VERIFIER, known user or not.
    lambdas.functions.set("DefineSrpFirst", (event) => {
      const last = (event.request.session as Array<{ challengeName: string; challengeResult: boolean }>).at(-1);
      const response = last?.challengeName === "SRP_A"
        ? { challengeName: "PASSWORD_VERIFIER", issueTokens: false, failAuthentication: false }
        : { issueTokens: last?.challengeResult === true, failAuthentication: last?.challengeResult !== true };
      return { ...event, response };
    });
    const { userPoolId: poolId, clientId: appClient } = await createPoolAndClient(
      idp,
      { UsernameAttributes: ["email"], LambdaConfig: { DefineAuthChallenge: lambdas.arn("DefineSrpFirst"), CreateAuthChallenge: lambdas.arn("CreateAuthChallenge"), VerifyAuthChallengeResponse: lambdas.arn("VerifyAuthChallengeResponse") } },
      { ExplicitAuthFlows: ["ALLOW_CUSTOM_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"], PreventUserExistenceErrors: "ENABLED" },
    );
    const start = async (flow: "CUSTOM_AUTH" | "USER_SRP_AUTH", name: string) => {
      const srp = new FastSrpClient(poolId);
      const AuthParameters: Record<string, string> = { USERNAME: name, SRP_A: srp.srpA, ...(flow === "CUSTOM_AUTH" ? { CHALLENGE_NAME: "SRP_A" } : {}) };
      const res = await idp.send(new InitiateAuthCommand({ ClientId: appClient, AuthFlow: flow, AuthParameters }));
      assert.equal(res.ChallengeName, "PASSWORD_VERIFIER");
      return { srp, res, params: res.ChallengeParameters! };
    };
    const [first, second] = [(await start("CUSTOM_AUTH", "ghost@example.com")).params, (await start("CUSTOM_AUTH", "ghost@example.com")).params];
    const plain = (await start("USER_SRP_AUTH", "ghost@example.com")).params;
    assert.equal(first.SALT, second.SALT, "the salt is stable from call to call");
    assert.equal(first.USER_ID_FOR_SRP, second.USER_ID_FOR_SRP);
    assert.equal(first.SALT, plain.SALT, "the salt USER_SRP_AUTH gives the same name");
    assert.equal(first.USER_ID_FOR_SRP, plain.USER_ID_FOR_SRP, "the USER_ID_FOR_SRP USER_SRP_AUTH gives the same name");
    assert.equal(first.USERNAME, plain.USERNAME);
    assert.match(first.USER_ID_FOR_SRP, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.notEqual(first.SRP_B, second.SRP_B, "SRP_B is fresh each time");
    assert.deepEqual(Object.keys(first).sort(), Object.keys(plain).sort());

    // Answering it is a wrong password that DefineAuthChallenge decides on, as for a real user.
    const { srp, res, params } = await start("CUSTOM_AUTH", "ghost@example.com");
    await rejects(idp.send(new RespondToAuthChallengeCommand({
      ClientId: appClient, ChallengeName: "PASSWORD_VERIFIER", Session: res.Session, ChallengeResponses: srp.answer(params, PASSWORD),
    })), "NotAuthorizedException", "Incorrect username or password.");
    const define = lambdas.calls.filter((c) => c.name === "DefineSrpFirst").at(-1)!.event;
    assert.equal(define.request.userNotFound, true);
    assert.deepEqual(define.request.session.map((s: { challengeName: string; challengeResult: boolean }) => [s.challengeName, s.challengeResult]),
      [["SRP_A", true], ["PASSWORD_VERIFIER", false]]);
  });
});
