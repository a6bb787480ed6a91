// Passkeys (WebAuthn) of the local Cognito service: the pool's WebAuthnConfiguration (relying party id, user
// verification), the durable passkey records of each user, and the two ceremonies, verified by @simplewebauthn/server
// and never by hand: registration (creation options, then the attestation of CompleteWebAuthnRegistration) and
// sign-in (the WEB_AUTHN challenge's request options, then the assertion that answers it).
//
// Relying party id: WebAuthnConfiguration.RelyingPartyId when set, else the pool's custom domain, else its prefix
// domain `<prefix>.auth.<region>.amazoncognito.com`; `localhost` may be set (a page on http://localhost:<port>).
// Origins accepted: https://<rpId> or https://<a subdomain of rpId>, any port; with rpId `localhost` also
// http://localhost:<any port>. (Browsers refuse a relying party id that is not the page's host or a suffix of it, so an
// app client's callback URLs add no other usable origin.)
import {
  generateAuthenticationOptions, generateRegistrationOptions, verifyAuthenticationResponse, verifyRegistrationResponse,
  type AuthenticationResponseJSON, type PublicKeyCredentialCreationOptionsJSON, type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { decodeAttestationObject, decodeClientDataJSON, isoBase64URL, parseAuthenticatorData, toHash } from "@simplewebauthn/server/helpers";
import {
  invalidParameter, limitExceeded, notAuthorized, webAuthnChallengeNotFound, webAuthnClientMismatch, webAuthnConfigurationMissing,
  webAuthnCredentialNotSupported, webAuthnNotEnabled, webAuthnOriginNotAllowed, webAuthnRelyingPartyMismatch,
} from "./errors";
import type { Input } from "./input";
import type { UserPoolRecord, UserRecord } from "./model";
import type { ServiceContext } from "./context";
import { PASSKEY_FEATURE, poolAllows } from "./sign-in/first-factors";
import type { CognitoState } from "./state";
import { requireTier } from "./tiers";

export type UserVerification = "required" | "preferred";
export type FactorConfiguration = "SINGLE_FACTOR" | "MULTI_FACTOR_WITH_USER_VERIFICATION";

/** A user's passkey, as CompleteWebAuthnRegistration stores it. */
export interface PasskeyRecord {
  /** base64url, as the browser reports it (`id` of the credential). */
  credentialId: string;
  userPoolId: string;
  username: string;
  sub: string;
  relyingPartyId: string;
  /** The COSE public key, base64url. */
  publicKey: string;
  /** The authenticator's signature counter seen last (0 for authenticators that keep none). */
  counter: number;
  transports: string[];
  authenticatorAttachment?: string;
  friendlyName: string;
  createdAt: number;
  lastUsedAt?: number;
}

/** The WEB_AUTHN challenge a sign-in issued: what the caller keeps in its challenge session to verify the answer. */
export interface PasskeyChallenge {
  challenge: string;
  relyingPartyId: string;
  userVerification: UserVerification;
  /** Epoch seconds. */
  expiresAt: number;
}

/** Passkeys a user may have (LimitExceededException beyond). AWS documents none; ListWebAuthnCredentials pages hold 20. */
export const MAX_PASSKEYS_PER_USER = 20;
/** How long a ceremony's challenge answers (seconds), and the `timeout` the browser is given (ms). */
export const CEREMONY_SECONDS = 180;
/** COSE algorithms offered and accepted: ES256 and RS256. */
const SUPPORTED_ALGORITHMS = [-7, -257];
const TRANSPORTS = new Set(["usb", "nfc", "ble", "internal", "hybrid", "smart-card", "cable"]);
const PASSKEYS = "passkeys";
/** Answered sign-in challenges remembered against replay (bounded, oldest dropped; each outlives its challenge). */
const MAX_ANSWERED = 20_000;

// ---- the pool's configuration ---------------------------------------------------------------------------------

interface StoredConfiguration {
  RelyingPartyId?: string;
  UserVerification: UserVerification;
  FactorConfiguration?: FactorConfiguration;
}

const HOSTNAME = /^(?=.{1,127}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

/**
 * The settings entry SetUserPoolMfaConfig keeps for a WebAuthnConfiguration, checked as AWS checks it; {} when the
 * request has none (the stored configuration stays).
 */
export function applyWebAuthnConfiguration(config: Input | undefined): Record<string, unknown> {
  if (!config) return {};
  const { RelyingPartyId, UserVerification, FactorConfiguration } = config;
  const stored: StoredConfiguration = { UserVerification: "preferred" };
  if (RelyingPartyId !== undefined && RelyingPartyId !== null) {
    if (typeof RelyingPartyId !== "string") throw invalidParameter("WebAuthnConfiguration.RelyingPartyId must be a string.");
    if (RelyingPartyId.length < 1 || RelyingPartyId.length > 127) {
      throw invalidParameter(`1 validation error detected: Value '${RelyingPartyId}' at 'webAuthnConfiguration.relyingPartyId' failed to satisfy constraint: Member must have length ${RelyingPartyId.length < 1 ? "greater than or equal to 1" : "less than or equal to 127"}`);
    }
    if (!HOSTNAME.test(RelyingPartyId)) throw invalidParameter(`Invalid relying party ID: ${RelyingPartyId}. The relying party ID must be a domain name, without scheme, port or path.`);
    stored.RelyingPartyId = RelyingPartyId;
  }
  if (UserVerification !== undefined && UserVerification !== null) {
    if (UserVerification !== "required" && UserVerification !== "preferred") {
      throw invalidParameter(`1 validation error detected: Value '${String(UserVerification)}' at 'webAuthnConfiguration.userVerification' failed to satisfy constraint: Member must satisfy enum value set: [required, preferred]`);
    }
    stored.UserVerification = UserVerification;
  }
  if (FactorConfiguration !== undefined && FactorConfiguration !== null) {
    if (FactorConfiguration !== "SINGLE_FACTOR" && FactorConfiguration !== "MULTI_FACTOR_WITH_USER_VERIFICATION") {
      throw invalidParameter(`1 validation error detected: Value '${String(FactorConfiguration)}' at 'webAuthnConfiguration.factorConfiguration' failed to satisfy constraint: Member must satisfy enum value set: [SINGLE_FACTOR, MULTI_FACTOR_WITH_USER_VERIFICATION]`);
    }
    stored.FactorConfiguration = FactorConfiguration;
  }
  return { WebAuthnConfiguration: stored };
}

/** GetUserPoolMfaConfig's WebAuthnConfiguration member: present once SetUserPoolMfaConfig configured it. */
export function webAuthnConfigurationOf(pool: UserPoolRecord): { WebAuthnConfiguration?: StoredConfiguration } {
  const stored = storedConfiguration(pool);
  return stored ? { WebAuthnConfiguration: stored } : {};
}

function storedConfiguration(pool: UserPoolRecord): StoredConfiguration | undefined {
  const stored = pool.settings.WebAuthnConfiguration;
  return stored && typeof stored === "object" ? (stored as StoredConfiguration) : undefined;
}

/** The pool's user verification requirement (AWS's default: preferred). */
export function userVerificationOf(pool: UserPoolRecord): UserVerification {
  return storedConfiguration(pool)?.UserVerification ?? "preferred";
}

/** The pool's relying party id, or WebAuthnConfigurationMissingException when it has neither one nor a domain. */
export function relyingPartyIdOf(ctx: ServiceContext, pool: UserPoolRecord): string {
  const rpId = currentRelyingPartyId(ctx, pool);
  if (rpId === undefined) throw webAuthnConfigurationMissing("The user pool has no relying party ID: set WebAuthnConfiguration.RelyingPartyId or add a user pool domain.");
  return rpId;
}

/** The pool's relying party id: the configured one, else its custom or prefix domain; undefined without either. */
function currentRelyingPartyId(ctx: ServiceContext, pool: UserPoolRecord): string | undefined {
  const configured = storedConfiguration(pool)?.RelyingPartyId;
  if (configured) return configured;
  if (pool.domain) return pool.domain.includes(".") ? pool.domain : `${pool.domain}.auth.${ctx.regionOf(pool.Id)}.amazoncognito.com`;
  return undefined;
}

/**
 * Whether the pool offers passkeys: refused with FeatureUnavailableInTierException on the LITE plan, and with
 * WebAuthnNotEnabledException when the first factors of its sign-in policy (sign-in/first-factors.ts) leave WEB_AUTHN out.
 */
export function requirePasskeysEnabled(pool: UserPoolRecord): void {
  requireTier(pool, "ESSENTIALS", PASSKEY_FEATURE);
  if (!poolAllows(pool, "WEB_AUTHN")) throw webAuthnNotEnabled("Passkey (WebAuthn) sign-in is not enabled for this user pool.");
}

/** Whether a page at `origin` may use passkeys of `rpId` (see the header). */
export function originAllowed(origin: string, rpId: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.origin !== origin) return false;
  const host = url.hostname;
  if (host !== rpId && !host.endsWith(`.${rpId}`)) return false;
  return url.protocol === "https:" || (url.protocol === "http:" && rpId === "localhost");
}

// ---- durable records ------------------------------------------------------------------------------------------

/** Every passkey in the durable store, indexed by user (the index follows the store's changes, undone ones too). */
class PasskeyStore {
  private readonly byUser = new Map<string, Set<string>>();
  /** Registrations started and not yet completed, one per user (a new start replaces it). In memory, like sign-in challenges. */
  readonly registrations = new Map<string, { challenge: string; clientId: string; relyingPartyId: string; userVerification: UserVerification; expiresAt: number }>();
  /** Sign-in challenges already answered: challenge → when it may be forgotten (epoch seconds). */
  private readonly answered = new Map<string, number>();

  constructor(private readonly state: CognitoState) {
    for (const [key, text] of state.store.texts(PASSKEYS)) this.index(key, JSON.parse(text) as PasskeyRecord, true);
    state.store.onChange((collection, key, before, after) => {
      if (collection !== PASSKEYS) return;
      if (before !== undefined) this.index(key, JSON.parse(before) as PasskeyRecord, false);
      if (after !== undefined) this.index(key, JSON.parse(after) as PasskeyRecord, true);
    });
    state.cascades.user.push((user) => {
      for (const p of this.of(user.userPoolId, user.username)) this.delete(p);
      this.registrations.delete(userKey(user.userPoolId, user.username));
    });
    state.cascades.pool.push((poolId) => {
      for (const [key, text] of state.store.texts(PASSKEYS)) if ((JSON.parse(text) as PasskeyRecord).userPoolId === poolId) state.store.delete(PASSKEYS, key);
    });
  }

  get(poolId: string, credentialId: string): PasskeyRecord | undefined {
    return this.state.store.get<PasskeyRecord>(PASSKEYS, passkeyKey(poolId, credentialId));
  }
  /** The passkeys of a user (only those made for the user's current sub: a recreated username starts with none). */
  of(poolId: string, username: string, sub?: string): PasskeyRecord[] {
    const keys = this.byUser.get(userKey(poolId, username)) ?? [];
    return [...keys].map((k) => this.state.store.get<PasskeyRecord>(PASSKEYS, k)).filter((p): p is PasskeyRecord => !!p && (sub === undefined || p.sub === sub));
  }
  put(passkey: PasskeyRecord): void {
    this.state.store.put(PASSKEYS, passkeyKey(passkey.userPoolId, passkey.credentialId), passkey);
  }
  delete(passkey: PasskeyRecord): void {
    this.state.store.delete(PASSKEYS, passkeyKey(passkey.userPoolId, passkey.credentialId));
  }

  wasAnswered(challenge: string, now: number): boolean {
    const until = this.answered.get(challenge);
    if (until !== undefined && until <= now) this.answered.delete(challenge);
    return until !== undefined && until > now;
  }
  markAnswered(challenge: string, until: number): void {
    if (this.answered.size >= MAX_ANSWERED) this.answered.delete(this.answered.keys().next().value!);
    this.answered.set(challenge, until);
  }

  private index(key: string, passkey: PasskeyRecord, present: boolean): void {
    const owner = userKey(passkey.userPoolId, passkey.username);
    let keys = this.byUser.get(owner);
    if (present) {
      if (!keys) this.byUser.set(owner, (keys = new Set()));
      keys.add(key);
    } else if (keys) {
      keys.delete(key);
      if (keys.size === 0) this.byUser.delete(owner);
    }
  }
}

const userKey = (poolId: string, username: string) => `${poolId}\u0000${username}`;
const passkeyKey = (poolId: string, credentialId: string) => `${poolId}/${credentialId}`;
const stores = new WeakMap<CognitoState, PasskeyStore>();

/** The passkey records of a service's state. */
export function passkeysOf(ctx: ServiceContext): PasskeyStore {
  let store = stores.get(ctx.state);
  if (!store) stores.set(ctx.state, (store = new PasskeyStore(ctx.state)));
  return store;
}

/** The user's passkeys, oldest first. */
export function passkeysOfUser(ctx: ServiceContext, pool: UserPoolRecord, user: UserRecord): PasskeyRecord[] {
  return passkeysOf(ctx).of(pool.Id, user.username, user.sub);
}

/** The user's passkeys that can sign in now: those made for the pool's relying party id (none while it has none). */
export function usablePasskeys(ctx: ServiceContext, pool: UserPoolRecord, user: UserRecord): PasskeyRecord[] {
  const rpId = currentRelyingPartyId(ctx, pool);
  return rpId === undefined ? [] : passkeysOfUser(ctx, pool, user).filter((p) => p.relyingPartyId === rpId);
}

/** How many passkeys can sign `user` in now (USER_AUTH offers WEB_AUTHN, GetUserAuthFactors lists it, when there is one). */
export function passkeyCount(ctx: ServiceContext, pool: UserPoolRecord, user: UserRecord): number {
  return usablePasskeys(ctx, pool, user).length;
}

// ---- registration ---------------------------------------------------------------------------------------------

/** StartWebAuthnRegistration's CredentialCreationOptions; the challenge is remembered for the user and this client. */
export async function startRegistration(ctx: ServiceContext, pool: UserPoolRecord, user: UserRecord, clientId: string): Promise<PublicKeyCredentialCreationOptionsJSON> {
  requirePasskeysEnabled(pool);
  const rpId = relyingPartyIdOf(ctx, pool);
  const userVerification = userVerificationOf(pool);
  const existing = passkeysOfUser(ctx, pool, user).filter((p) => p.relyingPartyId === rpId);
  const generated = await generateRegistrationOptions({
    rpName: rpId,
    rpID: rpId,
    userName: user.username,
    userDisplayName: user.username,
    userID: new TextEncoder().encode(user.sub),
    timeout: CEREMONY_SECONDS * 1000,
    attestationType: "none",
    excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: p.transports })),
    authenticatorSelection: { residentKey: "required", requireResidentKey: true, userVerification },
    supportedAlgorithmIDs: SUPPORTED_ALGORITHMS,
  });
  passkeysOf(ctx).registrations.set(userKey(pool.Id, user.username), {
    challenge: generated.challenge, clientId, relyingPartyId: rpId, userVerification, expiresAt: ctx.now() + CEREMONY_SECONDS,
  });
  // The members AWS returns (no extensions or hints), excludeCredentials as typed descriptors.
  return {
    rp: generated.rp,
    user: generated.user,
    challenge: generated.challenge,
    pubKeyCredParams: generated.pubKeyCredParams,
    timeout: generated.timeout,
    excludeCredentials: existing.map((p) => ({ type: "public-key", id: p.credentialId, ...(p.transports.length ? { transports: p.transports as never } : {}) })),
    authenticatorSelection: generated.authenticatorSelection,
  };
}

