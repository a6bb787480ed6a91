// Test support: a pool set up for the OAuth endpoints: a domain, an `orders` resource server (read, write), a public
// web client (code flow with PKCE, openid/email/profile/orders.read), a confidential machine client
// (client_credentials, orders/read) and a confirmed user. Shared by the OAuth integration and browser tests.
import {
  AdminCreateUserCommand, AdminSetUserPasswordCommand, CreateResourceServerCommand, CreateUserPoolClientCommand, CreateUserPoolCommand,
  CreateUserPoolDomainCommand, type CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";

export const CALLBACK_URL = "http://localhost:3000/callback";
export const LOGOUT_URL = "http://localhost:3000/signed-out";
export const USER_EMAIL = "ada@example.com";
export const USER_PASSWORD = "Lovelace-1815!";

export interface OAuthPool {
  userPoolId: string;
  domain: string;
  webClientId: string;
  machineClientId: string;
  machineClientSecret: string;
  /** `<service>/<domain>`: the base of the domain's endpoints. */
  base: string;
  /** The pool's OpenID discovery document URL. */
  discoveryUrl: string;
}

/** Creates the pool; `callbackUrl` replaces CALLBACK_URL (e.g. a test server on an ephemeral port). */
export async function createOAuthPool(idp: CognitoIdentityProviderClient, serviceUrl: string, domain = "shop", callbackUrl = CALLBACK_URL): Promise<OAuthPool> {
  const pool = await idp.send(new CreateUserPoolCommand({ PoolName: `oauth-${domain}`, UsernameAttributes: ["email"], AutoVerifiedAttributes: ["email"] }));
  const userPoolId = pool.UserPool!.Id!;
  await idp.send(new CreateUserPoolDomainCommand({ UserPoolId: userPoolId, Domain: domain }));
  await idp.send(new CreateResourceServerCommand({
    UserPoolId: userPoolId, Identifier: "orders", Name: "Orders API",
    Scopes: [{ ScopeName: "read", ScopeDescription: "Read orders" }, { ScopeName: "write", ScopeDescription: "Place orders" }],
  }));
  const web = await idp.send(new CreateUserPoolClientCommand({
    UserPoolId: userPoolId, ClientName: "web", GenerateSecret: false,
    AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ["code"], AllowedOAuthScopes: ["openid", "email", "profile", "orders/read"],
    CallbackURLs: [callbackUrl], LogoutURLs: [LOGOUT_URL], SupportedIdentityProviders: ["COGNITO"],
    ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
  }));
  const machine = await idp.send(new CreateUserPoolClientCommand({
    UserPoolId: userPoolId, ClientName: "machine", GenerateSecret: true,
    AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ["client_credentials"], AllowedOAuthScopes: ["orders/read"],
  }));
  await idp.send(new AdminCreateUserCommand({
    UserPoolId: userPoolId, Username: USER_EMAIL, MessageAction: "SUPPRESS",
    UserAttributes: [{ Name: "email", Value: USER_EMAIL }, { Name: "email_verified", Value: "true" }, { Name: "name", Value: "Ada" }],
  }));
  await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: USER_EMAIL, Password: USER_PASSWORD, Permanent: true }));
  return {
    userPoolId,
    domain,
    webClientId: web.UserPoolClient!.ClientId!,
    machineClientId: machine.UserPoolClient!.ClientId!,
    machineClientSecret: machine.UserPoolClient!.ClientSecret!,
    base: `${serviceUrl}/${domain}`,
    discoveryUrl: `${serviceUrl}/${userPoolId}/.well-known/openid-configuration`,
  };
}
