// Fixture for test/tfaws-sign-in-methods.test.ts and test/tfaws-terraform.test.ts: choice-based sign-in with one-time
// codes by email and passkeys for the app's own domain, so tf-aws must write user_pool_tier, sign_in_policy,
// web_authn_configuration and ALLOW_USER_AUTH, and ask for an AWS provider that knows them.
bring cloud;
bring "../../cognito.w" as cognito;

let api = new cloud.Api() as "api";
api.get("/me", inflight () => { return { status: 200 }; });

let auth = new cognito.Cognito(api,
  signInMethods: ["EMAIL_OTP", "WEB_AUTHN"],
  passkeys: { relyingPartyId: "app.example.com", userVerification: "required" },
) as "auth";
auth.get("/me");