/**
 * CompleteWebAuthnRegistration: verifies the browser's RegistrationResponseJSON against the challenge the user's last
 * StartWebAuthnRegistration issued, and stores the passkey. Anything refused changes nothing (the challenge stays for a
 * corrected answer); an accepted one consumes the challenge.
 */
export async function completeRegistration(ctx: ServiceContext, pool: UserPoolRecord, user: UserRecord, clientId: string, credential: unknown): Promise<PasskeyRecord> {
  requirePasskeysEnabled(pool);
  const response = registrationResponse(credential);
  const store = passkeysOf(ctx);
  const pending = store.registrations.get(userKey(pool.Id, user.username));
  const clientData = decodeClientData(response.response.clientDataJSON);
  if (!pending || pending.expiresAt <= ctx.now() || clientData.challenge !== pending.challenge) {
    throw webAuthnChallengeNotFound("The WebAuthn registration challenge was not found or has expired. Call StartWebAuthnRegistration again.");
  }
  if (pending.clientId !== clientId) throw webAuthnClientMismatch("The access token is for a different app client than the one that started this registration.");
  if (clientData.type !== "webauthn.create") throw invalidParameter("Credential is not a registration response (clientDataJSON.type must be webauthn.create).");
  if (!originAllowed(clientData.origin, pending.relyingPartyId)) {
    throw webAuthnOriginNotAllowed(`Origin ${clientData.origin} is not allowed for relying party ID ${pending.relyingPartyId}.`);
  }
  const authData = attestedAuthenticatorData(response.response.attestationObject);
  if (!(await rpIdHashMatches(authData.rpIdHash, pending.relyingPartyId))) {
    throw webAuthnRelyingPartyMismatch(`The credential was created for a different relying party than ${pending.relyingPartyId}.`);
  }
  const verified = await verifyRegistrationResponse({
    response,
    expectedChallenge: pending.challenge,
    expectedOrigin: clientData.origin,
    expectedRPID: pending.relyingPartyId,
    requireUserPresence: true,
    requireUserVerification: pending.userVerification === "required",
    supportedAlgorithmIDs: SUPPORTED_ALGORITHMS,
  }).catch((e: unknown) => {
    throw webAuthnCredentialNotSupported(`The passkey credential could not be verified: ${(e as Error).message}`);
  });
  if (!verified.verified) throw webAuthnCredentialNotSupported("The passkey credential could not be verified.");
  const info = verified.registrationInfo;
  if (store.get(pool.Id, info.credential.id)) throw invalidParameter("This passkey credential is already registered.");
  const owned = passkeysOfUser(ctx, pool, user);
  if (owned.length >= MAX_PASSKEYS_PER_USER) throw limitExceeded(`A user can have at most ${MAX_PASSKEYS_PER_USER} passkeys.`);
  const attachment = response.authenticatorAttachment;
  const now = ctx.now();
  const passkey: PasskeyRecord = {
    credentialId: info.credential.id,
    userPoolId: pool.Id,
    username: user.username,
    sub: user.sub,
    relyingPartyId: pending.relyingPartyId,
    publicKey: isoBase64URL.fromBuffer(info.credential.publicKey),
    counter: info.credential.counter,
    transports: (response.response.transports ?? []).filter((t) => TRANSPORTS.has(t)),
    ...(attachment ? { authenticatorAttachment: attachment } : {}),
    friendlyName: friendlyName(attachment, now),
    createdAt: now,
  };
  store.put(passkey);
  store.registrations.delete(userKey(pool.Id, user.username));
  return passkey;
}

