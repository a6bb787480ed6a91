// The hosted sign-in page (GET and POST /login): the username and password form, then the challenges a user can meet
// there (NEW_PASSWORD_REQUIRED, SOFTWARE_TOKEN_MFA, SMS_MFA; SELECT_MFA_TYPE picks the authenticator app), all
// checked by the same code as the API's sign-in (lib/service/sign-in/), with the messages users see on AWS.
// CSRF: each flow has an `XSRF-TOKEN` cookie and the form carries an HMAC of it. Session fixation: a successful
// sign-in always starts a session under a new id and ends the flow and any session the browser had. The page offers a
// button per external identity provider of the client (to /oauth2/authorize with identity_provider).
import { createHmac } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { CognitoError } from "../errors";
import type { RouteAnswer } from "../http-server";
import type { AppClientRecord, UserRecord } from "../model";
import type { ServiceContext } from "../context";
import { hostedPasswordSignIn, hostedRespondToChallenge, type SignInFinish } from "../sign-in/hosted";
import { completeAuthorization, readAuthorizeRequest, SESSION_COOKIE, type AuthorizeRequest } from "./authorize";
import { ENDPOINTS, type OAuthTarget } from "./domain";
import { cookie, cookiesOf, errorPage, formOf, safeEqual } from "./http";
import { externalProvidersOf } from "./federation";
import { oauthOf } from "./client-settings";
import { termsLinksFor } from "../operations/terms";
import { codePage, newPasswordPage, signInPage, type FormContext } from "./pages";
import { FLOW_SECONDS, HOSTED_SESSION_SECONDS, runtimeOf, type LoginFlow } from "./runtime";

const FLOW_COOKIE = "XSRF-TOKEN";
/** The marker a finished sign-in returns instead of tokens. */
const SIGNED_IN = "HostedSignInUser";

const finishWithUser: SignInFinish = async (user) => ({ [SIGNED_IN]: user });

function usernameLabel(target: OAuthTarget): string {
  const attributes = target.pool.usernameAttributes;
  if (attributes.includes("email") && !attributes.includes("phone_number")) return "Email";
  if (attributes.includes("phone_number") && !attributes.includes("email")) return "Phone number";
  if (attributes.length > 0) return "Email or phone number";
  return "Username";
}

function secretHash(client: AppClientRecord, username: string): string | undefined {
  return client.ClientSecret ? createHmac("sha256", client.ClientSecret).update(username + client.ClientId).digest("base64") : undefined;
}

/** GET and POST /login. */
export async function loginEndpoint(ctx: ServiceContext, target: OAuthTarget, method: string, query: URLSearchParams, headers: IncomingHttpHeaders, body: string): Promise<RouteAnswer> {
  const read = readAuthorizeRequest(ctx, target.pool, query);
  if ("answer" in read) return read.answer;
  const runtime = runtimeOf(ctx);
  const action = `${target.base}${ENDPOINTS.login}?${query.toString()}`;
  const label = usernameLabel(target);
  const cookies = cookiesOf(headers);
  const supported = oauthOf(read.request.client).identityProviders;
  const withForm = supported.includes("COGNITO");
  const buttons = externalProvidersOf(ctx, target.pool.Id, supported).map((p) => {
    const params = new URLSearchParams(query);
    params.delete("idp_identifier");
    params.set("identity_provider", p.ProviderName);
    return { name: p.ProviderName, href: `${target.base}${ENDPOINTS.authorize}?${params.toString()}` };
  });
  const terms = termsLinksFor(ctx, target.pool.Id, read.request.client.ClientId);
  const showSignIn = (form: FormContext, username = "") => signInPage({ ...form, terms }, label, username, buttons, withForm);

  if (method !== "POST") {
    const flowId = runtime.openFlow(target.pool.Id);
    const flowCookie = cookie(FLOW_COOKIE, flowId, target.cookiePath, FLOW_SECONDS, target.secure);
    return showSignIn({ action, csrf: runtime.csrfTokenOf(flowId), cookies: [flowCookie] });
  }
  if (!withForm) return errorPage("Login option is not available. Please try another one");

  const form = formOf(headers, body);
  const flowId = cookies.get(FLOW_COOKIE);
  const flow = runtime.flows.get(flowId);
  const csrf = form.get("_csrf") ?? "";
  if (!flowId || !flow || flow.poolId !== target.pool.Id || !safeEqual(csrf, runtime.csrfTokenOf(flowId))) {
    return errorPage("Your sign-in session has expired or the form was not sent from this page. Please go back and sign in again.", 403);
  }
  const formContext = (error?: string) => ({ action, csrf, error });
  const request = read.request;

  const proceed = async (result: Record<string, unknown>): Promise<RouteAnswer> => {
    const user = result[SIGNED_IN] as UserRecord | undefined;
    if (user) return signedIn(ctx, target, request, user, flowId, cookies.get(SESSION_COOKIE));
    return showChallenge(ctx, target, request, flowId, flow, result, formContext());
  };

  try {
    if (form.get("step") === "challenge") {
      const challenge = flow.challenge;
      if (!challenge) return showSignIn(formContext("Your session has expired. Please sign in again."));
      const responses: Record<string, string> = { USERNAME: challenge.username };
      const hash = secretHash(request.client, challenge.username);
      if (hash) responses.SECRET_HASH = hash;
      if (challenge.name === "NEW_PASSWORD_REQUIRED") {
        const newPassword = form.get("new_password") ?? "";
        if (newPassword === "") return newPasswordPage(formContext("Please enter a new password."));
        if (newPassword !== form.get("confirm_password")) return newPasswordPage(formContext("Passwords do not match."));
        responses.NEW_PASSWORD = newPassword;
      } else {
        const code = (form.get("code") ?? "").trim();
        if (code === "") return codePage(formContext("Please enter the code."), challenge.name as "SMS_MFA", challenge.destination);
        responses[challenge.name === "SMS_MFA" ? "SMS_MFA_CODE" : "SOFTWARE_TOKEN_MFA_CODE"] = code;
      }
      try {
        const result = await hostedRespondToChallenge(ctx, target.pool, request.client, { ChallengeName: challenge.name, Session: challenge.session, ChallengeResponses: responses }, finishWithUser);
        return await proceed(result);
      } catch (e) {
        if (!(e instanceof CognitoError)) throw e;
        if (e.type === "NotAuthorizedException") {
          runtime.flows.set(flowId, { ...flow, challenge: undefined });
          return showSignIn(formContext(e.message));
        }
        if (challenge.name === "NEW_PASSWORD_REQUIRED") return newPasswordPage(formContext(e.message));
        return codePage(formContext(e.message), challenge.name as "SMS_MFA", challenge.destination);
      }
    }

    const username = (form.get("username") ?? "").trim();
    const password = form.get("password") ?? "";
    if (username === "" || password === "") return showSignIn(formContext("Please enter your username and password."), username);
    try {
      return await proceed(await hostedPasswordSignIn(ctx, target.pool, request.client, username, password, finishWithUser));
    } catch (e) {
      if (!(e instanceof CognitoError)) throw e;
      return showSignIn(formContext(e.message), username);
    }
  } finally {
    // Failed attempts, lockouts, changed passwords and new sessions are writes: durable before the page is sent.
    await ctx.state.commit();
  }
}

