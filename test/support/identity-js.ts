// Test support: an unmodified amazon-cognito-identity-js pointed at the local service, with in-memory storage and
// promise-returning wrappers around its callback API. Sign-in steps resolve with what the library asked for next
// (tokens, a new password, an MFA code, an MFA choice or MFA set-up), so tests can walk every challenge in order.
import {
  AuthenticationDetails, CognitoAccessToken, CognitoIdToken, CognitoRefreshToken, CognitoUser, CognitoUserAttribute,
  CognitoUserPool, CognitoUserSession,
  type ICognitoStorage, type IMfaSettings, type ISignUpResult,
} from "amazon-cognito-identity-js";
import { Secret, TOTP } from "otpauth";

/** An in-memory `Storage` for the library (Node has no localStorage); one per pool keeps tests apart. */
export class MemoryStorage implements ICognitoStorage {
  private readonly items = new Map<string, string>();
  setItem(key: string, value: string): void {
    this.items.set(key, String(value));
  }
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
  clear(): void {
    this.items.clear();
  }
  keys(): string[] {
    return [...this.items.keys()];
  }
}

export type FlowType = "USER_SRP_AUTH" | "USER_PASSWORD_AUTH";

/** A pool object as an app builds it, talking to `endpoint` (the local service's URL). */
export function userPool(endpoint: string, userPoolId: string, clientId: string): CognitoUserPool {
  return new CognitoUserPool({ UserPoolId: userPoolId, ClientId: clientId, endpoint: `${endpoint}/`, Storage: new MemoryStorage() });
}

/** The storage a pool was built with (the library keeps it as `storage`). */
export function storageOf(pool: CognitoUserPool): MemoryStorage {
  return (pool as unknown as { storage: MemoryStorage }).storage;
}

/** A user object sharing its pool's storage, signing in with `flow` (the library's default is SRP). */
export function cognitoUser(pool: CognitoUserPool, username: string, flow: FlowType = "USER_SRP_AUTH"): CognitoUser {
  const user = new CognitoUser({ Username: username, Pool: pool, Storage: storageOf(pool) });
  user.setAuthenticationFlowType(flow);
  return user;
}

/** The in-flight challenge `Session` the library keeps between sign-in steps. */
export function challengeSession(user: CognitoUser): string {
  return (user as unknown as { Session: string }).Session;
}

/** Sets the challenge `Session` on a fresh user object (what stateless wrappers such as cognito-user-pool do). */
export function resumeChallenge(user: CognitoUser, session: string): CognitoUser {
  (user as unknown as { Session: string }).Session = session;
  return user;
}

/** An error from the service as the library reports it. */
export interface ServiceError extends Error {
  code?: string;
}

/** What a sign-in step led to. */
export type SignInStep =
  | { kind: "signedIn"; session: CognitoUserSession }
  | { kind: "newPasswordRequired"; userAttributes: Record<string, string>; requiredAttributes: string[] }
  | { kind: "mfaRequired"; challengeName: string; parameters: Record<string, string> }
  | { kind: "totpRequired"; challengeName: string; parameters: Record<string, string> }
  | { kind: "selectMFAType"; challengeName: string; parameters: Record<string, string> }
  | { kind: "mfaSetup"; challengeName: string; parameters: Record<string, string> };

type StepCallbacks = {
  onSuccess: (session: CognitoUserSession) => void;
  onFailure: (err: unknown) => void;
  newPasswordRequired: (userAttributes: Record<string, string>, requiredAttributes: string[]) => void;
  mfaRequired: (challengeName: string, parameters: Record<string, string>) => void;
  totpRequired: (challengeName: string, parameters: Record<string, string>) => void;
  selectMFAType: (challengeName: string, parameters: Record<string, string>) => void;
  mfaSetup: (challengeName: string, parameters: Record<string, string>) => void;
};

/** Runs one library call that reports through an authentication callback map, as a promise of the next step. */
function step(run: (callbacks: StepCallbacks) => void): Promise<SignInStep> {
  return new Promise<SignInStep>((resolve, reject) => {
    run({
      onSuccess: (session) => resolve({ kind: "signedIn", session }),
      onFailure: (err) => reject(err),
      newPasswordRequired: (userAttributes, requiredAttributes) => resolve({ kind: "newPasswordRequired", userAttributes, requiredAttributes }),
      mfaRequired: (challengeName, parameters) => resolve({ kind: "mfaRequired", challengeName, parameters }),
      totpRequired: (challengeName, parameters) => resolve({ kind: "totpRequired", challengeName, parameters }),
      selectMFAType: (challengeName, parameters) => resolve({ kind: "selectMFAType", challengeName, parameters }),
      mfaSetup: (challengeName, parameters) => resolve({ kind: "mfaSetup", challengeName, parameters }),
    });
  });
}

