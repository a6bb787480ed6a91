// The managed-login passkey registration page, GET and POST /passkeys/add?client_id=...&redirect_uri=...: a user signed
// in on the hosted pages (the `cognito` session cookie, as authorize.ts reuses it for single sign-on) adds a passkey.
// The page carries the creation options of StartWebAuthnRegistration (webauthn.ts startRegistration) in a data-
// attribute; its nonce'd script hands them to navigator.credentials.create and posts the RegistrationResponseJSON back
// with the CSRF token, which CompleteWebAuthnRegistration's own code (completeRegistration) verifies and stores. Then the
// browser goes to redirect_uri, which must be one of the client's callback URLs (no open redirect). Without a session
// the browser goes to the sign-in page with the same parameters (response_type=code added when absent, so that page
// accepts the request).
import type { IncomingHttpHeaders } from "node:http";
import type { ServiceContext } from "../context";
import { CognitoError } from "../errors";
import type { RouteAnswer } from "../http-server";
import type { AppClientRecord, UserPoolRecord, UserRecord } from "../model";
import { completeRegistration, startRegistration } from "../webauthn";
import { readClientRedirect, signedInUser } from "./authorize";
import { ENDPOINTS, type OAuthTarget } from "./domain";
import { cookiesOf, formOf, redirect } from "./http";
import { beginFlow, expiredFlowPage, resumeFlow } from "./login";
import { errorBlock, escapeHtml, page } from "./pages";
import { passkeyButtonScript } from "./passwordless-pages";
import { pageThemeFor, type PageTheme } from "./theme";

/**
 * The registration click: base64url creation options in, navigator.credentials.create, the RegistrationResponseJSON
 * (base64url fields) out into the form's `credential` field, then the form is sent. A refusal or a cancelled prompt is
 * announced and the button offered again.
 */
const ADD_PASSKEY_SCRIPT = passkeyButtonScript("This browser does not support passkeys.", String.raw`
    const options = JSON.parse(form.dataset.options);
    const publicKey = {
      ...options, challenge: bytes(options.challenge), user: { ...options.user, id: bytes(options.user.id) },
      excludeCredentials: (options.excludeCredentials || []).map((c) => ({ ...c, id: bytes(c.id) })),
    };
    button.disabled = true;
    problem.textContent = "";
    try {
      const credential = await navigator.credentials.create({ publicKey });
      const r = credential.response;
      form.elements.credential.value = JSON.stringify({
        id: credential.id, rawId: text(credential.rawId), type: credential.type,
        authenticatorAttachment: credential.authenticatorAttachment || undefined, clientExtensionResults: credential.getClientExtensionResults(),
        response: { clientDataJSON: text(r.clientDataJSON), attestationObject: text(r.attestationObject), transports: r.getTransports ? r.getTransports() : undefined },
      });
      form.submit();
    } catch (e) {
      button.disabled = false;
      problem.textContent = "The passkey could not be created (" + (e && e.name ? e.name : "error") + "). Try again.";
    }
  `);

interface AddPasskeyForm {
  pool: UserPoolRecord;
  action: string;
  csrf: string;
  cookies: string[];
  redirectUri: string;
  theme?: PageTheme;
  /** The creation options (JSON); undefined when the user cannot add a passkey now (the error says why). */
  options?: string;
  error?: string;
}

/** The name the user signs in with: the email or phone number of a pool that signs in with them, else the username. */
function signInName(pool: UserPoolRecord, user: UserRecord): string {
  for (const attribute of pool.usernameAttributes) if (user.attributes[attribute]) return user.attributes[attribute];
  return user.username;
}

function addPasskeyPage(user: UserRecord, form: AddPasskeyForm): RouteAnswer {
  const button = form.options === undefined ? "" : `<form id="passkey-form" method="post" action="${escapeHtml(form.action)}" data-options="${escapeHtml(form.options)}" novalidate>
<input type="hidden" name="_csrf" value="${escapeHtml(form.csrf)}">
<input type="hidden" name="credential" value="">
<button type="button" id="passkey-button" class="submitButton-customizable" aria-describedby="passkey-hint" hidden>Add a passkey</button>
</form>
<p id="passkey-needs-script" class="error">Adding a passkey needs JavaScript. Turn it on and reload this page.</p>
`;
  return page(form.error && form.options === undefined ? 400 : 200, "Add a passkey", `<h1>Add a passkey</h1>
<p class="textDescription-customizable">Signed in as <strong>${escapeHtml(signInName(form.pool, user))}</strong>.</p>
<p id="passkey-hint" class="textDescription-customizable">Save a passkey on this device, in your password manager or on your security key, and use it to sign in next time.</p>
${errorBlock(form.error)}<div id="passkey-problem" class="errorMessage-customizable" role="alert"></div>
${button}<nav class="links" aria-label="Other options"><p><a class="redirect-customizable" href="${escapeHtml(form.redirectUri)}">Not now</a></p></nav>`, form.cookies, form.theme, form.options === undefined ? undefined : ADD_PASSKEY_SCRIPT);
}

/** The page with fresh creation options (StartWebAuthnRegistration's), or with the reason the user cannot add one. */
async function showPage(ctx: ServiceContext, target: OAuthTarget, client: AppClientRecord, user: UserRecord, form: Omit<AddPasskeyForm, "options">): Promise<RouteAnswer> {
  try {
    const options = JSON.stringify(await startRegistration(ctx, target.pool, user, client.ClientId));
    return addPasskeyPage(user, { ...form, options });
  } catch (e) {
    if (!(e instanceof CognitoError)) throw e;
    return addPasskeyPage(user, { ...form, error: e.message });
  }
}

/** GET and POST /passkeys/add. */
export async function addPasskeyEndpoint(ctx: ServiceContext, target: OAuthTarget, method: string, query: URLSearchParams, headers: IncomingHttpHeaders, body: string): Promise<RouteAnswer> {
  const checked = readClientRedirect(ctx, target.pool, query);
  if ("answer" in checked) return checked.answer;
  const { client, redirectUri } = checked;
  const signedIn = signedInUser(ctx, target, headers);
  if (!signedIn) {
    const login = new URLSearchParams(query);
    if (!login.has("response_type")) login.set("response_type", "code");
    return redirect(`${target.base}${ENDPOINTS.login}?${login.toString()}`);
  }
  const { user } = signedIn;
  const theme = pageThemeFor(ctx, target.pool.Id, client.ClientId);
  const action = `${target.base}${ENDPOINTS.addPasskey}?${query.toString()}`;
  if (method !== "POST") return showPage(ctx, target, client, user, { pool: target.pool, action, redirectUri, theme, ...beginFlow(ctx, { target }) });

  const form = formOf(headers, body);
  const resumed = resumeFlow(ctx, { target, cookies: cookiesOf(headers) }, form);
  if (!resumed) return expiredFlowPage();
  const again = { pool: target.pool, action, redirectUri, theme, csrf: resumed.csrf, cookies: [] };
  const credential = form.get("credential") ?? "";
  if (credential === "") return showPage(ctx, target, client, user, { ...again, error: "Choose Add a passkey and follow your browser's prompt." });
  try {
    await completeRegistration(ctx, target.pool, user, client.ClientId, credential);
    await ctx.state.commit();
    return redirect(redirectUri);
  } catch (e) {
    if (!(e instanceof CognitoError)) throw e;
    return showPage(ctx, target, client, user, { ...again, error: e.message });
  }
}