/** An automatically generated name, as AWS gives passkeys one: the kind of authenticator and the day it was added. */
function friendlyName(attachment: string | undefined, createdAt: number): string {
  const kind = attachment === "platform" ? "Platform passkey" : attachment === "cross-platform" ? "Security key" : "Passkey";
  return `${kind} (${new Date(createdAt * 1000).toISOString().slice(0, 10)})`;
}

// ---- sign-in (the WEB_AUTHN challenge of USER_AUTH) ---------------------------------------------------------------

/**
 * The WEB_AUTHN challenge's CREDENTIAL_REQUEST_OPTIONS (a JSON string of PublicKeyCredentialRequestOptions, base64url
 * fields, allowCredentials = the user's passkeys for the pool's relying party id) and the expected answer, which the
 * caller keeps in its challenge session and hands to verifyPasskeyAnswer.
 */
export async function passkeyRequestOptions(ctx: ServiceContext, pool: UserPoolRecord, user: UserRecord): Promise<{ credentialRequestOptions: string; expected: PasskeyChallenge }> {
  const rpId = relyingPartyIdOf(ctx, pool);
  const userVerification = userVerificationOf(pool);
  const allow = usablePasskeys(ctx, pool, user);
  const options = await generateAuthenticationOptions({
    rpID: rpId,
    allowCredentials: allow.map((p) => ({ id: p.credentialId, transports: p.transports })),
    userVerification,
    timeout: CEREMONY_SECONDS * 1000,
  });
  const { challenge, timeout, rpId: optionsRpId, allowCredentials } = options;
  const credentialRequestOptions = JSON.stringify({ challenge, timeout, rpId: optionsRpId, allowCredentials, userVerification });
  return { credentialRequestOptions, expected: { challenge, relyingPartyId: rpId, userVerification, expiresAt: ctx.now() + CEREMONY_SECONDS } };
}

