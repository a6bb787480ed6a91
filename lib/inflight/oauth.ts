// Inflight `client_credentials` tokens for machine clients (platform/oauth.w), on both targets: the client's secret is
// read with DescribeUserPoolClient (so it never sits in a function's environment), then the pool domain's token
// endpoint is called with HTTP Basic client authentication.
// The SDK is loaded at run time (as lib/inflight/client.ts does), so that a function that never asks for a machine token
// does not bundle it.
import type * as CognitoIdpSdk from "@aws-sdk/client-cognito-identity-provider";
import { SDK_PACKAGES } from "./client";

/** Loads a package by a name that is not a literal, so that bundlers leave the require to run time. */
function loadPackage<T>(name: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(name) as T;
}

/** platform/oauth.w `OAuthConnection`. */
export interface OAuthConnection {
  readonly endpoint: string;
  readonly region: string;
  readonly userPoolId: string;
  readonly domainUrl: string;
  readonly machineClients: Readonly<Record<string, string>>;
}

/** Credentials the local service accepts for its signed (admin) operations. It checks no secret. */
const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };
const secrets = new Map<string, Promise<string>>();
let idp: CognitoIdpSdk.CognitoIdentityProviderClient | undefined;

function secretOf(conn: OAuthConnection, clientId: string): Promise<string> {
  const key = `${conn.endpoint}|${conn.userPoolId}|${clientId}`;
  let secret = secrets.get(key);
  if (!secret) {
    if (conn.endpoint !== "") process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
    const { CognitoIdentityProviderClient, DescribeUserPoolClientCommand } = loadPackage<typeof CognitoIdpSdk>(SDK_PACKAGES[0]);
    idp ??= new CognitoIdentityProviderClient(conn.endpoint !== "" ? { region: conn.region, endpoint: conn.endpoint, credentials: LOCAL_CREDENTIALS } : { region: conn.region });
    secret = idp.send(new DescribeUserPoolClientCommand({ UserPoolId: conn.userPoolId, ClientId: clientId })).then((out) => {
      const value = out.UserPoolClient?.ClientSecret;
      if (!value) throw new Error(`CognitoError: machine client ${clientId} has no secret`);
      return value;
    });
    secret.catch(() => secrets.delete(key));
    secrets.set(key, secret);
  }
  return secret;
}

/** A `client_credentials` access token of the machine client `name` for `scopes` (all it may get when empty). */
export async function _machineToken(conn: OAuthConnection, name: string, scopes: readonly string[]): Promise<string> {
  const clientId = conn.machineClients[name];
  if (!clientId) throw new Error(`@winglibs/cognito: no machine client named "${name}" (declared: ${Object.keys(conn.machineClients).join(", ") || "none"})`);
  if (conn.domainUrl === "") throw new Error("@winglibs/cognito: machine clients need a user pool domain (the domainPrefix option)");
  const secret = await secretOf(conn, clientId);
  const body = new URLSearchParams({ grant_type: "client_credentials", ...(scopes.length ? { scope: scopes.join(" ") } : {}) });
  const res = await fetch(`${conn.domainUrl.replace(/\/+$/, "")}/oauth2/token`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString("base64")}`,
    },
    body: body.toString(),
  });
  const answer = (await res.json().catch(() => ({}))) as { access_token?: string; error?: string; error_description?: string };
  if (!res.ok || !answer.access_token) throw new Error(`${answer.error ?? `HTTP ${res.status}`}: ${answer.error_description ?? "the token endpoint refused the request"}`);
  return answer.access_token;
}
