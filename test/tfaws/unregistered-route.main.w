// Fixture for test/tfaws-synth.test.ts: protecting a route the api does not have must fail the compile.
bring cloud;
bring "../../cognito.w" as cognito;

let api = new cloud.Api();
api.get("/hello", inflight (req) => { return { status: 200 }; });

let auth = new cognito.Cognito(api);
auth.post("/hello");
