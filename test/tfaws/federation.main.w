// Fixture for test/tfaws-federation.test.ts and test/tfaws-terraform.test.ts: hosted sign-in with one provider of each
// kind that needs something different (OIDC with a client secret, Google, SAML from a metadata document, Sign in with
// Apple with its private key), each secret a cloud.Secret; and the simulator's test IdP switched on, which tf-aws must
// leave out.
bring cloud;
bring "../../cognito.w" as cognito;

let api = new cloud.Api() as "api";
api.get("/me", inflight () => { return { status: 200 }; });

let metadata = "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"https://idp.example.com\"><md:IDPSSODescriptor protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\"><md:SingleSignOnService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect\" Location=\"https://idp.example.com/sso\"/></md:IDPSSODescriptor></md:EntityDescriptor>";

let auth = new cognito.Cognito(api,
  domainPrefix: "federation-example",
  hostedSignIn: { callbackUrls: ["https://app.example.com/callback"], scopes: ["openid", "email", "profile"] },
  testIdentityProvider: true,
  identityProviders: [
    {
      providerType: "OIDC", name: "Corp", clientId: "cognito-app", clientSecret: new cloud.Secret() as "corp-secret",
      issuer: "https://login.corp.example.com", scopes: ["openid", "email"], requestMethod: "POST",
      attributeMapping: { "email": "email", "name": "display_name" }, identifiers: ["corp.example.com"],
    },
    { providerType: "Google", clientId: "1234-example.apps.googleusercontent.com", clientSecret: new cloud.Secret() as "google-secret" },
    { providerType: "SAML", name: "Okta-SAML", metadataDocument: metadata, attributeMapping: { "email": "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress" } },
    { providerType: "SignInWithApple", clientId: "com.example.web", teamId: "TEAM123456", keyId: "KEY1234567", clientSecret: new cloud.Secret() as "apple-key" },
  ],
) as "auth";
auth.get("/me");