async function showChallenge(
  ctx: ServiceContext, target: OAuthTarget, request: AuthorizeRequest, flowId: string, flow: LoginFlow, result: Record<string, unknown>,
  form: { action: string; csrf: string },
): Promise<RouteAnswer> {
  const runtime = runtimeOf(ctx);
  let name = String(result.ChallengeName ?? "");
  let session = String(result.Session ?? "");
  let parameters = (result.ChallengeParameters ?? {}) as Record<string, string>;
  const username = parameters.USER_ID_FOR_SRP ?? parameters.USERNAME ?? "";
  if (name === "SELECT_MFA_TYPE") {
    // The hosted page offers the authenticator app when the user has both.
    const hash = secretHash(request.client, username);
    const next = await hostedRespondToChallenge(ctx, target.pool, request.client, {
      ChallengeName: name, Session: session, ChallengeResponses: { USERNAME: username, ANSWER: "SOFTWARE_TOKEN_MFA", ...(hash ? { SECRET_HASH: hash } : {}) },
    }, finishWithUser);
    name = String(next.ChallengeName ?? "");
    session = String(next.Session ?? "");
    parameters = (next.ChallengeParameters ?? {}) as Record<string, string>;
  }
  const destination = parameters.CODE_DELIVERY_DESTINATION;
  runtime.flows.set(flowId, { ...flow, challenge: { name, session, username, destination } });
  if (name === "NEW_PASSWORD_REQUIRED") return newPasswordPage(form);
  if (name === "SOFTWARE_TOKEN_MFA" || name === "SMS_MFA") return codePage(form, name, destination);
  return errorPage(`This user must complete ${name}, which the hosted sign-in page does not offer; sign in through the API instead.`);
}

/** The user is through: a new session id (never one that existed before), the flow is over, back to the app. */
function signedIn(ctx: ServiceContext, target: OAuthTarget, request: AuthorizeRequest, user: UserRecord, flowId: string, previousSession: string | undefined): Promise<RouteAnswer> {
  const runtime = runtimeOf(ctx);
  runtime.flows.delete(flowId);
  runtime.sessions.delete(previousSession);
  const authTime = ctx.now();
  const sessionId = runtime.openSession(target.pool.Id, user.username, authTime);
  const cookies = [
    cookie(SESSION_COOKIE, sessionId, target.cookiePath, HOSTED_SESSION_SECONDS, target.secure),
    cookie(FLOW_COOKIE, "", target.cookiePath, 0, target.secure),
  ];
  return completeAuthorization(ctx, target.pool, user, authTime, request, cookies);
}

