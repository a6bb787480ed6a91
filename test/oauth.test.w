// OAuth 2.0 in the simulator: a resource server with scopes, machine clients getting client_credentials tokens, and
// routes protected with scopes (API Gateway's authorizationScopes): an access token carrying one of the route's scopes
// gets through; an access token without it, an ID token, or no token gets 401. A user who signs in on the hosted page
// gets an access token that opens the route too, and routes protected without scopes keep taking ID tokens.
bring cloud;
bring expect;
bring http;
bring "../cognito.w" as cognito;
bring "./oauth-tools.w" as tools;
bring "./tools.w" as testTools;

let callbackUrl = "http://localhost:3000/callback";
let api = new cloud.Api();
let auth = new cognito.Cognito(api,
  domainPrefix: "shop",
  hostedSignIn: { callbackUrls: [callbackUrl], logoutUrls: ["http://localhost:3000/"], scopes: ["openid", "email", "orders/read"] },
  resourceServers: [{ identifier: "orders", name: "Orders API", scopes: ["read", "write"] }],
  machineClients: [{ name: "reporting", scopes: ["orders/read"] }, { name: "fulfilment", scopes: ["orders/write"] }],
);

api.get("/orders", inflight () => {
  return { status: 200, body: "the orders" };
});
api.post("/orders", inflight () => {
  return { status: 201, body: "placed" };
});
api.get("/profile", inflight () => {
  return { status: 200, body: "profile" };
});
auth.get("/orders", scopes: ["orders/read"]);
auth.post("/orders", scopes: ["orders/write"]);
auth.get("/profile");

let bearer = inflight (token: str): Map<str> => {
  return { "Authorization": "Bearer {token}" };
};

test "a machine client's token opens a route protected with its scope, and only that route" {
  let reading = auth.machineToken("reporting");
  expect.equal(http.get("{api.url}/orders", headers: bearer(reading)).status, 200);
  expect.equal(http.post("{api.url}/orders", headers: bearer(reading)).status, 401);

  let writing = auth.machineToken("fulfilment", ["orders/write"]);
  expect.equal(http.post("{api.url}/orders", headers: bearer(writing)).status, 201);
  let denied = http.get("{api.url}/orders", headers: bearer(writing));
  expect.equal(denied.status, 401);
  expect.equal(denied.body, Json.stringify({ message: "Unauthorized" }));

  expect.equal(http.get("{api.url}/orders").status, 401);
  // A machine token is no ID token: routes protected without scopes refuse it.
  expect.equal(http.get("{api.url}/profile", headers: bearer(reading)).status, 401);
  // A client cannot get a scope it was not allowed.
  let err = testTools.Tools.errorOf(inflight () => { auth.machineToken("reporting", ["orders/write"]); });
  assert(err.contains("invalid_scope"));
}

test "a hosted sign-in user's access token opens the scope-protected route; an ID token does not" {
  auth.signUp("ada@example.com", "Lovelace-1815!");
  auth.adminConfirmUser("ada@example.com");
  let access = tools.OAuthTools.hostedSignInAccessToken(auth.domainUrl!, auth.clientId, callbackUrl, "openid email orders/read", "ada@example.com", "Lovelace-1815!");
  expect.equal(http.get("{api.url}/orders", headers: bearer(access)).status, 200);
  expect.equal(http.post("{api.url}/orders", headers: bearer(access)).status, 401);

  let tokens = auth.signIn("ada@example.com", "Lovelace-1815!");
  expect.equal(http.get("{api.url}/orders", headers: bearer(tokens.idToken)).status, 401);
  // InitiateAuth's access token carries only aws.cognito.signin.user.admin.
  expect.equal(http.get("{api.url}/orders", headers: bearer(tokens.accessToken)).status, 401);
  expect.equal(http.get("{api.url}/profile", headers: bearer(tokens.idToken)).status, 200);
}

test "the sign-in URL and domain point at the local hosted page" {
  let domainUrl = auth.domainUrl!;
  assert(domainUrl.endsWith("/shop"));
  let page = http.get(auth.signInUrl!);
  expect.equal(page.status, 200);
  assert(page.body.contains("for=\"password\">Password</label>"));
}
