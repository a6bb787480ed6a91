// Test support: a software WebAuthn authenticator (a passkey provider in a few lines of node:crypto), so that tests can
// register passkeys and sign in with them without a browser. It makes EC P-256 (ES256) credentials, answers creation
// options with a 'none' attestation (attestationObject, authenticatorData and clientDataJSON as a browser would send
// them, as RegistrationResponseJSON) and request options with a signed assertion (AuthenticationResponseJSON). Every
// part can be bent (origin, relying party id, flags, counter, challenge) to test the service's refusals.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import { encodeCbor, type CborValue } from "./cbor";

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

interface CreationOptions {
  challenge: string;
  rp: { id?: string; name?: string };
  user: { id: string; name: string };
  pubKeyCredParams: Array<{ alg: number; type: string }>;
  excludeCredentials?: Array<{ id: string }>;
}

interface RequestOptions {
  challenge: string;
  rpId?: string;
  allowCredentials?: Array<{ id: string }>;
}

export interface StoredCredential {
  id: string;
  rpId: string;
  userHandle: string;
  privateKey: KeyObject;
  cosePublicKey: Buffer;
  counter: number;
}

/** What a test may change in a ceremony's output. */
export interface Bend {
  origin?: string;
  /** The relying party id the authenticator data is made for (default: the options' rp id). */
  rpId?: string;
  /** The challenge written into clientDataJSON (default: the options'). */
  challenge?: string;
  /** clientDataJSON's type (default webauthn.create / webauthn.get). */
  type?: string;
  /** Authenticator data flags (default: user present, plus verified when the authenticator verifies users). */
  flags?: number;
  /** For an assertion: the credential to use (default: the first allowed one this authenticator holds). */
  credentialId?: string;
  /** For an assertion: the signature counter to report (default: one more than the last). */
  counter?: number;
}

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");
const sha256 = (data: Uint8Array | string) => createHash("sha256").update(data).digest();

export class SoftwareAuthenticator {
  readonly credentials = new Map<string, StoredCredential>();

  constructor(private readonly options: { userVerifying?: boolean; attachment?: "platform" | "cross-platform"; transports?: string[] } = {}) {}

  private defaultFlags(): number {
    return FLAG_UP | (this.options.userVerifying === false ? 0 : FLAG_UV);
  }

  /** navigator.credentials.create, as RegistrationResponseJSON. */
  create(options: CreationOptions, origin: string, bend: Bend = {}): Record<string, unknown> {
    if (!options.pubKeyCredParams.some((p) => p.alg === -7)) throw new Error("authenticator supports ES256 only");
    const rpId = bend.rpId ?? options.rp.id ?? new URL(origin).hostname;
    const excluded = new Set((options.excludeCredentials ?? []).map((c) => c.id));
    for (const c of this.credentials.values()) if (excluded.has(c.id) && c.rpId === rpId) throw new Error("InvalidStateError: credential excluded");
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const jwk = publicKey.export({ format: "jwk" });
    const cosePublicKey = encodeCbor(new Map<CborValue, CborValue>([
      [1, 2], [3, -7], [-1, 1], [-2, Buffer.from(jwk.x!, "base64url")], [-3, Buffer.from(jwk.y!, "base64url")],
    ]));
    const credentialId = randomBytes(32);
    const id = b64url(credentialId);
    const credIdLength = Buffer.alloc(2);
    credIdLength.writeUInt16BE(credentialId.length);
    const counter = Buffer.alloc(4); // a fresh credential's count: 0
    const authData = Buffer.concat([
      sha256(rpId), Buffer.from([bend.flags ?? this.defaultFlags() | FLAG_AT]), counter, Buffer.alloc(16), credIdLength, credentialId, cosePublicKey,
    ]);
    const clientDataJSON = Buffer.from(JSON.stringify({ type: bend.type ?? "webauthn.create", challenge: bend.challenge ?? options.challenge, origin: bend.origin ?? origin, crossOrigin: false }));
    const attestationObject = encodeCbor(new Map<CborValue, CborValue>([["fmt", "none"], ["attStmt", new Map()], ["authData", authData]]));
    this.credentials.set(id, { id, rpId, userHandle: options.user.id, privateKey, cosePublicKey, counter: 0 });
    return {
      id,
      rawId: id,
      type: "public-key",
      response: {
        clientDataJSON: b64url(clientDataJSON),
        attestationObject: b64url(attestationObject),
        transports: this.options.transports ?? ["internal"],
        publicKeyAlgorithm: -7,
        authenticatorData: b64url(authData),
      },
      authenticatorAttachment: this.options.attachment ?? "platform",
      clientExtensionResults: {},
    };
  }

  /** navigator.credentials.get, as AuthenticationResponseJSON. */
  get(options: RequestOptions, origin: string, bend: Bend = {}): Record<string, unknown> {
    const allowed = (options.allowCredentials ?? []).map((c) => c.id);
    const credential = bend.credentialId
      ? this.credentials.get(bend.credentialId)
      : [...this.credentials.values()].find((c) => (allowed.length === 0 || allowed.includes(c.id)) && c.rpId === (options.rpId ?? new URL(origin).hostname));
    if (!credential) throw new Error("NotAllowedError: no credential for these options");
    const rpId = bend.rpId ?? options.rpId ?? credential.rpId;
    credential.counter = bend.counter ?? credential.counter + 1;
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(credential.counter);
    const authData = Buffer.concat([sha256(rpId), Buffer.from([bend.flags ?? this.defaultFlags()]), counter]);
    const clientDataJSON = Buffer.from(JSON.stringify({ type: bend.type ?? "webauthn.get", challenge: bend.challenge ?? options.challenge, origin: bend.origin ?? origin, crossOrigin: false }));
    const signature = sign("sha256", Buffer.concat([authData, sha256(clientDataJSON)]), credential.privateKey);
    return {
      id: credential.id,
      rawId: credential.id,
      type: "public-key",
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        userHandle: credential.userHandle,
      },
      authenticatorAttachment: this.options.attachment ?? "platform",
      clientExtensionResults: {},
    };
  }
}
