// Compile-failure fixture (test/tfaws-sign-in-methods.test.ts): WEB_AUTHN on tf-aws with neither a relying party id nor
// a user pool domain for Cognito to default to.
bring cloud;
bring "../../cognito.w" as cognito;

let api = new cloud.Api() as "api";
let auth = new cognito.Cognito(api, signInMethods: ["PASSWORD", "WEB_AUTHN"]) as "auth";
