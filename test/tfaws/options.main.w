// Fixture for test/tfaws-synth.test.ts: one Cognito instance with every option set (pool name,
// token header, custom schema, unauthenticated identities).
bring cloud;
bring "../../cognito.w" as cognito;

let api = new cloud.Api() as "api";
api.get("/items/:id", inflight (req) => { return { status: 200 }; });

let auth = new cognito.Cognito(api, {
  name: "My Pool",
  headerKey: "X-Id-Token",
  usernameAttributes: ["email"],
  autoVerifiedAttributes: ["email"],
  schema: [{ "Name": "team", "AttributeDataType": "String", "Mutable": true }],
  allowUnauthenticatedIdentities: true,
}) as "auth";
auth.get("/items/:id");
