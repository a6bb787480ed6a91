// Fixture for test/tfaws-synth.test.ts: protecting an OPTIONS route must fail the compile, on every target.
bring cloud;
bring "../../cognito.w" as cognito;

let api = new cloud.Api(cors: true);
api.options("/hello", inflight (req) => { return { status: 204 }; });
let auth = new cognito.Cognito(api);
auth.options("/hello");
