// Pure helpers of the tf-aws backend's OAuth 2.0 resources: construct ids for resource servers and machine clients,
// and the hosted sign-in URL of the library's app client.

/** A construct-id-safe key for a resource server identifier or machine client name (`https://x.y/api` → `https-x-y-api`). */
export function resourceKey(name: string): string {
  const key = name.replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "");
  if (key === "") throw new Error(`@winglibs/cognito: "${name}" needs at least one letter or digit`);
  return key;
}

/** The hosted sign-in URL (`<domain>/login?...`) for the code flow (or implicit, when it is the only flow). */
export function signInUrl(domainUrl: string, clientId: string, flows: readonly string[], scopes: readonly string[], callbackUrl: string): string {
  const responseType = flows.includes("code") ? "code" : "token";
  // The client id is a Terraform token until apply: keep it out of the URL encoding.
  const query = new URLSearchParams({ response_type: responseType, scope: scopes.join(" "), redirect_uri: callbackUrl }).toString();
  return `${domainUrl}/login?client_id=${clientId}&${query}`;
}
