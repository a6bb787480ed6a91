// AWS_IAM protection, end to end: sign in, get an identity and its temporary credentials from the identity
// pool, and call the protected route with a SigV4 signature (200). Unsigned, wrongly signed and altered
// requests get 403; unprotected routes stay open.
bring cloud;
bring expect;
bring http;
bring util;
bring "../cognito.w" as cognito;
bring "./tools.w" as tools;

let api = new cloud.Api();
api.get("/reports", inflight (req) => {
  return { status: 200, headers: { "x-report": "yes" }, body: "report for {req.query.get("year")}" };
});
api.post("/reports", inflight (req) => {
  return { status: 201, body: Json.stringify({ received: Json.parse(req.body ?? "null") }) };
});
api.get("/public", inflight (req) => {
  return { status: 200, body: "public" };
});

let auth = new cognito.Cognito(api, authenticationType: cognito.AuthenticationType.AWS_IAM);
auth.get("/reports");
auth.post("/reports");

test "AWS_IAM: identity pool credentials sign requests to protected routes" {
  let email = "user-{util.uuidv4()}@wing.cloud";
  let password = "Str0ng-Passw0rd!";
  auth.signUp(email, password);
  auth.adminConfirmUser(email);
  let token = auth.initiateAuth(email, password);
  let identityId = auth.getId(auth.userPoolId, auth.identityPoolId, token);
  assert(identityId.startsWith("{auth.region}:"), identityId);
  let credentials = auth.getCredentialsForIdentity(token, identityId);
  assert(credentials.get("AccessKeyId").asStr() != "");
  assert(credentials.get("SecretKey").asStr() != "");

  let ok = tools.Tools.signedFetch("GET", "{api.url}/reports?year=2024", auth.region, credentials, "", "");
  expect.equal(ok.status, 200);
  expect.equal(ok.body, "report for 2024");
  let posted = tools.Tools.signedFetch("POST", "{api.url}/reports", auth.region, credentials, Json.stringify({ total: 7 }), "");
  expect.equal(posted.status, 201);
  expect.equal(Json.parse(posted.body), Json { received: { total: 7 } });

  expect.equal(http.get("{api.url}/reports?year=2024").status, 403);
  expect.equal(http.get("{api.url}/reports", headers: { "Authorization": "Bearer {token}" }).status, 403);
  expect.equal(tools.Tools.signedFetch("GET", "{api.url}/reports?year=2024", auth.region, credentials, "", "secret").status, 403);
  expect.equal(tools.Tools.signedFetch("GET", "{api.url}/reports?year=2024", auth.region, credentials, "", "path").status, 403);
  expect.equal(tools.Tools.signedFetch("POST", "{api.url}/reports", auth.region, credentials, Json.stringify({ total: 7 }), "body").status, 403);
  expect.equal(http.get("{api.url}/public").body, "public");
}
