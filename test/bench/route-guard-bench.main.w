// The app that test/bench/route-guard-bench.ts measures: on each api, one unprotected and one protected
// route with identical handlers, for COGNITO_USER_POOLS and for AWS_IAM.
bring cloud;
bring "../../cognito.w" as cognito;

let pools = new cloud.Api() as "pools";
pools.get("/open", inflight (req) => { return { status: 200, body: "ok" }; });
pools.get("/protected", inflight (req) => { return { status: 200, body: "ok" }; });
let poolsAuth = new cognito.Cognito(pools) as "pools-auth";
poolsAuth.get("/protected");

let iam = new cloud.Api() as "iam";
iam.get("/open", inflight (req) => { return { status: 200, body: "ok" }; });
iam.get("/protected", inflight (req) => { return { status: 200, body: "ok" }; });
let iamAuth = new cognito.Cognito(iam, authenticationType: cognito.AuthenticationType.AWS_IAM) as "iam-auth";
iamAuth.get("/protected");
