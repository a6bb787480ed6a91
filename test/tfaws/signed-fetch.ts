// Inflight helper for test/tfaws.test.w: sends a request to an AWS_IAM-protected route signed with
// SigV4 (service execute-api) using the temporary credentials GetCredentialsForIdentity returned.
import { SignatureV4 } from "@smithy/signature-v4";
import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";

/** GetCredentialsForIdentity's `Credentials`. */
interface IdentityCredentials {
  readonly AccessKeyId: string;
  readonly SecretKey: string;
  readonly SessionToken: string;
}

/** What @smithy/signature-v4 hashes (its `SourceData`). */
type SourceData = string | ArrayBuffer | ArrayBufferView;

function bytes(data: SourceData): Buffer {
  if (typeof data === "string") return Buffer.from(data, "utf8");
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/** SHA-256 / HMAC-SHA256 on node:crypto, with the Checksum interface @smithy/signature-v4 expects. */
class Sha256 {
  private hash: Hash | Hmac;
  private readonly secret?: Buffer;
  constructor(secret?: SourceData) {
    this.secret = secret === undefined ? undefined : bytes(secret);
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash("sha256") : createHmac("sha256", this.secret);
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

/** Sends `method url` signed for execute-api in `region`; returns `{status, body}`. */
export async function signedRequest(
  method: string,
  url: string,
  region: string,
  credentials: IdentityCredentials,
): Promise<{ status: number; body: string }> {
  const target = new URL(url);
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
  const query: Record<string, string> = {};
  target.searchParams.forEach((value, key) => (query[key] = value));
  const signed = await signer.sign({
    method: method.toUpperCase(),
    protocol: target.protocol,
    hostname: target.hostname,
    port: target.port === "" ? undefined : Number(target.port),
    path: target.pathname,
    query,
    headers: { host: target.host },
  });
  const headers = { ...signed.headers };
  delete headers["host"];
  const response = await fetch(target, { method: method.toUpperCase(), headers });
  return { status: response.status, body: await response.text() };
}
