// The HTML of the hosted sign-in pages: one accessible layout (landmarks, labelled fields, autocomplete hints, errors
// announced with role="alert" and tied to the fields with aria-describedby), strict security headers (no framing, no
// scripts, no caching, no referrer), and the sign-in (with a button per external identity provider of the client, under
// "Sign in with your corporate ID" as AWS's hosted UI shows them), new-password and code forms.
import type { RouteAnswer } from "../http-server";

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
`;

/** A full page with the hosted UI's security headers. */
export function page(status: number, title: string, content: string, cookies: string[] = []): RouteAnswer {
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${content}
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
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
      "referrer-policy": "no-referrer",
      "x-content-type-options": "nosniff",
      ...(cookies.length ? { "set-cookie": cookies } : {}),
    },
  };
}

function errorBlock(error: string | undefined): string {
  return error ? `<div class="error" role="alert" id="form-error">${escapeHtml(error)}</div>\n` : "";
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
}

/** Links to the client's terms of use and privacy policy; a link that is not http(s) is shown as text, not followed. */
function termsBlock(terms: FormContext["terms"]): string {
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
  const buttons = providers.map((p) => `<a class="idp" href="${escapeHtml(p.href)}">${escapeHtml(p.name)}</a>`).join("\n");
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
  if (!withForm) return page(200, "Sign in", `<h1>Sign in</h1>\n${errorBlock(form.error)}${providerSection(providers, false)}${termsBlock(form.terms)}`, form.cookies);
  return page(form.error ? 200 : 200, "Sign in", `<h1>Sign in</h1>
${errorBlock(form.error)}${providerSection(providers, true)}<form method="post" action="${escapeHtml(form.action)}" novalidate>
<input type="hidden" name="_csrf" value="${escapeHtml(form.csrf)}">
<input type="hidden" name="step" value="password">
<label for="username">${escapeHtml(usernameLabel)}</label>
<input id="username" name="username" type="${emailLike ? "email" : "text"}" autocomplete="username" autocapitalize="none" spellcheck="false" required value="${escapeHtml(username)}"${invalidAttrs(form.error)}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${invalidAttrs(form.error)}>
<button type="submit">Sign in</button>
</form>${termsBlock(form.terms)}`, form.cookies);
}

/** NEW_PASSWORD_REQUIRED: the user must replace a temporary password. */
export function newPasswordPage(form: FormContext): RouteAnswer {
  return page(200, "Change password", `<h1>Change password</h1>
<p>Please enter a new password.</p>
${errorBlock(form.error)}<form method="post" action="${escapeHtml(form.action)}" novalidate>
<input type="hidden" name="_csrf" value="${escapeHtml(form.csrf)}">
<input type="hidden" name="step" value="challenge">
<label for="new_password">New password</label>
<input id="new_password" name="new_password" type="password" autocomplete="new-password" required${invalidAttrs(form.error)}>
<label for="confirm_password">Enter new password again</label>
<input id="confirm_password" name="confirm_password" type="password" autocomplete="new-password" required${invalidAttrs(form.error)}>
<button type="submit">Send</button>
</form>`, form.cookies);
}

/** SOFTWARE_TOKEN_MFA or SMS_MFA: a six-digit code. */
export function codePage(form: FormContext, challenge: "SOFTWARE_TOKEN_MFA" | "SMS_MFA", destination?: string): RouteAnswer {
  const intro = challenge === "SMS_MFA"
    ? `We have sent a code by SMS${destination ? ` to ${escapeHtml(destination)}` : ""}. Enter it below.`
    : "Enter the code from your authenticator app.";
  return page(200, "Verify your identity", `<h1>Verify your identity</h1>
<p id="code-hint">${intro}</p>
${errorBlock(form.error)}<form method="post" action="${escapeHtml(form.action)}" novalidate>
<input type="hidden" name="_csrf" value="${escapeHtml(form.csrf)}">
<input type="hidden" name="step" value="challenge">
<label for="code">Code</label>
<input id="code" name="code" type="text" inputmode="numeric" pattern="[0-9]*" autocomplete="one-time-code" required aria-describedby="code-hint${form.error ? " form-error" : ""}"${form.error ? ` aria-invalid="true"` : ""}>
<button type="submit">Sign in</button>
</form>`, form.cookies);
}
