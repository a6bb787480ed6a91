// The HTML of the test identity provider: its sign-in page (a developer types any user, email, name, subject and
// extra claims, or picks one who signed in before) and its error page. Forms without JavaScript, every field labelled,
// hints and errors tied to their fields (aria-describedby, role="alert"), a visible focus ring, and security headers
// that forbid scripts and framing. It looks unlike the hosted pages on purpose: it is another site.
import { escapeHtml } from "../service/oauth/pages";

/** An HTML answer of the test IdP. */
export interface HtmlAnswer {
  status: number;
  html: string;
  headers: Record<string, string>;
}

/** A user the page offers to sign in again as. */
export interface RecentUser {
  email: string;
  name?: string;
  sub: string;
  emailVerified: boolean;
  claims: Record<string, unknown>;
}

/** What the developer typed, shown again with the error that refused it. */
export interface TypedUser {
  email?: string;
  name?: string;
  sub?: string;
  emailVerified?: boolean;
  claims?: string;
}

const STYLE = `
body{font-family:Georgia,"Times New Roman",serif;background:#fdf6e3;color:#1f1a10;margin:0}
header{background:#5b3a8c;color:#fff;padding:.8rem 1.5rem}
header p{margin:0;font-size:1.1rem;font-weight:bold}
main{max-width:30rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.5rem;margin:0 0 .5rem}
h2{font-size:1.1rem;margin:2rem 0 .5rem}
label{display:block;font-weight:bold;margin:1rem 0 .3rem}
input[type=email],input[type=text],textarea{box-sizing:border-box;width:100%;padding:.55rem;font:inherit;border:1px solid #4a4033;border-radius:3px;background:#fff}
textarea{min-height:5rem;font-family:ui-monospace,monospace}
.check{display:flex;gap:.5rem;align-items:center;margin-top:1rem}
.check label{margin:0;font-weight:normal}
input:focus,textarea:focus,button:focus{outline:3px solid #b35c00;outline-offset:2px}
[aria-invalid=true]{border-color:#b00020}
.hint{color:#4a4033;font-size:.9rem;margin:.3rem 0 0}
.error{background:#fff0f0;border-left:4px solid #b00020;padding:.6rem .8rem;color:#8a0018;margin:1rem 0}
.actions{display:flex;gap:1rem;margin-top:1.5rem}
button{padding:.65rem 1.2rem;font:inherit;font-weight:bold;border-radius:3px;cursor:pointer}
.primary{background:#5b3a8c;color:#fff;border:0}
.secondary{background:#fff;color:#5b3a8c;border:2px solid #5b3a8c}
ul{list-style:none;padding:0;margin:0}
li form{margin:.4rem 0}
`;

const HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "no-store",
  pragma: "no-cache",
  "x-frame-options": "DENY",
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
};

function layout(status: number, title: string, content: string): HtmlAnswer {
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><p>Local test identity provider</p></header>
<main>
${content}
</main>
</body>
</html>
`;
  return { status, html, headers: { ...HEADERS } };
}

/** The error page (a request that cannot be sent back: unknown client or redirect URI, expired interaction). */
export function errorPage(message: string, status = 400): HtmlAnswer {
  return layout(status, "Test IdP: error", `<h1>The test identity provider cannot go on</h1>\n<p role="alert">${escapeHtml(message)}</p>`);
}

/** The sign-in page of one pending authorization request (`interaction`), for the relying party `clientId`. */
export function signInPage(interaction: string, clientId: string, recent: RecentUser[], typed: TypedUser = {}, error?: { field: "email" | "sub" | "claims"; message: string }): HtmlAnswer {
  const invalid = (field: string) => (error?.field === field ? ` aria-invalid="true"` : "");
  const described = (field: string, hint?: string) => {
    const ids = [hint, error?.field === field ? "form-error" : undefined].filter(Boolean).join(" ");
    return ids ? ` aria-describedby="${ids}"` : "";
  };
  const value = (v: string | undefined) => (v ? ` value="${escapeHtml(v)}"` : "");
  const verified = typed.emailVerified ?? true;
  const recentList = recent.length
    ? `<section aria-labelledby="recent-heading">
<h2 id="recent-heading">Sign in again as</h2>
<ul>
${recent.map((user) => `<li><form method="post" action="authorize">
<input type="hidden" name="interaction" value="${escapeHtml(interaction)}">
<input type="hidden" name="email" value="${escapeHtml(user.email)}">
<input type="hidden" name="name" value="${escapeHtml(user.name ?? "")}">
<input type="hidden" name="sub" value="${escapeHtml(user.sub)}">
${user.emailVerified ? `<input type="hidden" name="email_verified" value="true">` : ""}
<input type="hidden" name="claims" value="${escapeHtml(JSON.stringify(user.claims))}">
<button class="secondary" type="submit">Continue as ${escapeHtml(user.name ? `${user.name} (${user.email})` : user.email)}</button>
</form></li>`).join("\n")}
</ul>
</section>`
    : "";
  const content = `<h1>Sign in to the test identity provider</h1>
<p>The local Cognito (client <code>${escapeHtml(clientId)}</code>) asks who you are. Type any user: nothing is checked, and the claims you give are what the ID token carries.</p>
${error ? `<p class="error" id="form-error" role="alert">${escapeHtml(error.message)}</p>` : ""}
<form method="post" action="authorize" novalidate>
<input type="hidden" name="interaction" value="${escapeHtml(interaction)}">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="email" required${value(typed.email)}${invalid("email")}${described("email")}>
<label for="name">Name</label>
<input id="name" name="name" type="text" autocomplete="name"${value(typed.name)}>
<label for="sub">Subject (<code>sub</code>)</label>
<input id="sub" name="sub" type="text" autocomplete="off"${value(typed.sub)}${invalid("sub")}${described("sub", "sub-hint")}>
<p class="hint" id="sub-hint">Optional. The user's id at this IdP; left empty, it is derived from the email, so the same email is the same user.</p>
<div class="check"><input id="email_verified" name="email_verified" type="checkbox" value="true"${verified ? " checked" : ""}><label for="email_verified">Email verified (<code>email_verified</code>)</label></div>
<label for="claims">More claims (a JSON object)</label>
<textarea id="claims" name="claims"${invalid("claims")}${described("claims", "claims-hint")}>${escapeHtml(typed.claims ?? "")}</textarea>
<p class="hint" id="claims-hint">Optional, for example {"given_name": "Ada", "custom:team": "blue"}. They go into the ID token and the userinfo answer.</p>
<div class="actions">
<button class="primary" type="submit" name="action" value="sign-in">Sign in</button>
<button class="secondary" type="submit" name="action" value="cancel">Cancel</button>
</div>
</form>
${recentList}`;
  return layout(error ? 400 : 200, "Test IdP: sign in", content);
}
