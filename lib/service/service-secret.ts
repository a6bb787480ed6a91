// The service's own secret (32 random bytes, made once and kept in the durable store) and what is derived from it:
// sealed SRP secret blocks (AES-256-GCM, so a PASSWORD_VERIFIER answer sent without its Session still names its
// challenge, and no client can forge one), and the stable stand-ins that keep unknown users indistinguishable from real
// ones (salt, verifier, USER_ID_FOR_SRP, masked destinations) when a client sets PreventUserExistenceErrors.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";
import type { ServiceContext } from "./context";
import type { CognitoState } from "./state";

const COLLECTION = "serviceSecrets";
const NAME = "main";
const secrets = new WeakMap<CognitoState, Buffer>();

/** The service secret of this state, made (and stored, durable with the operation's commit) on first use. */
function serviceSecret(ctx: ServiceContext): Buffer {
  let secret = secrets.get(ctx.state);
  if (secret) return secret;
  const stored = ctx.state.store.get<{ key: string }>(COLLECTION, NAME);
  if (stored && typeof stored.key === "string") {
    secret = Buffer.from(stored.key, "base64");
  } else {
    secret = randomBytes(32);
    ctx.state.store.put(COLLECTION, NAME, { key: secret.toString("base64") });
  }
  secrets.set(ctx.state, secret);
  return secret;
}

/** HMAC-SHA256 of the service secret over a purpose label and parts (separated unambiguously). */
export function serviceMac(ctx: ServiceContext, purpose: string, ...parts: string[]): Buffer {
  const mac = createHmac("sha256", serviceSecret(ctx)).update(purpose);
  for (const part of parts) mac.update(`\u0000${part.length}:${part}`);
  return mac.digest();
}

/** `bytes` pseudo-random bytes, stable for (purpose, parts): HMAC in counter mode. */
export function serviceBytes(ctx: ServiceContext, bytes: number, purpose: string, ...parts: string[]): Buffer {
  const blocks: Buffer[] = [];
  for (let i = 0; blocks.length * 32 < bytes; i++) blocks.push(serviceMac(ctx, `${purpose}#${i}`, ...parts));
  return Buffer.concat(blocks).subarray(0, bytes);
}

const SEAL_VERSION = 1;

/** Seals `text` (AES-256-GCM under a key derived from the service secret); base64. */
export function seal(ctx: ServiceContext, purpose: string, text: string): string {
  const key = serviceMac(ctx, `seal:${purpose}`);
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(text, "utf8"), cipher.final()]);
  return Buffer.concat([Buffer.from([SEAL_VERSION]), iv, cipher.getAuthTag(), body]).toString("base64");
}

/** The text `seal` sealed for `purpose`, or undefined for anything this service did not seal. */
export function unseal(ctx: ServiceContext, purpose: string, sealed: string | undefined): string | undefined {
  if (!sealed || sealed.length > 4096) return undefined;
  const raw = Buffer.from(sealed, "base64");
  if (raw.length < 1 + 12 + 16 || raw[0] !== SEAL_VERSION) return undefined;
  try {
    const decipher = createDecipheriv("aes-256-gcm", serviceMac(ctx, `seal:${purpose}`), raw.subarray(1, 13));
    decipher.setAuthTag(raw.subarray(13, 29));
    return Buffer.concat([decipher.update(raw.subarray(29)), decipher.final()]).toString("utf8");
  } catch {
    return undefined;
  }
}

/** A UUID-shaped (version 4 layout) id, stable for (purpose, parts). */
export function stableUuid(ctx: ServiceContext, purpose: string, ...parts: string[]): string {
  const b = serviceBytes(ctx, 16, purpose, ...parts);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
