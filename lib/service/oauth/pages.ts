// The HTML of the hosted sign-in pages: one accessible layout (landmarks, labelled fields, autocomplete hints, errors
// announced with role="alert" and tied to the fields with aria-describedby), strict security headers (no framing, no
// scripts, no caching, no referrer), the app client's theme (theme.ts: its CSS after the page's own, its logo above
// the form; elements carry the classic hosted UI's customizable classes), and the sign-in (with a button per external identity provider of the client, under
// "Sign in with your corporate ID" as AWS's hosted UI shows them), new-password and code forms.
import type { RouteAnswer } from "../http-server";
import type { PageTheme } from "./theme";

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f2f3f3;color:#16191f;margin:0}
main{max-width:24rem;margin:4rem auto;background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 4px rgba(0,0,0,.15)}
h1{font-size:1.4rem;margin:0 0 1.25rem}
label{display:block;font-weight:600;margin:1rem 0 .35rem}
input{box-sizing:border-box;width:100%;padding:.6rem;font-size:1rem;border:1px solid #687078;border-radius:4px}
input:focus{outline:3px solid #0972d3;outline-offset:1px}
input[aria-invalid=true]{border-color:#d91515}
button{margin-top:1.5rem;width:100%;padding:.7rem;font-size:1rem;font-weight:600;color:#fff;background:#0972d3;border:0;border-radius:4px;cursor:pointer}
button:focus{outline:3px solid #16191f;outline-offset:2px}
.error{background:#fff7f7;border-left:4px solid #d91515;padding:.6rem .8rem;color:#a4140f;margin-bottom:1rem}
.hint{color:#5f6b7a;font-size:.9rem;margin:.35rem 0 0}
.idp{display:block;box-sizing:border-box;margin-top:.75rem;padding:.7rem;text-align:center;font-weight:600;color:#0972d3;border:2px solid #0972d3;border-radius:4px;text-decoration:none}
.idp:focus{outline:3px solid #16191f;outline-offset:2px}
.or{text-align:center;color:#5f6b7a;margin:1.5rem 0 0}
h2{font-size:1rem;margin:0}
.links{margin:1.25rem 0 0;text-align:center}
.redirect-customizable{color:#0972d3}
.notice{background:#f2f8fd;border-left:4px solid #0972d3;padding:.6rem .8rem;margin-bottom:1rem}
.banner-customizable{text-align:center;margin-bottom:1rem}
.logo-customizable{max-width:100%;max-height:6rem}
fieldset{border:0;padding:0;margin:1rem 0 0}
legend{font-weight:600;padding:0}
.choice{display:flex;align-items:center;gap:.5rem;margin:.5rem 0}
.choice input{width:auto}
.choice label{display:inline;margin:0;font-weight:400}
.secret{font-family:monospace;word-break:break-all;background:#f2f3f3;padding:.4rem}
.qr{display:block;margin:1rem auto;width:200px;height:200px;image-rendering:pixelated}
ul.hint{padding-left:1.2rem}
`;

/** A full page with the hosted UI's security headers. */
export function page(status: number, title: string, content: string, cookies: string[] = [], theme?: PageTheme): RouteAnswer {
  const banner = theme?.logo ? `<div class="banner-customizable"><img class="logo-customizable" src="${escapeHtml(theme.logo.src)}" alt="${escapeHtml(theme.logo.alt)}"></div>\n` : "";
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
${theme?.css ? `<style>${theme.css}</style>\n` : ""}</head>
<body>
<main class="background-customizable">
${banner}${content}
</main>
</body>
</html>
`;
  return {
    status,
    body: null,
    text: html,
    contentType: "text/html; charset=utf-8",
    headers: {
      "cache-control": "no-store",
      pragma: "no-cache",
      "x-frame-options": "DENY",
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'",
      "referrer-policy": "no-referrer",
      "x-content-type-options": "nosniff",
      ...(cookies.length ? { "set-cookie": cookies } : {}),
    },
  };
}

function errorBlock(error: string | undefined): string {
  return error ? `<div class="error errorMessage-customizable" role="alert" id="form-error">${escapeHtml(error)}</div>\n` : "";
}

function invalidAttrs(error: string | undefined): string {
  return error ? ` aria-invalid="true" aria-describedby="form-error"` : "";
}

export interface FormContext {
  /** Where the form posts (the /login URL with the authorize parameters). */
  action: string;
  csrf: string;
  error?: string;
  cookies?: string[];
  /** The client's terms documents (CreateTerms), linked below the form. */
  terms?: { termsOfUse: string; privacyPolicy: string };
  /** Links under the form (to the other pages), as HTML. */
  footer?: string;
  /** The app client's branding. */
  theme?: PageTheme;
}

/** Links to the client's terms of use and privacy policy; a link that is not http(s) is shown as text, not followed. */
export function termsBlock(terms: FormContext["terms"]): string {
  if (!terms) return "";
  const link = (href: string, text: string) => (/^https?:\/\//i.test(href) ? `<a href="${escapeHtml(href)}" rel="noopener noreferrer">${text}</a>` : `${text} (${escapeHtml(href)})`);
  return `\n<p class="legal">${link(terms.termsOfUse, "Terms of use")} · ${link(terms.privacyPolicy, "Privacy policy")}</p>`;
}

/** An external identity provider the sign-in page offers: its name and where its button leads. */
export interface ProviderButton {
  name: string;
  href: string;
}

/** The buttons of the client's external identity providers. */
function providerSection(providers: ProviderButton[], withForm: boolean): string {
  if (providers.length === 0) return "";
  const buttons = providers.map((p) => `<a class="idp idpButton-customizable" href="${escapeHtml(p.href)}">${escapeHtml(p.name)}</a>`).join("\n");
  return `<section aria-labelledby="corporate-id">
<h2 id="corporate-id">Sign in with your corporate ID</h2>
${buttons}
</section>
${withForm ? `<p class="or">or</p>\n` : ""}`;
}

/**
 * The sign-in page: a button per external identity provider of the client, and the username (or email) and password
 * form unless the client signs in through external providers only.
 */
export function signInPage(form: FormContext, usernameLabel: string, username = "", providers: ProviderButton[] = [], withForm = true): RouteAnswer {
  const emailLike = usernameLabel === "Email";
  if (!withForm) return page(200, "Sign in", `<h1>Sign in</h1>\n${errorBlock(form.error)}${providerSection(providers, false)}${termsBlock(form.terms)}`, form.cookies, form.theme);
  return page(form.error ? 200 : 200, "Sign in", `<h1>Sign in</h1>
${errorBlock(form.error)}${providerSection(providers, true)}<form method="post" action="${escapeHtml(form.action)}" novalidate>
<input type="hidden" name="_csrf" value="${escapeHtml(form.csrf)}">
<input type="hidden" name="step" value="password">
<label class="label-customizable" for="username">${escapeHtml(usernameLabel)}</label>
<input class="inputField-customizable" id="username" name="username" type="${emailLike ? "email" : "text"}" autocomplete="username" autocapitalize="none" spellcheck="false" required value="${escapeHtml(username)}"${invalidAttrs(form.error)}>
<label class="label-customizable" for="password">Password</label>
<input class="inputField-customizable" id="password" name="password" type="password" autocomplete="current-password" required${invalidAttrs(form.error)}>
<button type="submit" class="submitButton-customizable">Sign in</button>
</form>${form.footer ?? ""}${termsBlock(form.terms)}`, form.cookies, form.theme);
}

/** A labelled text field for a user attribute (`userAttributes.<name>` in the form). */
export function attributeField(name: string, value = "", invalid = false): string {
  const label = ATTRIBUTE_LABELS[name] ?? name.replace(/^custom:/, "").replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
  const type = name === "email" ? "email" : name === "phone_number" ? "tel" : name === "birthdate" ? "date" : "text";
  const autocomplete = AUTOCOMPLETE[name] ?? "off";
  const id = `attr-${name.replace(/[^A-Za-z0-9_-]/g, "-")}`;
  return `<label class="label-customizable" for="${escapeHtml(id)}">${escapeHtml(label)}</label>
<input class="inputField-customizable" id="${escapeHtml(id)}" name="userAttributes.${escapeHtml(name)}" type="${type}" autocomplete="${autocomplete}" required value="${escapeHtml(value)}"${invalid ? ` aria-invalid="true" aria-describedby="form-error"` : ""}>
`;
}

const ATTRIBUTE_LABELS: Record<string, string> = {
  email: "Email", phone_number: "Phone number", name: "Name", given_name: "Given name", family_name: "Family name", middle_name: "Middle name",
  nickname: "Nickname", preferred_username: "Preferred username", birthdate: "Birthdate", gender: "Gender", locale: "Locale", zoneinfo: "Zone info",
  address: "Address", website: "Website", picture: "Picture", profile: "Profile",
};
const AUTOCOMPLETE: Record<string, string> = {
  email: "email", phone_number: "tel", name: "name", given_name: "given-name", family_name: "family-name", middle_name: "additional-name",
  nickname: "nickname", birthdate: "bday", gender: "sex", address: "street-address", website: "url", picture: "photo", locale: "language",
};

/** NEW_PASSWORD_REQUIRED: the user must replace a temporary password (and give the required attributes it lacks). */
export function newPasswordPage(form: FormContext, requiredAttributes: string[] = []): RouteAnswer {
  return page(200, "Change password", `<h1>Change password</h1>
<p class="textDescription-customizable">Please enter a new password.</p>
${errorBlock(form.error)}<form method="post" action="${escapeHtml(form.action)}" novalidate>
<input type="hidden" name="_csrf" value="${escapeHtml(form.csrf)}">
<input type="hidden" name="step" value="challenge">
<label class="label-customizable" for="new_password">New password</label>
<input class="inputField-customizable" id="new_password" name="new_password" type="password" autocomplete="new-password" required${invalidAttrs(form.error)}>
<label class="label-customizable" for="confirm_password">Enter new password again</label>
<input class="inputField-customizable" id="confirm_password" name="confirm_password" type="password" autocomplete="new-password" required${invalidAttrs(form.error)}>
${requiredAttributes.map((name) => attributeField(name)).join("")}<button type="submit" class="submitButton-customizable">Send</button>
</form>`, form.cookies, form.theme);
}

/** SOFTWARE_TOKEN_MFA, SMS_MFA or EMAIL_OTP (as MFA or as a passwordless first factor): a one-time code. */
export function codePage(form: FormContext, challenge: string, destination?: string): RouteAnswer {
  const to = destination ? ` to ${escapeHtml(destination)}` : "";
  const intro = challenge === "SOFTWARE_TOKEN_MFA"
    ? "Enter the code from your authenticator app."
    : challenge === "EMAIL_OTP" ? `We have sent a code by email${to}. Enter it below.` : `We have sent a code by SMS${to}. Enter it below.`;
  return page(200, "Verify your identity", `<h1>Verify your identity</h1>
<p id="code-hint" class="textDescription-customizable">${intro}</p>
${errorBlock(form.error)}<form method="post" action="${escapeHtml(form.action)}" novalidate>
<input type="hidden" name="_csrf" value="${escapeHtml(form.csrf)}">
<input type="hidden" name="step" value="challenge">
<label class="label-customizable" for="code">Code</label>
<input class="inputField-customizable" id="code" name="code" type="text" inputmode="numeric" pattern="[0-9]*" autocomplete="one-time-code" required aria-describedby="code-hint${form.error ? " form-error" : ""}"${form.error ? ` aria-invalid="true"` : ""}>
<button type="submit" class="submitButton-customizable">Sign in</button>
</form>`, form.cookies, form.theme);
}

export { errorBlock, invalidAttrs };
