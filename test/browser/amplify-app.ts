// The browser app of test/browser/amplify-redirect.test.ts, bundled with esbuild: Amplify v6 configured for a user
// pool domain's hosted sign-in, exactly as Amplify's docs show, exposing signInWithRedirect (to the hosted page, or
// straight to an external identity provider of the pool) and the session to the test.
import { Amplify } from "aws-amplify";
import { fetchAuthSession, signInWithRedirect } from "aws-amplify/auth";
import "aws-amplify/auth/enable-oauth-listener";

interface AppConfig {
  userPoolId: string;
  userPoolClientId: string;
  domain: string;
  appUrl: string;
  /** The OAuth scopes to ask for (default: openid, email and the shop's orders/read). */
  scopes?: string[];
}

const config = (globalThis as unknown as { APP_CONFIG: AppConfig }).APP_CONFIG;
Amplify.configure({
  Auth: {
    Cognito: {
      userPoolId: config.userPoolId,
      userPoolClientId: config.userPoolClientId,
      loginWith: {
        oauth: { domain: config.domain, scopes: config.scopes ?? ["openid", "email", "orders/read"], redirectSignIn: [config.appUrl], redirectSignOut: [config.appUrl], responseType: "code" },
      },
    },
  },
});

Object.assign(globalThis, {
  startSignIn: () => signInWithRedirect(),
  startFederatedSignIn: (provider: string) => signInWithRedirect({ provider: { custom: provider } }),
  idToken: async () => (await fetchAuthSession()).tokens?.idToken?.toString() ?? "",
  accessToken: async () => (await fetchAuthSession()).tokens?.accessToken?.toString() ?? "",
});
