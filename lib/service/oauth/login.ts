// The hosted sign-in page (GET and POST /login): the username and password form, then the challenges a user can meet
// there (NEW_PASSWORD_REQUIRED with the required attributes the user lacks, MFA_SETUP for an authenticator app with
// its QR code or for email MFA with an address, first a choice when the pool offers both, SELECT_MFA_TYPE, SOFTWARE_TOKEN_MFA, SMS_MFA, EMAIL_OTP), all checked by the same code as the API's
// sign-in (lib/service/sign-in/) and MFA set-up (AssociateSoftwareToken, VerifySoftwareToken), with the messages users
// see on AWS. When the pool allows a passwordless first factor and the client USER_AUTH, the page signs in by choice
// as AWS's managed login does: the username first, then the factors open to that user (SELECT_CHALLENGE: password,
// a one-time code by email or SMS, a passkey), then the code page or the passkey step (passwordless-pages.ts).
// The other pages (account.ts) hand their sign-ins to continueSignIn here.
// CSRF: each flow has an `XSRF-TOKEN` cookie and the form carries an HMAC of it. Session fixation: a successful
// sign-in always starts a session under a new id and ends the flow and any session the browser had. The page offers a
// button per external identity provider of the client (to /oauth2/authorize with identity_provider), and links to the
// forgot-password and sign-up pages.
import { createHmac } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import * as OTPAuth from "otpauth";
import * as QRCode from "qrcode";
import { CognitoError } from "../errors";
import type { RouteAnswer } from "../http-server";
import type { AppClientRecord, UserRecord } from "../model";
import type { ServiceContext } from "../context";
import { hostedChoiceSignIn, hostedOffersChoice, hostedPasswordSignIn, hostedRespondToChallenge, type SignInFinish } from "../sign-in/hosted";
import { choicePage, mfaEmailSetupPage, mfaOptions, mfaSetupPage, pageLinks } from "./account-pages";
import { completeAuthorization, readAuthorizeRequest, SESSION_COOKIE, type AuthorizeRequest } from "./authorize";
import { ENDPOINTS, type EndpointName, type OAuthTarget } from "./domain";
import { cookie, cookiesOf, errorPage, formOf, safeEqual } from "./http";
import { externalProvidersOf } from "./federation";
import { oauthOf } from "./client-settings";
import { termsLinksFor } from "../operations/terms";
import { runPageOperation } from "./page-operations";
import { codePage, newPasswordPage, signInPage, type FormContext } from "./pages";
import { factorChoicePage, pageFactors, passkeyPage } from "./passwordless-pages";
import { FLOW_SECONDS, HOSTED_SESSION_SECONDS, runtimeOf, type LoginFlow } from "./runtime";
import { pageThemeFor, type PageTheme } from "./theme";

const FLOW_COOKIE = "XSRF-TOKEN";
/** The marker a finished sign-in returns instead of tokens. */
const SIGNED_IN = "HostedSignInUser";

export const finishWithUser: SignInFinish = async (user) => ({ [SIGNED_IN]: user });

/** A request to one of the hosted pages: its authorize parameters (checked), the client's theme, the browser's cookies. */
export interface HostedRequest {
  target: OAuthTarget;
  query: URLSearchParams;
  request: AuthorizeRequest;
  theme?: PageTheme;
  cookies: Map<string, string>;
}

/** Reads a hosted page's request: `{hosted}`, or the answer to give instead (a bad client or redirect URI, ...). */
export function readHostedRequest(ctx: ServiceContext, target: OAuthTarget, query: URLSearchParams, headers: IncomingHttpHeaders): { hosted: HostedRequest } | { answer: RouteAnswer } {
  const read = readAuthorizeRequest(ctx, target.pool, query);
  if ("answer" in read) return read;
  return { hosted: { target, query, request: read.request, theme: pageThemeFor(ctx, target.pool.Id, read.request.client.ClientId), cookies: cookiesOf(headers) } };
}

/** The URL of one of the hosted pages, with the authorize parameters. */
export function hostedUrl(hosted: HostedRequest, endpoint: EndpointName): string {
  return `${hosted.target.base}${ENDPOINTS[endpoint]}?${hosted.query.toString()}`;
}

