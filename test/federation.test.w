// Federated sign-in in the simulator, offline, through the local test identity provider (`testIdentityProvider`): a
// user created by the IdP's sign-in calls a protected route and `caller(req)` shows the `identities` claim and the
// provider's automatic group; the first sign-in runs PreSignUp_ExternalProvider, a later one finds the same user; a
// declared social provider is stored next to it (its sign-in needs the internet).
bring cloud;
bring expect;
bring http;
bring "../cognito.w" as cognito;

let api = new cloud.Api();
let auth = new cognito.Cognito(api,
  domainPrefix: "federated",
  hostedSignIn: { callbackUrls: ["http://localhost:3000/callback"], scopes: ["openid", "email", "profile"] },
  testIdentityProvider: true,
  identityProviders: [
    { providerType: "Google", clientId: "1234-example.apps.googleusercontent.com", clientSecret: new cloud.Secret() as "GoogleSecret" },
  ],
);
let signUps = new cloud.Counter() as "ExternalSignUps";
auth.onPreSignUp(inflight (event) => {
  if event.get("triggerSource").asStr() == "PreSignUp_ExternalProvider" {
    signUps.inc();
  }
  return nil;
});

api.get("/me", inflight (req) => {
  if let caller = auth.caller(req) {
    return { status: 200, body: Json.stringify({
      username: caller.username,
      email: caller.email,
      groups: caller.groups,
      identities: caller.claims.get("identities"),
      name: caller.claims.tryGet("name"),
    }) };
  }
  return { status: 401 };
});
auth.get("/me");

test "a user created through the test IdP calls a protected route, and caller(req) shows its identities" {
  let tokens = auth.federatedSignIn("ada@example.com", name: "Ada Lovelace", claims: { "locale": "en-GB" });
  let res = http.get("{api.url}/me", headers: { "Authorization": "Bearer {tokens.idToken}" });
  expect.equal(res.status, 200);
  let me = Json.parse(res.body);
  let identity = me.get("identities").getAt(0);
  expect.equal(identity.get("providerName").asStr(), "TestIdP");
  expect.equal(identity.get("providerType").asStr(), "OIDC");
  expect.equal(identity.get("primary").asStr(), "true");
  expect.equal(me.get("username").asStr(), "TestIdP_{identity.get("userId").asStr()}");
  expect.equal(me.get("email").asStr(), "ada@example.com");
  expect.equal(me.get("name").asStr(), "Ada Lovelace");
  expect.equal(me.get("groups").getAt(0).asStr(), "{auth.userPoolId}_TestIdP");
  expect.equal(signUps.peek(), 1);
  // Without the token the route stays shut.
  expect.equal(http.get("{api.url}/me").status, 401);
}

test "the same email signs in as the same user; PreSignUp_ExternalProvider runs once per user" {
  let first = auth.federatedSignIn("grace@example.com");
  let again = auth.federatedSignIn("grace@example.com", name: "Grace Hopper");
  let one = Json.parse(http.get("{api.url}/me", headers: { "Authorization": "Bearer {first.idToken}" }).body);
  let two = Json.parse(http.get("{api.url}/me", headers: { "Authorization": "Bearer {again.idToken}" }).body);
  expect.equal(one.get("username").asStr(), two.get("username").asStr());
  // The later sign-in updated the mapped attribute.
  expect.equal(two.get("name").asStr(), "Grace Hopper");
  expect.equal(signUps.peek(), 1);
  expect.ok(again.refreshToken.length > 0);
}
