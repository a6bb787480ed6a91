// The front end of the Amplify passwordless browser test (bundled by esbuild for amplify-passwordless.test.ts): Amplify
// v6 pointed at the local service (userPoolEndpoint) and the calls a passwordless app makes: USER_AUTH sign-in with an
// email code or a passkey, associateWebAuthnCredential, list/deleteWebAuthnCredential(s), and a sign-up without a
// password that ends in autoSignIn. Exposed to the test as `globalThis.passwordlessTest`; each step also writes what
// happened on the page, for the screenshots.
import { Amplify } from "aws-amplify";
import {
  associateWebAuthnCredential, autoSignIn, confirmSignIn, confirmSignUp, deleteWebAuthnCredential, fetchAuthSession, listWebAuthnCredentials,
  signIn, signOut, signUp,
} from "aws-amplify/auth";

export interface PasswordlessConfig {
  userPoolId: string;
  userPoolClientId: string;
  endpoint: string;
}

const show = (line: string) => {
  const doc = (globalThis as unknown as { document: { getElementById(id: string): { textContent: string } } }).document;
  doc.getElementById("state").textContent = line;
  doc.getElementById("log").textContent += `${line}\n`;
};

async function signedInAs(): Promise<string | null> {
  const s = await fetchAuthSession();
  return (s.tokens?.idToken?.payload.email as string | undefined) ?? null;
}

const passwordlessTest = {
  configure(config: PasswordlessConfig): void {
    Amplify.configure({
      Auth: {
        Cognito: {
          userPoolId: config.userPoolId,
          userPoolClientId: config.userPoolClientId,
          userPoolEndpoint: config.endpoint,
          loginWith: { email: true },
          signUpVerificationMethod: "code",
        },
      },
    });
  },
  async startEmailCodeSignIn(email: string) {
    const out = await signIn({ username: email, options: { authFlowType: "USER_AUTH", preferredChallenge: "EMAIL_OTP" } });
    const step = out.nextStep as { signInStep: string; codeDeliveryDetails?: { deliveryMedium?: string; destination?: string } };
    show(`signIn(USER_AUTH, EMAIL_OTP): ${step.signInStep} -> ${step.codeDeliveryDetails?.destination ?? "?"}`);
    return { isSignedIn: out.isSignedIn, step: step.signInStep, medium: step.codeDeliveryDetails?.deliveryMedium ?? null, destination: step.codeDeliveryDetails?.destination ?? null };
  },
  async confirmCode(code: string) {
    const out = await confirmSignIn({ challengeResponse: code });
    const email = await signedInAs();
    show(`confirmSignIn(code): ${out.nextStep.signInStep}; signed in as ${email}`);
    return { isSignedIn: out.isSignedIn, step: out.nextStep.signInStep, email };
  },
  async associatePasskey() {
    await associateWebAuthnCredential();
    const { credentials } = await listWebAuthnCredentials();
    show(`associateWebAuthnCredential(): ${credentials.length} passkey(s): ${credentials.map((c) => `${c.friendlyCredentialName} for ${c.relyingPartyId}`).join(", ")}`);
    return credentials.map((c) => ({ credentialId: c.credentialId ?? null, relyingPartyId: c.relyingPartyId ?? null, attachment: c.authenticatorAttachment ?? null, name: c.friendlyCredentialName ?? null }));
  },
  async signOut() {
    await signOut();
    show(`signOut(): signed in as ${await signedInAs()}`);
  },
  async passkeySignIn(email: string) {
    const out = await signIn({ username: email, options: { authFlowType: "USER_AUTH", preferredChallenge: "WEB_AUTHN" } });
    const signedIn = await signedInAs();
    show(`signIn(USER_AUTH, WEB_AUTHN): ${out.nextStep.signInStep}; signed in as ${signedIn}`);
    return { isSignedIn: out.isSignedIn, step: out.nextStep.signInStep, email: signedIn };
  },
  async listPasskeys(pageSize?: number) {
    const first = await listWebAuthnCredentials(pageSize ? { pageSize } : undefined);
    const pages = [first.credentials.map((c) => c.credentialId ?? "")];
    let nextToken = first.nextToken;
    while (nextToken) {
      const next = await listWebAuthnCredentials({ pageSize, nextToken });
      pages.push(next.credentials.map((c) => c.credentialId ?? ""));
      nextToken = next.nextToken;
    }
    show(`listWebAuthnCredentials(): pages of ${pages.map((p) => p.length).join(", ")}`);
    return pages;
  },
  async deletePasskey(credentialId: string) {
    await deleteWebAuthnCredential({ credentialId });
    const { credentials } = await listWebAuthnCredentials();
    show(`deleteWebAuthnCredential(): ${credentials.length} passkey(s) left`);
    return credentials.length;
  },
  /** signIn that reports an error by name instead of throwing (for the refusal after a passkey was deleted). */
  async tryPasskeySignIn(email: string) {
    try {
      const out = await signIn({ username: email, options: { authFlowType: "USER_AUTH", preferredChallenge: "WEB_AUTHN" } });
      const step = out.nextStep as { signInStep: string; availableChallenges?: string[] };
      show(`signIn(USER_AUTH, WEB_AUTHN) without a passkey: ${step.signInStep} (${(step.availableChallenges ?? []).join(", ")})`);
      return { step: step.signInStep, availableChallenges: step.availableChallenges ?? [] };
    } catch (e) {
      return { error: (e as Error).name };
    }
  },
  async passwordlessSignUp(email: string) {
    const out = await signUp({ username: email, options: { userAttributes: { email }, autoSignIn: { authFlowType: "USER_AUTH" } } });
    show(`signUp() without a password: ${out.nextStep.signUpStep}`);
    return { isSignUpComplete: out.isSignUpComplete, step: out.nextStep.signUpStep };
  },
  async confirmAndAutoSignIn(email: string, code: string) {
    const confirmed = await confirmSignUp({ username: email, confirmationCode: code });
    const auto = await autoSignIn();
    const signedIn = await signedInAs();
    show(`confirmSignUp(): ${confirmed.nextStep.signUpStep}; autoSignIn(): ${auto.nextStep.signInStep}; signed in as ${signedIn}`);
    return { confirmStep: confirmed.nextStep.signUpStep, isSignedIn: auto.isSignedIn, step: auto.nextStep.signInStep, email: signedIn };
  },
};

/** The page's test surface. */
export type PasswordlessTest = typeof passwordlessTest;

(globalThis as unknown as { passwordlessTest: PasswordlessTest }).passwordlessTest = passwordlessTest;
