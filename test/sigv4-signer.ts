// Test helper (a Wing extern): sends an HTTP request signed with SigV4 for API Gateway (`execute-api`)
// with temporary credentials from an identity pool, so the AWS_IAM tests can call a protected route.
import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";

/** The credentials `getCredentialsForIdentity` returns. */
export interface IdentityCredentials {
  readonly AccessKeyId: string;
  readonly SecretKey: string;
  readonly SessionToken: string;
}

type SourceData = string | ArrayBuffer | ArrayBufferView;

function bytesOf(data: SourceData): string | Uint8Array {
  if (typeof data === "string") return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** A SHA-256 (or HMAC-SHA256 when given a secret) in the shape @smithy/signature-v4 expects. */
class Sha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash("sha256") : createHmac("sha256", bytesOf(this.secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytesOf(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

/** The response of a signed request, as the Wing test reads it. */
export interface SignedResponse {
  readonly status: number;
  readonly body: string;
}

/** The SigV4 headers (for service `execute-api`) of `method url` with `body`, including `host`. */
export async function signHeaders(
  method: string,
  url: string,
  region: string,
  credentials: IdentityCredentials,
  body: string,
): Promise<Record<string, string>> {
  const target = new URL(url);
  const query: Record<string, string> = {};
  target.searchParams.forEach((value, key) => (query[key] = value));
  const signer = new SignatureV4({
    service: "execute-api",
    region,
    sha256: Sha256,
    credentials: {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretKey,
      sessionToken: credentials.SessionToken,
    },
  });
  const headers: Record<string, string> = { host: target.host };
  if (body !== "") headers["content-type"] = "application/json";
  const signed = await signer.sign({
    method,
    protocol: target.protocol,
    hostname: target.hostname,
    port: target.port === "" ? undefined : Number(target.port),
    path: target.pathname,
    query,
    headers,
    body: body === "" ? undefined : body,
  });
  return { ...(signed.headers as Record<string, string>) };
}

/**
 * Sends `method url` with `body`, signed for service `execute-api` in `region` with `credentials`.
 * `tamper` changes the request after signing ("path", "body" or "secret" signs with a wrong secret),
 * to show that the guard checks what was signed.
 */
export async function signedFetch(
  method: string,
  url: string,
  region: string,
  credentials: IdentityCredentials,
  body: string,
  tamper: string,
): Promise<SignedResponse> {
  const signingCredentials = tamper === "secret" ? { ...credentials, SecretKey: `${credentials.SecretKey}x` } : credentials;
  const headers = await signHeaders(method, url, region, signingCredentials, body);
  delete headers.host;
  const search = new URL(url).search;
  const sentUrl = tamper === "path" ? `${url}${search === "" ? "?" : "&"}extra=1` : url;
  const sentBody = tamper === "body" ? `${body} ` : body;
  const res = await fetch(sentUrl, { method, headers, body: sentBody === "" ? undefined : sentBody });
  return { status: res.status, body: await res.text() };
}
