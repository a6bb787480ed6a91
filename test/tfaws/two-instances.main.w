// Fixture for test/tfaws-synth.test.ts: two Cognito instances on two APIs, one with a user pools
// authorizer and one with IAM authorization, each protecting some routes and leaving others open.
bring cloud;
bring "../../cognito.w" as cognito;

let api = new cloud.Api() as "user-pools-api";
api.get("/hello", inflight (req) => { return { status: 200, body: "hello" }; });
api.post("/hello", inflight (req) => { return { status: 201, body: req.body }; });
api.put("/hello", inflight (req) => { return { status: 200, body: "open" }; });
api.get("/users/:id", inflight (req) => { return { status: 200, body: req.vars.get("id") }; });

let auth = new cognito.Cognito(api) as "user-pools-auth";
auth.get("/hello");
auth.post("/hello");
auth.get("/users/:id");

let iamApi = new cloud.Api() as "iam-api";
iamApi.get("/hello", inflight (req) => { return { status: 200, body: "signed" }; });
iamApi.delete("/hello", inflight (req) => { return { status: 204 }; });

let iamAuth = new cognito.Cognito(iamApi, authenticationType: cognito.AuthenticationType.AWS_IAM) as "iam-auth";
iamAuth.get("/hello");

// A function that confirms users: it must get AdminConfirmSignUp on its pool only.
new cloud.Function(inflight () => {
  auth.adminConfirmUser("someone@example.com");
}) as "confirmer";

// A function that only signs users up and in: it must get no Cognito permissions at all.
new cloud.Function(inflight () => {
  iamAuth.signUp("someone@example.com", "Passw0rd!-long");
  let token = iamAuth.initiateAuth("someone@example.com", "Passw0rd!-long");
  let id = iamAuth.getId(iamAuth.userPoolId, iamAuth.identityPoolId, token);
  iamAuth.getCredentialsForIdentity(token, id);
}) as "signer";
