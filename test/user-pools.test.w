// COGNITO_USER_POOLS protection, end to end: API Gateway's 401s for missing, malformed, forged, tampered,
// expired and non-ID tokens; open unprotected routes; requests and responses passing through intact; the
// handler reading its caller; and the errors sign-up and sign-in report.
bring cloud;
bring expect;
bring http;
bring util;
bring "../cognito.w" as cognito;
bring "./tools.w" as tools;
bring "../platform/sim.w" as simulator;

let api = new cloud.Api();
let auth = new cognito.Cognito(api);

api.get("/open", inflight (req) => {
  return { status: 200, body: "open to all" };
});
api.post("/items/:id", inflight (req) => {
  return {
    status: 201,
    headers: { "content-type": "application/json", "x-item": req.vars.get("id") },
    body: Json.stringify({
      method: "{req.method}",
      path: req.path,
      id: req.vars.get("id"),
      color: req.query.get("color"),
      custom: req.headers?.tryGet("x-custom") ?? "",
      received: Json.parse(req.body ?? "null"),
    }),
  };
});
api.get("/teapot", inflight (req) => {
  return { status: 418, headers: { "x-brew": "earl grey" }, body: "short and stout" };
});
api.get("/me", inflight (req) => {
  if let caller = auth.caller(req) {
    return {
      status: 200,
      body: Json.stringify({
        sub: caller.sub,
        username: caller.username,
        email: caller.email ?? "",
        groups: caller.groups,
        tokenUse: caller.claims.get("token_use").asStr(),
      }),
    };
  }
  return { status: 500, body: "a protected route without a caller" };
});
api.get("/whoami", inflight (req) => {
  if let caller = auth.caller(req) {
    return { status: 200, body: caller.email ?? caller.username };
  }
  return { status: 200, body: "anonymous" };
});

auth.post("/items/:id");
auth.get("/teapot");
auth.get("/me");

let password = "Str0ng-Passw0rd!";

/// A confirmed user with a fresh email, signed in: its ID token.
let newUser = inflight (): Map<str> => {
  let email = "user-{util.uuidv4()}@wing.cloud";
  auth.signUp(email, password);
  auth.adminConfirmUser(email);
  return { "email": email, "token": auth.initiateAuth(email, password) };
};

let expectUnauthorized = inflight (res: http.Response, message: str?) => {
  expect.equal(res.status, 401);
  expect.equal(Json.parse(res.body).get("message").asStr(), message ?? "Unauthorized");
};

test "API Gateway's 401s: no, malformed, forged, tampered and access tokens" {
  expectUnauthorized(http.get("{api.url}/me"));
  expectUnauthorized(http.post("{api.url}/items/1", body: "\{}"));
  expectUnauthorized(http.get("{api.url}/me", headers: { "Authorization": "Bearer " }));
  expectUnauthorized(http.get("{api.url}/me", headers: { "Authorization": "Bearer not.a.jwt" }));

  let user = newUser();
  let token = user.get("token");
  expect.equal(http.get("{api.url}/me", headers: { "Authorization": "Bearer {token}" }).status, 200);
  expect.equal(http.get("{api.url}/me", headers: { "Authorization": token }).status, 200);
  expectUnauthorized(http.get("{api.url}/me", headers: { "Authorization": "Bearer {tools.Tools.forge(token)}" }));
  expectUnauthorized(http.get("{api.url}/me", headers: { "Authorization": "Bearer {tools.Tools.tamper(token)}" }));
  let tokens = auth.signIn(user.get("email"), password);
  expectUnauthorized(http.get("{api.url}/me", headers: { "Authorization": "Bearer {tokens.accessToken}" }));
}