export function usernameLabel(target: OAuthTarget): string {
  const attributes = target.pool.usernameAttributes;
  if (attributes.includes("email") && !attributes.includes("phone_number")) return "Email";
  if (attributes.includes("phone_number") && !attributes.includes("email")) return "Phone number";
  if (attributes.length > 0) return "Email or phone number";
  return "Username";
}

export function secretHash(client: AppClientRecord, username: string): string | undefined {
  return client.ClientSecret ? createHmac("sha256", client.ClientSecret).update(username + client.ClientId).digest("base64") : undefined;
}

/** Starts a flow on a page's GET: the form's CSRF token and the flow's cookie. */
export function beginFlow(ctx: ServiceContext, hosted: Pick<HostedRequest, "target">): { csrf: string; cookies: string[] } {
  const runtime = runtimeOf(ctx);
  const flowId = runtime.openFlow(hosted.target.pool.Id);
  return { csrf: runtime.csrfTokenOf(flowId), cookies: [cookie(FLOW_COOKIE, flowId, hosted.target.cookiePath, FLOW_SECONDS, hosted.target.secure)] };
}

/** The flow a POSTed form belongs to, its CSRF token checked; undefined when it did not come from a live page. */
export function resumeFlow(ctx: ServiceContext, hosted: Pick<HostedRequest, "target" | "cookies">, form: URLSearchParams): { flowId: string; flow: LoginFlow; csrf: string } | undefined {
  const runtime = runtimeOf(ctx);
  const flowId = hosted.cookies.get(FLOW_COOKIE);
  const flow = runtime.flows.get(flowId);
  const csrf = form.get("_csrf") ?? "";
  if (!flowId || !flow || flow.poolId !== hosted.target.pool.Id || !safeEqual(csrf, runtime.csrfTokenOf(flowId))) return undefined;
  return { flowId, flow, csrf };
}

export function expiredFlowPage(): RouteAnswer {
  return errorPage("Your sign-in session has expired or the form was not sent from this page. Please go back and sign in again.", 403);
}

/** The links under the sign-in form: forgot password, and sign-up unless only administrators create users. */
function signInLinks(hosted: HostedRequest): string {
  return pageLinks([
    { href: hostedUrl(hosted, "forgotPassword"), text: "Forgot your password?" },
    ...(hosted.target.pool.adminCreateUserOnly ? [] : [{ href: hostedUrl(hosted, "signUp"), text: "Sign up", prefix: "Need an account?" }]),
  ]);
}

/** GET and POST /login. */
export async function loginEndpoint(ctx: ServiceContext, target: OAuthTarget, method: string, query: URLSearchParams, headers: IncomingHttpHeaders, body: string): Promise<RouteAnswer> {
  const read = readHostedRequest(ctx, target, query, headers);
  if ("answer" in read) return read.answer;
  const hosted = read.hosted;
  const runtime = runtimeOf(ctx);
  const action = hostedUrl(hosted, "login");
  const label = usernameLabel(target);
  const supported = oauthOf(hosted.request.client).identityProviders;
  const withForm = supported.includes("COGNITO");
  const buttons = externalProvidersOf(ctx, target.pool.Id, supported).map((p) => {
    const params = new URLSearchParams(query);
    params.delete("idp_identifier");
    params.set("identity_provider", p.ProviderName);
    return { name: p.ProviderName, href: `${target.base}${ENDPOINTS.authorize}?${params.toString()}` };
  });
  const terms = termsLinksFor(ctx, target.pool.Id, hosted.request.client.ClientId);
  const footer = withForm ? signInLinks(hosted) : "";
  const byChoice = withForm && hostedOffersChoice(target.pool, hosted.request.client);
  const showSignIn = (form: FormContext, username = "") => signInPage({ ...form, footer, terms, theme: hosted.theme }, label, username, buttons, withForm, byChoice);

  if (method !== "POST") return showSignIn({ action, ...beginFlow(ctx, hosted) });
  if (!withForm) return errorPage("Login option is not available. Please try another one");

  const form = formOf(headers, body);
  const resumed = resumeFlow(ctx, hosted, form);
  if (!resumed) return expiredFlowPage();
  const { flowId, flow, csrf } = resumed;
  const formContext = (error?: string): FormContext => ({ action, csrf, error, theme: hosted.theme });

  try {
    if (form.get("step") === "challenge") {
      const challenge = flow.challenge;
      if (!challenge) return showSignIn(formContext("Your session has expired. Please sign in again."));
      return await answerChallenge(ctx, hosted, flowId, flow, challenge, form, formContext, () => {
        runtime.flows.set(flowId, { ...flow, challenge: undefined });
      }, showSignIn);
    }

    const username = (form.get("username") ?? "").trim();
    if (form.get("step") === "username") {
      if (username === "") return showSignIn(formContext(`Please enter your ${label.toLowerCase()}.`));
      try {
        return await continueSignIn(ctx, hosted, flowId, await hostedChoiceSignIn(ctx, target.pool, hosted.request.client, username, secretHash(hosted.request.client, username)), csrf, username);
      } catch (e) {
        if (!(e instanceof CognitoError)) throw e;
        return showSignIn(formContext(e.message), username);
      }
    }
    const password = form.get("password") ?? "";
    if (username === "" || password === "") return showSignIn(formContext("Please enter your username and password."), username);
    try {
      return await continueSignIn(ctx, hosted, flowId, await hostedPasswordSignIn(ctx, target.pool, hosted.request.client, username, password, finishWithUser), csrf);
    } catch (e) {
      if (!(e instanceof CognitoError)) throw e;
      return showSignIn(formContext(e.message), username);
    }
  } finally {
    // Failed attempts, lockouts, changed passwords and new sessions are writes: durable before the page is sent.
    await ctx.state.commit();
  }
}