/** Resolves a node-style callback call. */
function nodeCall<T>(run: (callback: (err?: Error | null, result?: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    run((err, result) => (err ? reject(err) : resolve(result as T)));
  });
}

/** Resolves a `{onSuccess, onFailure}` call. */
function successCall<T>(run: (callbacks: { onSuccess: (result: T) => void; onFailure: (err: Error) => void }) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => run({ onSuccess: resolve, onFailure: reject }));
}

export function attributes(values: Record<string, string>): CognitoUserAttribute[] {
  return Object.entries(values).map(([Name, Value]) => new CognitoUserAttribute({ Name, Value }));
}

export function signUp(pool: CognitoUserPool, username: string, password: string, attrs: Record<string, string> = {}): Promise<ISignUpResult> {
  return nodeCall<ISignUpResult>((cb) => pool.signUp(username, password, attributes(attrs), [], cb));
}

export function confirmRegistration(user: CognitoUser, code: string): Promise<string> {
  return nodeCall<string>((cb) => user.confirmRegistration(code, true, cb));
}

export function resendConfirmationCode(user: CognitoUser): Promise<{ CodeDeliveryDetails: { AttributeName: string; DeliveryMedium: string; Destination: string } }> {
  return nodeCall((cb) => user.resendConfirmationCode(cb));
}

export function authenticate(user: CognitoUser, password: string): Promise<SignInStep> {
  const details = new AuthenticationDetails({ Username: user.getUsername(), Password: password });
  return step((callbacks) => user.authenticateUser(details, callbacks));
}

/** Signs in and insists that no challenge follows. */
export async function signIn(user: CognitoUser, password: string): Promise<CognitoUserSession> {
  const next = await authenticate(user, password);
  if (next.kind !== "signedIn") throw new Error(`expected tokens, got the ${next.kind} step`);
  return next.session;
}

export function completeNewPasswordChallenge(user: CognitoUser, newPassword: string, attrs: Record<string, string> = {}): Promise<SignInStep> {
  return step((callbacks) => user.completeNewPasswordChallenge(newPassword, attrs, callbacks));
}

export function sendMFACode(user: CognitoUser, code: string, mfaType?: "SMS_MFA" | "SOFTWARE_TOKEN_MFA"): Promise<SignInStep> {
  return step((callbacks) => user.sendMFACode(code, callbacks, mfaType));
}

export function sendMFASelectionAnswer(user: CognitoUser, answer: "SMS_MFA" | "SOFTWARE_TOKEN_MFA"): Promise<SignInStep> {
  return step((callbacks) => user.sendMFASelectionAnswer(answer, callbacks));
}

export function associateSoftwareToken(user: CognitoUser): Promise<string> {
  return new Promise<string>((resolve, reject) => user.associateSoftwareToken({ associateSecretCode: resolve, onFailure: reject }));
}

/** VerifySoftwareToken: during MFA_SETUP the library answers the challenge too and resolves with the session. */
export function verifySoftwareToken(user: CognitoUser, code: string, deviceName = "test-device"): Promise<CognitoUserSession | { Status?: string }> {
  return successCall((callbacks) => user.verifySoftwareToken(code, deviceName, callbacks as never));
}

/** refreshSession with a session's refresh token, or with a bare refresh token (as a stateless backend has it). */
export function refreshSession(user: CognitoUser, from: CognitoUserSession | CognitoRefreshToken): Promise<CognitoUserSession> {
  const token = from instanceof CognitoRefreshToken ? from : from.getRefreshToken();
  return nodeCall<CognitoUserSession>((cb) => user.refreshSession(token, cb));
}

export function getSession(user: CognitoUser): Promise<CognitoUserSession> {
  return new Promise((resolve, reject) => user.getSession((err: Error | null, session: CognitoUserSession | null) => (err ? reject(err) : resolve(session!))));
}

export function changePassword(user: CognitoUser, oldPassword: string, newPassword: string): Promise<string> {
  return nodeCall<string>((cb) => user.changePassword(oldPassword, newPassword, cb));
}

