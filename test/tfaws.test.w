// End-to-end tests of @winglibs/cognito that run unchanged on every target: `wing test` (simulator,
// local Cognito) and `wing test -t tf-aws` (a real AWS account; needs credentials). Their tf-aws
// synthesis is snapshotted in tfaws.test.w.tf-aws.snap.md and checked offline with
// `wing test -t tf-aws -s assert test/tfaws.test.w`.
bring cloud;
bring expect;
bring http;
bring util;
bring "../cognito.w" as cognito;
bring "./tools.w" as tools;

// No auto-verified attributes: a test run against a real account then sends no e-mails.
let api = new cloud.Api() as "api";
let auth = new cognito.Cognito(api, autoVerifiedAttributes: []) as "auth";

api.get("/hello", inflight () => {
  return { status: 200, body: "hello" };
});
api.put("/hello", inflight () => {
  return { status: 200, body: "open" };
});
api.post("/echo", inflight (req) => {
  return { status: 201, headers: { "content-type": "application/json" }, body: req.body };
});
api.get("/me", inflight (req) => {
  if let caller = auth.caller(req) {
    return { status: 200, body: caller.email ?? caller.sub };
  }
  return { status: 500, body: "a protected route ran without a verified caller" };
});
// Not protected: caller() has to verify the token on its own here.
api.get("/whoami", inflight (req) => {
  if let caller = auth.caller(req) {
    return { status: 200, body: caller.email ?? caller.sub };
  }
  return { status: 200, body: "anonymous" };
});
auth.get("/hello");
auth.post("/echo");
auth.get("/me");

let iamApi = new cloud.Api() as "iam-api";
let iamAuth = new cognito.Cognito(iamApi, authenticationType: cognito.AuthenticationType.AWS_IAM, autoVerifiedAttributes: []) as "iam-auth";
iamApi.get("/hello", inflight () => {
  return { status: 200, body: "signed hello" };
});
iamApi.get("/open", inflight () => {
  return { status: 200, body: "open" };
});
iamAuth.get("/hello");

class Helpers {
  /// A new user's e-mail, unique per test and run.
  pub static inflight newEmail(): str {
    return "user-{util.uuidv4()}@example.com";
  }
  /// `token` with its signature rotated: same header and claims, invalid signature.
  pub static inflight tamper(token: str): str {
    let parts = token.split(".");
    let signature = parts.at(2);
    return "{parts.at(0)}.{parts.at(1)}.{signature.substring(10)}{signature.substring(0, 10)}";
  }
}

let password = "This-is-my-test-99!";

test "protected routes need a token, the other routes stay open" {
  expect.equal(http.get("{api.url}/hello").status, 401);
  expect.equal(http.post("{api.url}/echo", body: "\{}").status, 401);
  expect.equal(http.get("{api.url}/me").status, 401);
  let open = http.put("{api.url}/hello");
  expect.equal(open.status, 200);
  expect.equal(open.body, "open");
  expect.equal(http.get("{api.url}/whoami").body, "anonymous");
}

test "a signed-in user reaches protected routes, with bodies and status codes intact" {
  let email = Helpers.newEmail();
  auth.signUp(email, password);
  auth.adminConfirmUser(email);
  let token = auth.initiateAuth(email, password);

  let hello = http.get("{api.url}/hello", headers: { "Authorization": token });
  expect.equal(hello.status, 200);
  expect.equal(hello.body, "hello");

  let echo = http.post("{api.url}/echo", headers: { "Authorization": token, "content-type": "application/json" }, body: Json.stringify({ "n": 1, "s": "x" }));
  expect.equal(echo.status, 201);
  expect.equal(Json.parse(echo.body), { "n": 1, "s": "x" });

  let me = http.get("{api.url}/me", headers: { "Authorization": token });
  expect.equal(me.status, 200);
  expect.equal(me.body, email);
}

test "caller() verifies the token itself, so an open route cannot be fooled" {
  let email = Helpers.newEmail();
  auth.signUp(email, password);
  auth.adminConfirmUser(email);
  let tokens = auth.signIn(email, password);
  expect.equal(http.get("{api.url}/whoami", headers: { "Authorization": tokens.idToken }).body, email);
  let forged = Helpers.tamper(tokens.idToken);
  expect.equal(http.get("{api.url}/whoami", headers: { "Authorization": forged }).body, "anonymous");
  expect.equal(http.get("{api.url}/whoami", headers: { "Authorization": "not-a-jwt" }).body, "anonymous");
  expect.equal(http.get("{api.url}/hello", headers: { "Authorization": forged }).status, 401);
}

test "a wrong password is rejected" {
  let email = Helpers.newEmail();
  auth.signUp(email, password);
  auth.adminConfirmUser(email);
  let var error = "";
  try {
    auth.initiateAuth(email, "not-my-password-1A!");
  } catch e {
    error = e;
  }
  expect.ok(error.contains("NotAuthorizedException"), "got: {error}");
}

test "AWS_IAM: unsigned requests get 403, requests signed with identity pool credentials get through" {
  expect.equal(http.get("{iamApi.url}/hello").status, 403);
  expect.equal(http.get("{iamApi.url}/open").status, 200);

  let email = Helpers.newEmail();
  iamAuth.signUp(email, password);
  iamAuth.adminConfirmUser(email);
  let token = iamAuth.initiateAuth(email, password);
  let identityId = iamAuth.getId(iamAuth.userPoolId, iamAuth.identityPoolId, token);
  expect.ok(identityId.startsWith("{iamAuth.region}:"), "identity id {identityId}");
  let credentials = iamAuth.getCredentialsForIdentity(token, identityId);
  let res = tools.Tools.signedFetch("GET", "{iamApi.url}/hello", iamAuth.region, credentials, "", "");
  expect.equal(res.status, 200);
  expect.equal(res.body, "signed hello");
}