type Challenge = NonNullable<LoginFlow["challenge"]>;

/** Answers the flow's pending challenge with the form: the next step, or the same page with AWS's message. */
async function answerChallenge(
  ctx: ServiceContext, hosted: HostedRequest, flowId: string, flow: LoginFlow, challenge: Challenge, form: URLSearchParams,
  formContext: (error?: string) => FormContext, endChallenge: () => void, showSignIn: (form: FormContext, username?: string) => RouteAnswer,
): Promise<RouteAnswer> {
  const { pool } = hosted.target;
  const client = hosted.request.client;
  const again = (error: string) => challengePage(hosted, challenge, formContext(error));
  const responses: Record<string, string> = { USERNAME: challenge.username };
  const hash = secretHash(client, challenge.username);
  if (hash) responses.SECRET_HASH = hash;
  let session = challenge.session;
  try {
    switch (challenge.name) {
      case "NEW_PASSWORD_REQUIRED": {
        const newPassword = form.get("new_password") ?? "";
        if (newPassword === "") return again("Please enter a new password.");
        if (newPassword !== form.get("confirm_password")) return again("Passwords do not match.");
        responses.NEW_PASSWORD = newPassword;
        for (const name of challenge.requiredAttributes ?? []) {
          const value = (form.get(`userAttributes.${name}`) ?? "").trim();
          if (value !== "") responses[`userAttributes.${name}`] = value;
        }
        break;
      }
      case "SELECT_MFA_TYPE": {
        const answer = form.get("mfa") ?? "";
        if (!(challenge.options ?? []).includes(answer)) return again("Please choose a method.");
        responses.ANSWER = answer;
        break;
      }
      case "SELECT_CHALLENGE": {
        const factor = form.get("factor") ?? "";
        if (!(challenge.options ?? []).includes(factor)) return again("Please choose a way to sign in.");
        if (factor === "PASSWORD") {
          const password = form.get("password") ?? "";
          if (password === "") return again("Please enter your password.");
          responses.PASSWORD = password;
        }
        responses.ANSWER = factor;
        break;
      }
      case "WEB_AUTHN": {
        const credential = form.get("credential") ?? "";
        if (credential === "") return again("Please use your passkey to continue.");
        responses.CREDENTIAL = credential;
        break;
      }
      case "MFA_SETUP": {
        if (challenge.setUp === undefined) {
          const choice = form.get("mfa") ?? "";
          if (choice !== "SOFTWARE_TOKEN_MFA" && choice !== "EMAIL_OTP") return again("Please choose a method.");
          if (!(challenge.options ?? []).includes(choice)) return again("Please choose a method.");
          const chosen: Challenge = { ...challenge, setUp: choice };
          if (choice === "SOFTWARE_TOKEN_MFA") await prepareTotpSetup(ctx, hosted, chosen);
          runtimeOf(ctx).flows.set(flowId, { ...flow, challenge: chosen });
          return await challengePage(hosted, chosen, formContext());
        }
        if (challenge.setUp === "EMAIL_OTP") {
          const email = (form.get("email") ?? "").trim();
          if (email === "") return again("Please enter your email address.");
          responses.EMAIL = email;
          break;
        }
        const code = (form.get("code") ?? "").trim();
        if (code === "") return again("Please enter the code.");
        const verified = await runPageOperation(ctx, "VerifySoftwareToken", { Session: session, UserCode: code, FriendlyDeviceName: "Authenticator app" });
        session = String(verified.Session ?? session);
        break;
      }
      default: {
        const code = (form.get("code") ?? "").trim();
        if (code === "") return again("Please enter the code.");
        const member = { SMS_MFA: "SMS_MFA_CODE", SOFTWARE_TOKEN_MFA: "SOFTWARE_TOKEN_MFA_CODE", EMAIL_OTP: "EMAIL_OTP_CODE", SMS_OTP: "SMS_OTP_CODE" }[challenge.name];
        if (!member) return again("This step cannot be completed on this page.");
        responses[member] = code;
      }
    }
    const result = await hostedRespondToChallenge(ctx, pool, client, { ChallengeName: challenge.name, Session: session, ChallengeResponses: responses }, finishWithUser);
    return await continueSignIn(ctx, hosted, flowId, result, formContext().csrf, challenge.username);
  } catch (e) {
    if (!(e instanceof CognitoError)) throw e;
    if (e.type === "NotAuthorizedException") {
      endChallenge();
      return showSignIn(formContext(e.message), challenge.username);
    }
    return again(e.message);
  }
}

