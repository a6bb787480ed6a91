// The HTML of choice-based sign-in on the hosted pages: the choice of a first factor once the username is known
// (SELECT_CHALLENGE: the password, a one-time code by email or SMS, a passkey; one form, a submit button per factor, so
// it works without JavaScript), and the passkey step (WEB_AUTHN), the one page with a script: it hands the challenge's
// request options to navigator.credentials.get and posts the AuthenticationResponseJSON back in the form. Same layout,
// labels and CSRF token as pages.ts.
import type { RouteAnswer } from "../http-server";
import { errorBlock, escapeHtml, invalidAttrs, page, type FormContext } from "./pages";

/** The first factors the page offers besides the password, with their buttons' text, in the order shown. */
const OTHER_FACTORS: Array<{ factor: string; label: string }> = [
  { factor: "WEB_AUTHN", label: "Sign in with a passkey" },
  { factor: "EMAIL_OTP", label: "Email me a one-time code" },
  { factor: "SMS_OTP", label: "Text me a one-time code" },
];

/** The factors of AvailableChallenges a page can take (PASSWORD_SRP needs an SRP client, which a form is not). */
export function pageFactors(available: string[]): string[] {
  return available.filter((f) => f === "PASSWORD" || OTHER_FACTORS.some((o) => o.factor === f));
}

function signingInAs(username: string, otherUser: string): string {
  return `<p class="textDescription-customizable">Signing in as <strong>${escapeHtml(username)}</strong>. <a class="redirect-customizable" href="${escapeHtml(otherUser)}">Not you?</a></p>\n`;
}

/**
 * SELECT_CHALLENGE: the password field with its button first (so Enter signs in with the password), then a button per
 * other factor open to the user. `otherUser`: the sign-in page, to start again with another name.
 */
export function factorChoicePage(form: FormContext, username: string, factors: string[], otherUser: string): RouteAnswer {
  const password = factors.includes("PASSWORD")
    ? `<label class="label-customizable" for="password">Password</label>
<input class="inputField-customizable" id="password" name="password" type="password" autocomplete="current-password"${invalidAttrs(form.error)}>
<button type="submit" name="factor" value="PASSWORD" class="submitButton-customizable">Sign in</button>
`
    : "";
  const others = OTHER_FACTORS.filter((o) => factors.includes(o.factor));
  const otherButtons = others.length
    ? `${password ? `<p class="or">or</p>\n` : ""}<div role="group" aria-label="Other ways to sign in">
${others.map((o) => `<button type="submit" name="factor" value="${o.factor}" class="idp idpButton-customizable" style="background:#fff;width:100%">${escapeHtml(o.label)}</button>`).join("\n")}
</div>
`
    : "";
  return page(200, "Sign in", `<h1>Sign in</h1>
${signingInAs(username, otherUser)}${errorBlock(form.error)}<form method="post" action="${escapeHtml(form.action)}" novalidate>
<input type="hidden" name="_csrf" value="${escapeHtml(form.csrf)}">
<input type="hidden" name="step" value="challenge">
${password}${otherButtons}</form>${form.footer ?? ""}`, form.cookies, form.theme);
}

/**
 * A passkey page's script: hides the no-JavaScript notice, then (when the browser has WebAuthn) shows the button, whose
 * click runs `onClick` with `form`, `button`, `problem` and the base64url helpers `bytes` (text to bytes) and `text`
 * (bytes to text) in scope. Shared by the sign-in step here and the registration page (passkey-add.ts).
 */
export function passkeyButtonScript(unsupported: string, onClick: string): string {
  return String.raw`(() => {
  const form = document.getElementById("passkey-form");
  const button = document.getElementById("passkey-button");
  const problem = document.getElementById("passkey-problem");
  document.getElementById("passkey-needs-script").hidden = true;
  const bytes = (s) => Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((s.length + 3) % 4)), (c) => c.charCodeAt(0));
  const text = (buffer) => btoa(String.fromCharCode(...new Uint8Array(buffer))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  if (!window.PublicKeyCredential) {
    problem.textContent = ${JSON.stringify(unsupported)};
    return;
  }
  button.hidden = false;
  button.addEventListener("click", async () => {${onClick}});
})();`;
}

/**
 * The passkey step's click: base64url request options in, navigator.credentials.get, the AuthenticationResponseJSON
 * (base64url fields) out into the form's `credential` field, then the form is sent. A refusal or a cancelled prompt
 * is announced and the button offered again.
 */
const PASSKEY_SCRIPT = passkeyButtonScript("This browser does not support passkeys. Choose another way to sign in.", String.raw`
    const options = JSON.parse(form.dataset.options);
    const publicKey = { ...options, challenge: bytes(options.challenge), allowCredentials: (options.allowCredentials || []).map((c) => ({ ...c, id: bytes(c.id) })) };
    button.disabled = true;
    problem.textContent = "";
    try {
      const credential = await navigator.credentials.get({ publicKey });
      const r = credential.response;
      form.elements.credential.value = JSON.stringify({
        id: credential.id, rawId: text(credential.rawId), type: credential.type,
        authenticatorAttachment: credential.authenticatorAttachment || undefined, clientExtensionResults: credential.getClientExtensionResults(),
        response: { clientDataJSON: text(r.clientDataJSON), authenticatorData: text(r.authenticatorData), signature: text(r.signature), userHandle: r.userHandle ? text(r.userHandle) : undefined },
      });
      form.submit();
    } catch (e) {
      button.disabled = false;
      problem.textContent = "Your passkey could not be used (" + (e && e.name ? e.name : "error") + "). Try again, or choose another way to sign in.";
    }
  `);

/**
 * WEB_AUTHN: the challenge's CREDENTIAL_REQUEST_OPTIONS ride in the form (data-options); the button runs the passkey
 * prompt. Without JavaScript the page says so (the script hides that line) and links back to the other ways to sign in.
 */
export function passkeyPage(form: FormContext, username: string, requestOptions: string, otherWays: string): RouteAnswer {
  return page(200, "Sign in with a passkey", `<h1>Sign in with a passkey</h1>
${signingInAs(username, otherWays)}<p id="passkey-hint" class="textDescription-customizable">Use the passkey saved on this device, in your password manager or on your security key.</p>
${errorBlock(form.error)}<p id="passkey-needs-script" class="error">Passkey sign-in needs JavaScript. Turn it on, or choose another way to sign in.</p>
<div id="passkey-problem" class="errorMessage-customizable" role="alert"></div>
<form id="passkey-form" method="post" action="${escapeHtml(form.action)}" data-options="${escapeHtml(requestOptions)}" novalidate>
<input type="hidden" name="_csrf" value="${escapeHtml(form.csrf)}">
<input type="hidden" name="step" value="challenge">
<input type="hidden" name="credential" value="">
<button type="button" id="passkey-button" class="submitButton-customizable" aria-describedby="passkey-hint" hidden>Continue with passkey</button>
</form>
<nav class="links" aria-label="Other options"><p><a class="redirect-customizable" href="${escapeHtml(otherWays)}">Choose another way to sign in</a></p></nav>`, form.cookies, form.theme, PASSKEY_SCRIPT);
}
