// The HTML of the hosted pages beyond sign-in: sign-up (the pool's required attributes and its password policy as
// hints), the confirmation code with a resend button, forgot password and its reset, MFA set-up for an authenticator
// app (a QR code of the otpauth:// URI and the secret as text) and the choice of an MFA method. Same layout, labels and
// error announcements as pages.ts; every form posts back with the flow's CSRF token and works without JavaScript.
import type { RouteAnswer } from "../http-server";
import type { PasswordPolicy } from "../model";
import { attributeField, errorBlock, escapeHtml, invalidAttrs, page, termsBlock, type FormContext } from "./pages";

const MFA_LABELS: Record<string, string> = { SOFTWARE_TOKEN_MFA: "Authenticator app", SMS_MFA: "Text message (SMS)", EMAIL_OTP: "Email" };

function formStart(form: FormContext, step?: string): string {
  return `${errorBlock(form.error)}<form method="post" action="${escapeHtml(form.action)}" novalidate>
<input type="hidden" name="_csrf" value="${escapeHtml(form.csrf)}">
${step ? `<input type="hidden" name="step" value="${escapeHtml(step)}">\n` : ""}`;
}

function notice(text: string | undefined): string {
  return text ? `<p class="notice textDescription-customizable" role="status">${escapeHtml(text)}</p>\n` : "";
}

/** The password policy as the list the sign-up page shows under the password field. */
export function passwordHints(policy: PasswordPolicy): string[] {
  const hints = [`At least ${policy.MinimumLength} characters`];
  if (policy.RequireLowercase) hints.push("Contains a lowercase letter");
  if (policy.RequireUppercase) hints.push("Contains an uppercase letter");
  if (policy.RequireNumbers) hints.push("Contains a number");
  if (policy.RequireSymbols) hints.push("Contains a special character");
  return hints;
}

function passwordField(id: string, label: string, hints: string[], invalid: string): string {
  const hintList = hints.length
    ? `<ul class="hint" id="${id}-hint">${hints.map((h) => `<li class="passwordCheck-notValid-customizable">${escapeHtml(h)}</li>`).join("")}</ul>\n`
    : "";
  return `<label class="label-customizable" for="${id}">${escapeHtml(label)}</label>
<input class="inputField-customizable" id="${id}" name="${id}" type="password" autocomplete="new-password" required${hints.length ? ` aria-describedby="${id}-hint"` : ""}${invalid}>
${hintList}`;
}

export interface SignUpFields {
  /** The label of the username field ("Username", "Email", ...) and the attribute it is, when it is one. */
  usernameLabel: string;
  usernameAttribute?: string;
  /** The attributes asked for besides the username, in order. */
  attributes: string[];
  values: Record<string, string>;
  policy: PasswordPolicy;
}

/** /signup. */
export function signUpPage(form: FormContext, fields: SignUpFields): RouteAnswer {
  const invalid = invalidAttrs(form.error);
  const type = fields.usernameAttribute === "email" ? "email" : fields.usernameAttribute === "phone_number" ? "tel" : "text";
  return page(200, "Sign up", `<h1>Sign up</h1>
${formStart(form)}<label class="label-customizable" for="username">${escapeHtml(fields.usernameLabel)}</label>
<input class="inputField-customizable" id="username" name="username" type="${type}" autocomplete="username" autocapitalize="none" spellcheck="false" required value="${escapeHtml(fields.values.username ?? "")}"${invalid}>
${fields.attributes.map((name) => attributeField(name, fields.values[name] ?? "", !!form.error)).join("")}${passwordField("password", "Password", passwordHints(fields.policy), invalid)}<button type="submit" class="submitButton-customizable">Sign up</button>
</form>${form.footer ?? ""}${termsBlock(form.terms)}`, form.cookies, form.theme);
}

/** /confirmUser: the code sent at sign-up, and a button that sends another (to /resendcode). */
export function confirmSignUpPage(form: FormContext, username: string, resendAction: string, destination?: string, sent?: string): RouteAnswer {
  const where = destination ? ` to ${escapeHtml(destination)}` : "";
  return page(200, "Confirm account", `<h1>Confirm account</h1>
${notice(sent)}<p id="code-hint" class="textDescription-customizable">We have sent a code${where}. Enter it below to confirm your account.</p>
${formStart(form)}<input type="hidden" name="username" value="${escapeHtml(username)}">
<label class="label-customizable" for="code">Verification code</label>
<input class="inputField-customizable" id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required aria-describedby="code-hint${form.error ? " form-error" : ""}"${form.error ? ` aria-invalid="true"` : ""}>
<button type="submit" class="submitButton-customizable">Confirm account</button>
</form>
<form method="post" action="${escapeHtml(resendAction)}" novalidate>
<input type="hidden" name="_csrf" value="${escapeHtml(form.csrf)}">
<input type="hidden" name="username" value="${escapeHtml(username)}">
<p class="links">Didn't receive a code? <button type="submit" class="redirect-customizable" style="width:auto;margin:0;padding:.2rem .4rem;background:none;color:#0972d3;text-decoration:underline">Send a new code</button></p>
</form>${form.footer ?? ""}`, form.cookies, form.theme);
}