/**
 * Verifies a WEB_AUTHN answer (CREDENTIAL: the browser's AuthenticationResponseJSON, as a JSON string or parsed) for
 * `user` against the challenge `expected`, and advances the passkey's signature counter. Refused with
 * InvalidParameterException when malformed; NotAuthorizedException for a replayed or expired challenge, a credential
 * that is not the user's (unknown, deleted, or made for another relying party id), a wrong origin or relying party,
 * a tampered signature or a counter that went backwards. A refusal changes nothing.
 */
export async function verifyPasskeyAnswer(ctx: ServiceContext, pool: UserPoolRecord, user: UserRecord, expected: PasskeyChallenge, credential: unknown): Promise<PasskeyRecord> {
  const response = authenticationResponse(credential);
  const store = passkeysOf(ctx);
  const now = ctx.now();
  const refused = () => notAuthorized("Incorrect passkey credential.");
  if (expected.expiresAt <= now || store.wasAnswered(expected.challenge, now)) throw notAuthorized("Invalid session for the user, session is expired.");
  const passkey = store.get(pool.Id, response.id);
  if (!passkey || passkey.username !== user.username || passkey.sub !== user.sub || passkey.relyingPartyId !== expected.relyingPartyId) throw refused();
  const clientData = decodeClientData(response.response.clientDataJSON);
  if (!originAllowed(clientData.origin, expected.relyingPartyId)) throw refused();
  const verified = await verifyAuthenticationResponse({
    response,
    expectedChallenge: expected.challenge,
    expectedOrigin: clientData.origin,
    expectedRPID: expected.relyingPartyId,
    credential: { id: passkey.credentialId, publicKey: isoBase64URL.toBuffer(passkey.publicKey), counter: passkey.counter, transports: passkey.transports },
    requireUserVerification: expected.userVerification === "required",
  }).catch(() => {
    throw refused();
  });
  if (!verified.verified) throw refused();
  // The challenge answered; the passkey may have been deleted meanwhile (another session), which wins.
  if (!store.get(pool.Id, passkey.credentialId)) throw refused();
  store.markAnswered(expected.challenge, expected.expiresAt + 1);
  const updated: PasskeyRecord = { ...passkey, counter: verified.authenticationInfo.newCounter, lastUsedAt: now };
  store.put(updated);
  return updated;
}

