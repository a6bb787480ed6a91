// The `signInMethods` and `passkeys` props of `Cognito` (platform/backend.w), checked at compile time and turned into
// what Cognito takes: the pool's Policies.SignInPolicy.AllowedFirstAuthFactors, its feature plan (UserPoolTier), the
// app client's ALLOW_USER_AUTH, and SetUserPoolMfaConfig's WebAuthnConfiguration. Both backends use it: the simulator
// sends these to the local service, tf-aws writes them into aws_cognito_user_pool / _client (lib/tfaws/resources.ts).
//
// Choices where AWS leaves room: PASSWORD is added when it is not listed (AWS requires it among the first factors,
// and users who signed up with a password keep signing in); the plan is ESSENTIALS, the lowest that allows
// passwordless and passkeys; the relying party id defaults to `localhost` in the simulator and, on AWS, to the pool's
// domain (so WEB_AUTHN on tf-aws needs `passkeys.relyingPartyId` or `domainPrefix`).

/** The first factors AWS has (AllowedFirstAuthFactors). */
export const SIGN_IN_METHODS = ["PASSWORD", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"] as const;
export type SignInMethod = (typeof SIGN_IN_METHODS)[number];

/** WebAuthnConfiguration.UserVerification's values. */
export const USER_VERIFICATIONS = ["preferred", "required"] as const;

/** The plan a pool with `signInMethods` gets: the lowest that includes passwordless and passkeys. */
export const SIGN_IN_METHODS_TIER = "ESSENTIALS";

/** The relying party id of the simulator's passkeys by default: pages served from http://localhost:<port>. */
export const SIM_RELYING_PARTY_ID = "localhost";

/** The props involved, as Wing passes them (platform/backend.w `BackendOptions`). */
export interface SignInMethodsProps {
  readonly signInMethods?: readonly string[];
  readonly passkeys?: { readonly relyingPartyId?: string; readonly userVerification?: string };
  readonly usernameAttributes?: readonly string[];
  readonly autoVerifiedAttributes?: readonly string[];
  readonly domainPrefix?: string;
}

/** What the props ask of Cognito; `factors` empty when `signInMethods` is not set (the pool keeps its defaults). */
export interface SignInSettings {
  /** AllowedFirstAuthFactors, PASSWORD first; empty without `signInMethods`. */
  readonly factors: SignInMethod[];
  /** UserPoolTier, or "" without `signInMethods`. */
  readonly tier: string;
  /** Whether the app client gets ALLOW_USER_AUTH. */
  readonly userAuth: boolean;
  /** Whether WEB_AUTHN is a factor: SetUserPoolMfaConfig's WebAuthnConfiguration is then set. */
  readonly passkeys: boolean;
  /** WebAuthnConfiguration.RelyingPartyId, or "" to leave it to Cognito (the pool's domain). */
  readonly relyingPartyId: string;
  /** WebAuthnConfiguration.UserVerification. */
  readonly userVerification: string;
}

const HOSTNAME = /^(?=.{1,127}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

const fail = (message: string): never => {
  throw new Error(`@winglibs/cognito: ${message}`);
};

/**
 * Checks the props for `target` (`sim` or `tf-aws`) and returns the settings. Throws, with what to change, on an
 * unknown or repeated method, a one-time code without a verified attribute to send it to, passkey options without
 * WEB_AUTHN, an RP id that is not a domain name, and (tf-aws) WEB_AUTHN without an RP id or a domain, or SMS_OTP.
 */
export function signInSettings(target: string, given: SignInMethodsProps | undefined): SignInSettings {
  const props = given ?? {};
  const methods = props.signInMethods;
  const passkeys = props.passkeys;
  if (methods === undefined) {
    if (passkeys !== undefined) fail('passkeys needs "WEB_AUTHN" among signInMethods, e.g. signInMethods: ["PASSWORD", "WEB_AUTHN"]');
    return { factors: [], tier: "", userAuth: false, passkeys: false, relyingPartyId: "", userVerification: "" };
  }
  const seen = new Set<string>();
  for (const method of methods) {
    if (!(SIGN_IN_METHODS as readonly string[]).includes(method)) {
      fail(`signInMethods: unknown method "${method}" (use ${SIGN_IN_METHODS.join(", ")})`);
    }
    if (seen.has(method)) fail(`signInMethods: "${method}" is listed twice`);
    seen.add(method);
  }
  const autoVerified = props.autoVerifiedAttributes ?? ["email"];
  if (seen.has("EMAIL_OTP") && !autoVerified.includes("email")) {
    fail('signInMethods: EMAIL_OTP sends the code to a verified email: add "email" to autoVerifiedAttributes');
  }
  if (seen.has("SMS_OTP") && !autoVerified.includes("phone_number")) {
    fail('signInMethods: SMS_OTP sends the code to a verified phone number: add "phone_number" to autoVerifiedAttributes');
  }
  if (seen.has("SMS_OTP") && target === "tf-aws") {
    fail("signInMethods: SMS_OTP needs the pool to send text messages through Amazon SNS (an sms_configuration with an IAM role), which this library does not deploy yet: use EMAIL_OTP or WEB_AUTHN on tf-aws (SMS_OTP works in the simulator)");
  }
  const factors: SignInMethod[] = ["PASSWORD", ...SIGN_IN_METHODS.filter((m) => m !== "PASSWORD" && seen.has(m))];
  const webAuthn = seen.has("WEB_AUTHN");
  if (!webAuthn && passkeys !== undefined) fail('passkeys needs "WEB_AUTHN" among signInMethods');
  const userVerification = passkeys?.userVerification ?? "preferred";
  if (!(USER_VERIFICATIONS as readonly string[]).includes(userVerification)) {
    fail(`passkeys.userVerification must be "preferred" or "required" (got "${userVerification}")`);
  }
  let relyingPartyId = passkeys?.relyingPartyId ?? "";
  if (relyingPartyId !== "" && !HOSTNAME.test(relyingPartyId)) {
    fail(`passkeys.relyingPartyId must be a domain name in lower case, without scheme, port or path, e.g. "example.com" (got "${relyingPartyId}")`);
  }
  if (webAuthn && relyingPartyId === "") {
    if (target === "sim") relyingPartyId = SIM_RELYING_PARTY_ID;
    else if (props.domainPrefix === undefined) {
      fail('WEB_AUTHN on tf-aws needs a relying party id: set passkeys.relyingPartyId to the domain your pages are served from (e.g. "example.com"), or set domainPrefix to use the pool\'s domain (passkeys then work only on the hosted pages)');
    }
  }
  return { factors, tier: SIGN_IN_METHODS_TIER, userAuth: true, passkeys: webAuthn, relyingPartyId, userVerification: webAuthn ? userVerification : "" };
}