// Only the simulator can sign a token in the past: its backend can move the local service's clock.
if util.env("WING_TARGET") == "sim" {
  let backend: simulator.Cognito_sim = unsafeCast(nodeof(auth).findChild("sim"));
  test "an expired token gets 401 The incoming token has expired" {
    lift { backend: [setClockOffset] } {
      let email = "user-{util.uuidv4()}@wing.cloud";
      auth.signUp(email, password);
      auth.adminConfirmUser(email);
      backend.setClockOffset(-7200);
      let expired = auth.initiateAuth(email, password);
      backend.setClockOffset(0);
      expectUnauthorized(http.get("{api.url}/me", headers: { "Authorization": "Bearer {expired}" }), "The incoming token has expired");
      expect.equal(http.get("{api.url}/me", headers: { "Authorization": "Bearer {auth.initiateAuth(email, password)}" }).status, 200);
    }
  }
}

test "unprotected routes stay open; requests, responses and the caller pass through protected ones" {
  let open = http.get("{api.url}/open");
  expect.equal(open.status, 200);
  expect.equal(open.body, "open to all");
  expect.equal(http.get("{api.url}/whoami").body, "anonymous");

  let user = newUser();
  let token = user.get("token");
  let res = http.post("{api.url}/items/42?color=red", headers: {
    "Authorization": "Bearer {token}",
    "content-type": "application/json",
    "x-custom": "kept",
  }, body: Json.stringify({ name: "widget", tags: ["a", "b"], count: 3 }));
  expect.equal(res.status, 201);
  expect.equal(res.headers.get("x-item"), "42");
  let got = Json.parse(res.body);
  expect.equal(got.get("method").asStr(), "POST");
  expect.equal(got.get("path").asStr(), "/items/42");
  expect.equal(got.get("id").asStr(), "42");
  expect.equal(got.get("color").asStr(), "red");
  expect.equal(got.get("custom").asStr(), "kept");
  expect.equal(got.get("received"), Json { name: "widget", tags: ["a", "b"], count: 3 });

  let teapot = http.get("{api.url}/teapot", headers: { "Authorization": "Bearer {token}" });
  expect.equal(teapot.status, 418);
  expect.equal(teapot.headers.get("x-brew"), "earl grey");
  expect.equal(teapot.body, "short and stout");

  let me = http.get("{api.url}/me", headers: { "Authorization": "Bearer {token}" });
  expect.equal(me.status, 200);
  let claims = Json.parse(me.body);
  expect.equal(claims.get("email").asStr(), user.get("email"));
  expect.equal(claims.get("tokenUse").asStr(), "id");
  expect.equal(claims.get("groups"), Json []);
  expect.equal(claims.get("sub").asStr().length, 36);
  assert(claims.get("username").asStr() != "");
  expect.equal(http.get("{api.url}/whoami", headers: { "Authorization": "Bearer {token}" }).body, user.get("email"));
}

test "sign-in returns all three tokens; errors say what went wrong" {
  let email = "user-{util.uuidv4()}@wing.cloud";
  auth.signUp(email, password);
  let unconfirmed = tools.Tools.errorOf(inflight () => { auth.initiateAuth(email, password); });
  assert(unconfirmed.startsWith("UserNotConfirmedException: "), unconfirmed);
  let exists = tools.Tools.errorOf(inflight () => { auth.signUp(email, password); });
  assert(exists.startsWith("UsernameExistsException: "), exists);
  let weak = tools.Tools.errorOf(inflight () => { auth.signUp("user-{util.uuidv4()}@wing.cloud", "short"); });
  assert(weak.startsWith("InvalidPasswordException: ") || weak.startsWith("InvalidParameterException: "), weak);

  auth.adminConfirmUser(email);
  let wrong = tools.Tools.errorOf(inflight () => { auth.initiateAuth(email, "Wr0ng-Passw0rd!"); });
  assert(wrong.startsWith("NotAuthorizedException: Incorrect username or password."), wrong);

  let tokens = auth.signIn(email, password);
  expect.equal(tokens.idToken.split(".").length, 3);
  expect.equal(tokens.accessToken.split(".").length, 3);
  assert(tokens.refreshToken != "");
  expect.equal(tokens.expiresIn, 3600);
  expect.equal(http.get("{api.url}/me", headers: { "Authorization": "Bearer {tokens.idToken}" }).status, 200);
}