// ---- parsing the browser's JSON -------------------------------------------------------------------------------

const malformed = () => invalidParameter("Credential is not a valid WebAuthn credential response.");

function asObject(value: unknown): Record<string, unknown> {
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      throw malformed();
    }
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) throw malformed();
  return value as Record<string, unknown>;
}

const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;
const isBase64Url = (v: unknown): v is string => typeof v === "string" && v.length > 0 && BASE64URL.test(v);

function commonResponse(value: unknown, fields: string[]): { outer: Record<string, unknown>; inner: Record<string, unknown> } {
  const outer = asObject(value);
  const inner = outer.response;
  if (!isBase64Url(outer.id) || outer.rawId !== outer.id || outer.type !== "public-key" || !inner || typeof inner !== "object" || Array.isArray(inner)) throw malformed();
  for (const field of fields) if (!isBase64Url((inner as Record<string, unknown>)[field])) throw malformed();
  const attachment = outer.authenticatorAttachment;
  if (attachment !== undefined && attachment !== null && attachment !== "platform" && attachment !== "cross-platform") throw malformed();
  return { outer, inner: inner as Record<string, unknown> };
}

function registrationResponse(value: unknown): RegistrationResponseJSON {
  const { outer, inner } = commonResponse(value, ["clientDataJSON", "attestationObject"]);
  const transports = inner.transports;
  if (transports !== undefined && (!Array.isArray(transports) || transports.some((t) => typeof t !== "string"))) throw malformed();
  return { ...outer, clientExtensionResults: (outer.clientExtensionResults as object | undefined) ?? {} } as unknown as RegistrationResponseJSON;
}