/** The page of a pending challenge. */
async function challengePage(hosted: HostedRequest, challenge: Challenge, form: FormContext): Promise<RouteAnswer> {
  switch (challenge.name) {
    case "SELECT_CHALLENGE":
      return factorChoicePage(form, challenge.username, challenge.options ?? [], hostedUrl(hosted, "login"));
    case "WEB_AUTHN":
      return passkeyPage(form, challenge.username, challenge.requestOptions ?? "{}", hostedUrl(hosted, "login"));
    case "NEW_PASSWORD_REQUIRED":
      return newPasswordPage(form, challenge.requiredAttributes);
    case "SELECT_MFA_TYPE":
      return choicePage(form, "Choose how to verify your identity", "Multi-factor authentication method", "mfa", mfaOptions(challenge.options ?? []));
    case "MFA_SETUP": {
      if (challenge.setUp === "EMAIL_OTP") return mfaEmailSetupPage(form);
      if (challenge.setUp === undefined) {
        return choicePage(form, "Set up multi-factor authentication", "Multi-factor authentication method", "mfa", mfaOptions(challenge.options ?? []));
      }
      return mfaSetupPage(form, await QRCode.toDataURL(challenge.otpauthUri ?? "", { errorCorrectionLevel: "M", margin: 2, scale: 6 }), challenge.secret ?? "");
    }
    default:
      return codePage(form, challenge.name, challenge.destination);
  }
}

/**
 * What follows a sign-in step on the hosted pages (the password, a challenge's answer, a sign-up): back to the app
 * when the user is through, else the page of the next challenge (stored in the flow, answered on /login).
 * `givenUsername`: the name the user gave, for challenges whose parameters do not name the user (SELECT_CHALLENGE,
 * the one-time code and passkey challenges).
 */