/** GetUser through the library, as a name → value map. */
export async function getUserAttributes(user: CognitoUser): Promise<Record<string, string>> {
  const list = await nodeCall<CognitoUserAttribute[]>((cb) => user.getUserAttributes(cb));
  return Object.fromEntries(list.map((a) => [a.getName(), a.getValue()]));
}

export function updateAttributes(user: CognitoUser, values: Record<string, string>): Promise<string> {
  return nodeCall<string>((cb) => user.updateAttributes(attributes(values), cb));
}

export function deleteAttributes(user: CognitoUser, names: string[]): Promise<string> {
  return nodeCall<string>((cb) => user.deleteAttributes(names, cb));
}

/** GetUserAttributeVerificationCode: resolves with the delivery details the library passes to inputVerificationCode. */
export function getAttributeVerificationCode(user: CognitoUser, attribute: string): Promise<unknown> {
  return new Promise((resolve, reject) => user.getAttributeVerificationCode(attribute, { onSuccess: resolve, onFailure: reject, inputVerificationCode: resolve }));
}

export function verifyAttribute(user: CognitoUser, attribute: string, code: string): Promise<string> {
  return successCall<string>((callbacks) => user.verifyAttribute(attribute, code, callbacks));
}

/** ForgotPassword: resolves with the code delivery data. */
export function forgotPassword(user: CognitoUser): Promise<{ CodeDeliveryDetails: { AttributeName: string; DeliveryMedium: string; Destination: string } }> {
  return new Promise((resolve, reject) => user.forgotPassword({ onSuccess: resolve, onFailure: reject, inputVerificationCode: resolve }));
}

export function confirmPassword(user: CognitoUser, code: string, newPassword: string): Promise<string> {
  return successCall<string>((callbacks) => user.confirmPassword(code, newPassword, callbacks));
}

export function globalSignOut(user: CognitoUser): Promise<string> {
  return successCall<string>((callbacks) => user.globalSignOut(callbacks));
}

export function deleteUser(user: CognitoUser): Promise<string> {
  return nodeCall<string>((cb) => user.deleteUser(cb));
}

export function enableMFA(user: CognitoUser): Promise<string> {
  return nodeCall<string>((cb) => user.enableMFA(cb));
}

export function disableMFA(user: CognitoUser): Promise<string> {
  return nodeCall<string>((cb) => user.disableMFA(cb));
}

export function getMFAOptions(user: CognitoUser): Promise<Array<{ DeliveryMedium: string; AttributeName: string }> | undefined> {
  return nodeCall((cb) => user.getMFAOptions(cb));
}

export function setUserMfaPreference(user: CognitoUser, sms: IMfaSettings | null, totp: IMfaSettings | null): Promise<string> {
  return nodeCall<string>((cb) => user.setUserMfaPreference(sms, totp, cb));
}

/** GetUser's full answer (MFA settings included), fetched fresh from the service. */
export function getUserData(user: CognitoUser): Promise<{ Username: string; UserMFASettingList?: string[]; PreferredMfaSetting?: string; MFAOptions?: unknown[] }> {
  return nodeCall((cb) => user.getUserData(cb, { bypassCache: true }));
}

/** A session object built from tokens alone, as a stateless backend wrapper rebuilds one per request. */
export function sessionFromTokens(idToken: string, accessToken: string, refreshToken?: string): CognitoUserSession {
  return new CognitoUserSession({
    IdToken: new CognitoIdToken({ IdToken: idToken }),
    AccessToken: new CognitoAccessToken({ AccessToken: accessToken }),
    // The library expects a refresh-token object even when there is no refresh token.
    RefreshToken: new CognitoRefreshToken({ RefreshToken: refreshToken ?? "" }),
  });
}

/** The error code the library reports (`code`, falling back to `name`). */
export function errorCode(err: unknown): string | undefined {
  const e = err as ServiceError;
  return e?.code ?? e?.name;
}

/**
 * An authenticator app for one TOTP secret (RFC 6238, SHA1, 6 digits, 30 s). It never hands out the code of a time
 * step it already gave, since Cognito refuses a code used before; it moves to the next step (accepted within the
 * ±1-step window) instead.
 */
export class Authenticator {
  private readonly totp: TOTP;
  private lastStep = -Infinity;

  constructor(readonly secret: string) {
    this.totp = new TOTP({ secret: Secret.fromBase32(secret), algorithm: "SHA1", digits: 6, period: 30 });
  }