/** /confirmUser reached from a link: the username and the code. */
export function confirmUserPage(form: FormContext, usernameLabel: string, username: string): RouteAnswer {
  const invalid = invalidAttrs(form.error);
  return page(200, "Confirm account", `<h1>Confirm account</h1>
${formStart(form)}<label class="label-customizable" for="username">${escapeHtml(usernameLabel)}</label>
<input class="inputField-customizable" id="username" name="username" type="text" autocomplete="username" required value="${escapeHtml(username)}"${invalid}>
<label class="label-customizable" for="code">Verification code</label>
<input class="inputField-customizable" id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required${invalid}>
<button type="submit" class="submitButton-customizable">Confirm account</button>
</form>${form.footer ?? ""}`, form.cookies, form.theme);
}

/** /forgotPassword. */
export function forgotPasswordPage(form: FormContext, usernameLabel: string, username = ""): RouteAnswer {
  return page(200, "Forgot your password?", `<h1>Forgot your password?</h1>
<p class="textDescription-customizable" id="forgot-hint">Enter your ${escapeHtml(usernameLabel.toLowerCase())} below and we will send a message to reset your password.</p>
${formStart(form)}<label class="label-customizable" for="username">${escapeHtml(usernameLabel)}</label>
<input class="inputField-customizable" id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required value="${escapeHtml(username)}"${invalidAttrs(form.error)}>
<button type="submit" class="submitButton-customizable">Reset my password</button>
</form>${form.footer ?? ""}`, form.cookies, form.theme);
}

/** /confirmForgotPassword: the code and the new password. */
export function resetPasswordPage(form: FormContext, username: string, policy: PasswordPolicy, destination?: string): RouteAnswer {
  const invalid = invalidAttrs(form.error);
  const where = destination ? ` to ${escapeHtml(destination)}` : "";
  return page(200, "Reset your password", `<h1>Reset your password</h1>
<p id="code-hint" class="textDescription-customizable">We have sent a password reset code${where}. Enter it below to reset your password.</p>
${formStart(form)}<input type="hidden" name="username" value="${escapeHtml(username)}">
<label class="label-customizable" for="code">Code</label>
<input class="inputField-customizable" id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required aria-describedby="code-hint"${invalid ? ` aria-invalid="true"` : ""}>
${passwordField("password", "New password", passwordHints(policy), invalid)}<label class="label-customizable" for="confirm_password">Enter new password again</label>
<input class="inputField-customizable" id="confirm_password" name="confirm_password" type="password" autocomplete="new-password" required${invalid}>
<button type="submit" class="submitButton-customizable">Change password</button>
</form>${form.footer ?? ""}`, form.cookies, form.theme);
}

/** MFA_SETUP: the authenticator app's QR code and secret, then a code from it. */
export function mfaSetupPage(form: FormContext, qrDataUrl: string, secret: string): RouteAnswer {
  return page(200, "Set up an authenticator app", `<h1>Set up an authenticator app</h1>
<p class="textDescription-customizable">Multi-factor authentication is required. Scan this QR code with an authenticator app, or enter the secret key in the app, then enter the code it shows.</p>
<img class="qr" src="${escapeHtml(qrDataUrl)}" alt="QR code for your authenticator app" width="200" height="200">
<p class="textDescription-customizable">Secret key: <span class="secret" id="totp-secret">${escapeHtml(secret)}</span></p>
${formStart(form, "challenge")}<label class="label-customizable" for="code">Code from your authenticator app</label>
<input class="inputField-customizable" id="code" name="code" type="text" inputmode="numeric" pattern="[0-9]*" autocomplete="one-time-code" required${invalidAttrs(form.error)}>
<button type="submit" class="submitButton-customizable">Verify</button>
</form>`, form.cookies, form.theme);
}

/** SELECT_MFA_TYPE (and the passwordless choice of a first factor): one radio button per option. */
export function choicePage(form: FormContext, title: string, legend: string, name: string, options: Array<{ value: string; label: string }>): RouteAnswer {
  const radios = options.map((o, i) => `<div class="choice"><input type="radio" id="${name}-${i}" name="${name}" value="${escapeHtml(o.value)}"${i === 0 ? " checked" : ""}><label for="${name}-${i}">${escapeHtml(o.label)}</label></div>`).join("\n");
  return page(200, title, `<h1>${escapeHtml(title)}</h1>
${formStart(form, "challenge")}<fieldset>
<legend>${escapeHtml(legend)}</legend>
${radios}
</fieldset>
<button type="submit" class="submitButton-customizable">Continue</button>
</form>`, form.cookies, form.theme);
}

/** SELECT_MFA_TYPE's options. */
export function mfaOptions(methods: string[]): Array<{ value: string; label: string }> {
  return methods.map((m) => ({ value: m, label: MFA_LABELS[m] ?? m }));
}

/** The links under a page's form: back to sign-in, to sign-up, to forgot password. */
export function pageLinks(links: Array<{ href: string; text: string; prefix?: string }>): string {
  if (links.length === 0) return "";
  return `\n<nav class="links" aria-label="Other options">${links.map((l) => `<p>${l.prefix ? `${escapeHtml(l.prefix)} ` : ""}<a class="redirect-customizable" href="${escapeHtml(l.href)}">${escapeHtml(l.text)}</a></p>`).join("")}</nav>`;
}
