// The front end of the Amplify browser test (bundled by esbuild for the browser in amplify-signin.test.ts): Amplify v6
// configured against the local service exactly as the README's front-end section says, and the calls a sign-up page
// makes (signUp, confirmSignUp, signIn, fetchAuthSession), exposed to the test as `globalThis.amplifyTest`.
import { Amplify } from "aws-amplify";
import { confirmSignUp, fetchAuthSession, signIn, signOut, signUp } from "aws-amplify/auth";

/** What the test passes in: the local pool's ids and the service's URL (platform/sim.w tokens). */
export interface LocalCognitoConfig {
  userPoolId: string;
  userPoolClientId: string;
  identityPoolId: string;
  endpoint: string;
}

const amplifyTest = {
  configure(config: LocalCognitoConfig): void {
    Amplify.configure({
      Auth: {
        Cognito: {
          userPoolId: config.userPoolId,
          userPoolClientId: config.userPoolClientId,
          identityPoolId: config.identityPoolId,
          // Both are needed: the first sends the user pool calls to the local service, the second the identity pool
          // calls (GetId, GetCredentialsForIdentity); without them Amplify calls cognito-idp/-identity.<region>.amazonaws.com.
          userPoolEndpoint: config.endpoint,
          identityPoolEndpoint: config.endpoint,
          loginWith: { email: true },
          signUpVerificationMethod: "code",
        },
      },
    });
  },
  async signUp(email: string, password: string) {
    const out = await signUp({ username: email, password, options: { userAttributes: { email } } });
    return { isSignUpComplete: out.isSignUpComplete, step: out.nextStep.signUpStep, userId: out.userId ?? null };
  },
  async confirmSignUp(email: string, code: string) {
    const out = await confirmSignUp({ username: email, confirmationCode: code });
    return { isSignUpComplete: out.isSignUpComplete, step: out.nextStep.signUpStep };
  },
  async signIn(email: string, password: string) {
    const out = await signIn({ username: email, password });
    return { isSignedIn: out.isSignedIn, step: out.nextStep.signInStep };
  },
  async session() {
    const s = await fetchAuthSession();
    return {
      idToken: s.tokens?.idToken?.toString() ?? null,
      accessToken: s.tokens?.accessToken?.toString() ?? null,
      email: (s.tokens?.idToken?.payload.email as string | undefined) ?? null,
      identityId: s.identityId ?? null,
      accessKeyId: s.credentials?.accessKeyId ?? null,
      hasSessionToken: Boolean(s.credentials?.sessionToken),
    };
  },
  /** A GET from the page's origin (a cross-origin request to the API: it needs the API's CORS headers). */
  async get(url: string, headers: Record<string, string>) {
    const res = await fetch(url, { headers });
    return { status: res.status, body: await res.text() };
  },
  signOut: () => signOut(),
};

/** The page's test surface. */
export type AmplifyTest = typeof amplifyTest;

(globalThis as unknown as { amplifyTest: AmplifyTest }).amplifyTest = amplifyTest;