  /** A fresh code that the service should accept now. */
  async code(): Promise<string> {
    let now = Date.now();
    let stepIndex = Math.max(Math.floor(now / 30_000), this.lastStep + 1);
    if (stepIndex > Math.floor(now / 30_000) + 1) {
      // Both usable steps are spent; wait until the next one begins.
      await new Promise((r) => setTimeout(r, (stepIndex - 1) * 30_000 - now + 50));
      now = Date.now();
      stepIndex = Math.max(Math.floor(now / 30_000), this.lastStep + 1);
    }
    this.lastStep = stepIndex;
    return this.totp.generate({ timestamp: stepIndex * 30_000 });
  }

  /** A code that is certainly wrong for this secret right now. */
  wrongCode(): string {
    const now = Date.now();
    const valid = new Set([-1, 0, 1].map((d) => this.totp.generate({ timestamp: now + d * 30_000 })));
    for (let n = 0; ; n++) {
      const candidate = String((123456 + n * 7919) % 1_000_000).padStart(6, "0");
      if (!valid.has(candidate)) return candidate;
    }
  }
}

/** Asserts that `promise` fails with the service error `code`; returns the error for further checks. */
export async function expectError(promise: Promise<unknown>, code: string): Promise<ServiceError> {
  try {
    await promise;
  } catch (err) {
    if (errorCode(err) !== code) throw new Error(`expected ${code}, got ${errorCode(err)}: ${(err as Error).message}`);
    return err as ServiceError;
  }
  throw new Error(`expected ${code}, but the call succeeded`);
}

/** The claims of a session's tokens. */
export function claims(session: CognitoUserSession): { id: Record<string, unknown>; access: Record<string, unknown> } {
  return { id: session.getIdToken().decodePayload(), access: session.getAccessToken().decodePayload() };
}

/** Tokens as the cognito-user-pool wrapper (seed 002) returns them from login, loginMfa and refreshSession. */
export interface WrapperTokens {
  refreshToken: string;
  accessToken: string;
  accessTokenExpiresAt: number;
  idToken: string;
  idTokenExpiresAt: number;
}

/** What the wrapper's login returns when a challenge comes first. */
export interface WrapperNextStep {
  nextStep: "MFA_AUTH" | "NEW_PASSWORD_REQUIRED";
  loginSession: string;
}

function wrapperTokens(session: CognitoUserSession): WrapperTokens {
  return {
    refreshToken: session.getRefreshToken().getToken(),
    accessToken: session.getAccessToken().getJwtToken(),
    accessTokenExpiresAt: session.getAccessToken().getExpiration(),
    idToken: session.getIdToken().getJwtToken(),
    idTokenExpiresAt: session.getIdToken().getExpiration(),
  };
}

/**
 * The public API of the cognito-user-pool wrapper (seed 002), rebuilt on amazon-cognito-identity-js the way such a
 * backend wrapper works: it keeps no state between calls. Every call builds a fresh CognitoUser; a challenge continues
 * from the `loginSession` the caller hands back, and a signed-in call first turns the caller's refresh token into a
 * session (refreshSession) and then acts with it. Errors are the service's, unchanged.
 */
export class StatelessUserPoolWrapper {
  constructor(private readonly pool: CognitoUserPool) {}

  private user(username: string): CognitoUser {
    return cognitoUser(this.pool, username);
  }

  /** A user object signed in from the caller's refresh token. */
  private async signedIn(username: string, refreshToken: string): Promise<CognitoUser> {
    const user = this.user(username);
    const session = await refreshSession(user, new CognitoRefreshToken({ RefreshToken: refreshToken }));
    user.setSignInUserSession(session);
    return user;
  }

  signup(params: { username: string; password: string; attributes: Array<{ Name: string; Value: string }> }): Promise<ISignUpResult> {
    return signUp(this.pool, params.username, params.password, Object.fromEntries(params.attributes.map((a) => [a.Name, a.Value])));
  }

  signupConfirm(params: { username: string; confirmationCode: string }): Promise<string> {
    return confirmRegistration(this.user(params.username), params.confirmationCode);
  }

  signupResend(params: { username: string }): Promise<unknown> {
    return resendConfirmationCode(this.user(params.username));
  }

  async login(params: { username: string; password: string }): Promise<WrapperTokens | WrapperNextStep> {
    const user = this.user(params.username);
    const next = await authenticate(user, params.password);
    switch (next.kind) {
      case "signedIn":
        return wrapperTokens(next.session);
      case "mfaRequired":
        return { nextStep: "MFA_AUTH", loginSession: challengeSession(user) };
      case "newPasswordRequired":
        return { nextStep: "NEW_PASSWORD_REQUIRED", loginSession: challengeSession(user) };
      default:
        throw new Error(`the wrapper has no step for ${next.kind}`);
    }
  }