export async function continueSignIn(
  ctx: ServiceContext, hosted: HostedRequest, flowId: string, result: Record<string, unknown>, csrf: string, givenUsername?: string,
): Promise<RouteAnswer> {
  const runtime = runtimeOf(ctx);
  const user = result[SIGNED_IN] as UserRecord | undefined;
  if (user) return signedIn(ctx, hosted, user, flowId);
  const flow = runtime.flows.get(flowId);
  if (!flow) return expiredFlowPage();
  const name = String(result.ChallengeName ?? "");
  const session = String(result.Session ?? "");
  const parameters = (result.ChallengeParameters ?? {}) as Record<string, string>;
  const username = parameters.USER_ID_FOR_SRP ?? parameters.USERNAME ?? givenUsername ?? "";
  const challenge: Challenge = { name, session, username, destination: parameters.CODE_DELIVERY_DESTINATION };
  const form: FormContext = { action: hostedUrl(hosted, "login"), csrf, theme: hosted.theme };
  switch (name) {
    case "NEW_PASSWORD_REQUIRED":
      challenge.requiredAttributes = jsonList(parameters.requiredAttributes).map((a) => a.replace(/^userAttributes\./, ""));
      break;
    case "SELECT_MFA_TYPE":
      challenge.options = jsonList(parameters.MFAS_CAN_CHOOSE);
      break;
    case "SELECT_CHALLENGE":
      challenge.options = pageFactors(Array.isArray(result.AvailableChallenges) ? (result.AvailableChallenges as string[]) : []);
      break;
    case "WEB_AUTHN":
      challenge.requestOptions = parameters.CREDENTIAL_REQUEST_OPTIONS;
      break;
    case "MFA_SETUP": {
      // The page sets up an authenticator app or email MFA (SMS MFA needs a phone number first, outside the sign-in).
      const methods = jsonList(parameters.MFAS_CAN_SETUP).filter((m): m is "SOFTWARE_TOKEN_MFA" | "EMAIL_OTP" => m === "SOFTWARE_TOKEN_MFA" || m === "EMAIL_OTP");
      if (methods.length > 1) challenge.options = methods;
      else challenge.setUp = methods[0];
      if (challenge.setUp === "SOFTWARE_TOKEN_MFA") await prepareTotpSetup(ctx, hosted, challenge);
      break;
    }
    case "SMS_MFA":
    case "SOFTWARE_TOKEN_MFA":
    case "EMAIL_OTP":
    case "SMS_OTP":
      break;
    default:
      return errorPage(`This user must complete ${name}, which the hosted sign-in page does not offer; sign in through the API instead.`);
  }
  if (name === "MFA_SETUP" && !challenge.setUp && !challenge.options) return errorPage("MFA is required, but the user has no MFA method the hosted pages can set up.");
  runtime.flows.set(flowId, { ...flow, challenge });
  return challengePage(hosted, challenge, form);
}

/** An authenticator app's set-up in MFA_SETUP: AssociateSoftwareToken's secret and its otpauth:// URI, into `challenge`. */
async function prepareTotpSetup(ctx: ServiceContext, hosted: HostedRequest, challenge: Challenge): Promise<void> {
  const associated = await runPageOperation(ctx, "AssociateSoftwareToken", { Session: challenge.session });
  const secret = String(associated.SecretCode ?? "");
  const account = ctx.state.userByUsername(hosted.target.pool, challenge.username);
  const label = account?.attributes.email ?? account?.attributes.phone_number ?? challenge.username;
  Object.assign(challenge, {
    session: String(associated.Session ?? challenge.session),
    secret,
    otpauthUri: new OTPAuth.TOTP({ issuer: hosted.target.pool.Name, label, secret: OTPAuth.Secret.fromBase32(secret) }).toString(),
  });
}

function jsonList(text: string | undefined): string[] {
  try {
    const value: unknown = JSON.parse(text ?? "[]");
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  } catch {
    return [];
  }
}

/** The user is through: a new session id (never one that existed before), the flow is over, back to the app. */
function signedIn(ctx: ServiceContext, hosted: HostedRequest, user: UserRecord, flowId: string): Promise<RouteAnswer> {
  const { target, request } = hosted;
  const runtime = runtimeOf(ctx);
  runtime.flows.delete(flowId);
  runtime.sessions.delete(hosted.cookies.get(SESSION_COOKIE));
  const authTime = ctx.now();
  const sessionId = runtime.openSession(target.pool.Id, user.username, authTime);
  const cookies = [
    cookie(SESSION_COOKIE, sessionId, target.cookiePath, HOSTED_SESSION_SECONDS, target.secure),
    cookie(FLOW_COOKIE, "", target.cookiePath, 0, target.secure),
  ];
  return completeAuthorization(ctx, target.pool, user, authTime, request, cookies);
}