function authenticationResponse(value: unknown): AuthenticationResponseJSON {
  const { outer, inner } = commonResponse(value, ["clientDataJSON", "authenticatorData", "signature"]);
  if (inner.userHandle !== undefined && inner.userHandle !== null && !isBase64Url(inner.userHandle)) throw malformed();
  return { ...outer, clientExtensionResults: (outer.clientExtensionResults as object | undefined) ?? {} } as unknown as AuthenticationResponseJSON;
}

function decodeClientData(clientDataJSON: string): { type: string; challenge: string; origin: string } {
  let decoded: { type?: unknown; challenge?: unknown; origin?: unknown };
  try {
    decoded = decodeClientDataJSON(clientDataJSON);
  } catch {
    throw malformed();
  }
  const { type, challenge, origin } = decoded;
  if (typeof type !== "string" || typeof challenge !== "string" || typeof origin !== "string") throw malformed();
  return { type, challenge, origin };
}

/** The authenticator data inside an attestation object (decoded by the library), for the relying party check. */
function attestedAuthenticatorData(attestationObject: string): { rpIdHash: Uint8Array } {
  try {
    const authData = decodeAttestationObject(isoBase64URL.toBuffer(attestationObject)).get("authData");
    return parseAuthenticatorData(authData);
  } catch {
    throw malformed();
  }
}

async function rpIdHashMatches(rpIdHash: Uint8Array, rpId: string): Promise<boolean> {
  const expected = await toHash(new TextEncoder().encode(rpId));
  return Buffer.from(rpIdHash).equals(Buffer.from(expected));
}