  async loginMfa(params: { username: string; loginSession: string; mfaCode: string }): Promise<WrapperTokens> {
    const next = await sendMFACode(resumeChallenge(this.user(params.username), params.loginSession), params.mfaCode);
    if (next.kind !== "signedIn") throw new Error(`expected tokens, got the ${next.kind} step`);
    return wrapperTokens(next.session);
  }

  async loginNewPasswordRequired(params: { username: string; loginSession: string; newPassword: string }): Promise<WrapperTokens | WrapperNextStep> {
    const user = resumeChallenge(this.user(params.username), params.loginSession);
    const next = await completeNewPasswordChallenge(user, params.newPassword);
    if (next.kind === "signedIn") return wrapperTokens(next.session);
    if (next.kind === "mfaRequired") return { nextStep: "MFA_AUTH", loginSession: challengeSession(user) };
    throw new Error(`the wrapper has no step for ${next.kind}`);
  }

  async refreshSession(params: { username: string; refreshToken: string }): Promise<WrapperTokens> {
    const session = await refreshSession(this.user(params.username), new CognitoRefreshToken({ RefreshToken: params.refreshToken }));
    return wrapperTokens(session);
  }

  /** Global sign-out: every token of the user stops working. */
  async logout(params: { username: string; refreshToken: string }): Promise<string> {
    return globalSignOut(await this.signedIn(params.username, params.refreshToken));
  }

  /** The user's MFA options, or null without MFA. */
  async getMfa(params: { username: string; refreshToken: string }): Promise<Array<{ DeliveryMedium: string; AttributeName: string }> | null> {
    return (await getMFAOptions(await this.signedIn(params.username, params.refreshToken))) ?? null;
  }

  async setMfa(params: { username: string; refreshToken: string; enableMfa: boolean }): Promise<string> {
    const user = await this.signedIn(params.username, params.refreshToken);
    return params.enableMfa ? enableMFA(user) : disableMFA(user);
  }

  async profile(params: { username: string; refreshToken: string }): Promise<Record<string, string>> {
    return getUserAttributes(await this.signedIn(params.username, params.refreshToken));
  }

  /** Updates attributes; an attribute whose Value is left empty is removed. phone_number goes through profileEditPhoneNumber. */
  async profileEdit(params: { username: string; refreshToken: string; attributes: Array<{ Name: string; Value: string | null }> }): Promise<string> {
    const user = await this.signedIn(params.username, params.refreshToken);
    const updates = params.attributes.filter((a) => a.Name !== "phone_number" && a.Value !== null) as Array<{ Name: string; Value: string }>;
    const deletions = params.attributes.filter((a) => a.Name !== "phone_number" && a.Value === null).map((a) => a.Name);
    if (updates.length) await nodeCall<string>((cb) => user.updateAttributes(updates.map((a) => new CognitoUserAttribute(a)), cb));
    return deleteAttributes(user, deletions);
  }

  async profileAttributeConfirm(params: { username: string; refreshToken: string; attribute: string; confirmationCode: string }): Promise<string> {
    return verifyAttribute(await this.signedIn(params.username, params.refreshToken), params.attribute, params.confirmationCode);
  }

  /** Sets the phone number, or removes it (and turns SMS MFA off) when none is given. */
  async profileEditPhoneNumber(params: { username: string; refreshToken: string; phone_number?: string | null }): Promise<string> {
    const user = await this.signedIn(params.username, params.refreshToken);
    if (params.phone_number) return updateAttributes(user, { phone_number: params.phone_number });
    await disableMFA(user);
    return deleteAttributes(user, ["phone_number"]);
  }

  async passwordChange(params: { username: string; refreshToken: string; oldPassword: string; newPassword: string }): Promise<string> {
    return changePassword(await this.signedIn(params.username, params.refreshToken), params.oldPassword, params.newPassword);
  }

  passwordForgot(params: { username: string }): Promise<unknown> {
    return forgotPassword(this.user(params.username));
  }

  passwordReset(params: { username: string; passwordResetCode: string; newPassword: string }): Promise<string> {
    return confirmPassword(this.user(params.username), params.passwordResetCode, params.newPassword);
  }
}
