// Cognito triggers as a user writes them: a PreSignUp that auto-confirms one domain and refuses another, a
// PostConfirmation that puts the user in a group (seen in `auth.caller(req).groups`), a PreTokenGeneration claim (seen
// in `auth.caller(req).claims`), and a passwordless sign-in whose one-time code (sent by CreateAuthChallenge, checked
// by VerifyAuthChallengeResponse) gives an ID token that opens a protected route, while a wrong code does not.
bring cloud;
bring expect;
bring http;
bring math;
bring util;
bring "../cognito.w" as cognito;
bring "./tools.w" as tools;

let api = new cloud.Api();
let auth = new cognito.Cognito(api, groups: ["members"]);
/// One-time codes "sent" by email, by username (a real app would send them with SES).
let outbox = new cloud.Bucket();
let signUps = new cloud.Counter();

api.get("/me", inflight (req) => {
  if let caller = auth.caller(req) {
    return {
      status: 200,
      body: Json.stringify({ email: caller.email ?? "", groups: caller.groups, plan: caller.claims.tryGet("plan") }),
    };
  }
  return { status: 500, body: "a protected route without a caller" };
});
auth.get("/me");

auth.onPreSignUp(inflight (event) => {
  signUps.inc();
  let email = event.get("request").get("userAttributes").get("email").asStr();
  if email.endsWith("@blocked.test") {
    throw "blocked domain";
  }
  if email.endsWith("@auto.test") {
    return { autoConfirmUser: true, autoVerifyEmail: true };
  }
  return nil;
});

auth.onPostConfirmation(inflight (event) => {
  auth.adminAddUserToGroup(event.get("userName").asStr(), "members");
  return nil;
});

auth.onPreTokenGeneration(inflight (event) => {
  return { claimsOverrideDetails: { claimsToAddOrOverride: { plan: "pro" } } };
});

// Passwordless sign-in: one code by email, three tries.
auth.onDefineAuthChallenge(inflight (event) => {
  let session = event.get("request").get("session");
  let var wrong = 0;
  let var lastCorrect = false;
  for step in Json.values(session) {
    lastCorrect = step.get("challengeResult").asBool();
    if !lastCorrect {
      wrong += 1;
    }
  }
  if Json.values(session).length > 0 && lastCorrect {
    return { issueTokens: true, failAuthentication: false };
  }
  if wrong >= 3 {
    return { issueTokens: false, failAuthentication: true };
  }
  return { challengeName: "CUSTOM_CHALLENGE", issueTokens: false, failAuthentication: false };
});
auth.onCreateAuthChallenge(inflight (event) => {
  let code = "{math.floor(math.random() * 900000) + 100000}";
  outbox.put(event.get("userName").asStr(), code);
  return { publicChallengeParameters: { delivery: "EMAIL" }, privateChallengeParameters: { code: code } };
});
auth.onVerifyAuthChallengeResponse(inflight (event) => {
  let request = event.get("request");
  return { answerCorrect: request.get("challengeAnswer").asStr() == request.get("privateChallengeParameters").get("code").asStr() };
});

let me = inflight (token: str): http.Response => {
  return http.get("{api.url}/me", headers: { "Authorization": "Bearer {token}" });
};

// One test: each test starts its own simulator, and every trigger is a service of its own.
test "PreSignUp, PostConfirmation, PreTokenGeneration and a passwordless sign-in, as a user writes them" {
  // PreSignUp auto-confirms one domain and refuses another; PreTokenGeneration adds a claim.
  auth.signUp("ann@auto.test", "Wing#Pass123");
  let token = auth.initiateAuth("ann@auto.test", "Wing#Pass123");
  let res = me(token);
  expect.equal(res.status, 200);
  expect.equal(Json.parse(res.body).get("plan").asStr(), "pro");
  expect.equal(Json.parse(res.body).get("groups"), Json []);

  let refused = tools.Tools.errorOf(inflight () => { auth.signUp("eve@blocked.test", "Wing#Pass123"); });
  expect.equal(refused, "UserLambdaValidationException: PreSignUp failed with error blocked domain.");
  // Nothing was stored: the address can sign up once the rule allows it (here it still does not).
  let again = tools.Tools.errorOf(inflight () => { auth.signIn("eve@blocked.test", "Wing#Pass123"); });
  expect.equal(again, "NotAuthorizedException: Incorrect username or password.");
  expect.equal(signUps.peek(), 2);

  // PostConfirmation adds the confirmed user to a group, seen in caller(req).groups.
  auth.signUp("bob@example.com", "Wing#Pass123");
  let unconfirmed = tools.Tools.errorOf(inflight () => { auth.signIn("bob@example.com", "Wing#Pass123"); });
  expect.equal(unconfirmed, "UserNotConfirmedException: User is not confirmed.");
  auth.adminConfirmUser("bob@example.com");
  let res2 = me(auth.initiateAuth("bob@example.com", "Wing#Pass123"));
  expect.equal(res2.status, 200);
  expect.equal(Json.parse(res2.body).get("groups"), Json ["members"]);

  // Passwordless sign-in: the emailed code opens the protected route, a wrong code does not.
  auth.signUp("cat@auto.test", "Wing#Pass123");
  let first = auth.initiateCustomAuth("cat@auto.test");
  expect.equal(first.challengeParameters?.get("delivery")?.asStr(), "EMAIL");
  let username = first.challengeParameters?.get("USERNAME")?.asStr() ?? "";
  let wrong = auth.respondToCustomChallenge(username, first.session!, "000000");
  expect.equal(wrong.tokens, nil);
  expect.equal(me("not-a-token").status, 401);
  let code = outbox.get(username);
  let done = auth.respondToCustomChallenge(username, wrong.session!, code);
  let res3 = me(done.tokens!.idToken);
  expect.equal(res3.status, 200);
  expect.equal(Json.parse(res3.body).get("email").asStr(), "cat@auto.test");
}
