// Fixture for test/tfaws-synth.test.ts: a Required custom attribute must fail the compile (AWS refuses it).
bring cloud;
bring "../../cognito.w" as cognito;

let api = new cloud.Api();
api.get("/hello", inflight (req) => { return { status: 200 }; });
new cognito.Cognito(api, schema: [{ "Name": "team", "AttributeDataType": "String", "Required": true }]);
