// Server side of Cognito's SRP-6a sign-in (USER_SRP_AUTH), wire-compatible with amazon-cognito-identity-js:
// password verifiers (how passwords are stored), the PASSWORD_VERIFIER challenge values and the check of
// PASSWORD_CLAIM_SIGNATURE. Powers of a variable base run in OpenSSL through node:crypto's Diffie-Hellman
// objects; powers of the fixed generator g use a precomputed table and BigInt multiplication
// (./srp-generator-table.ts).

import { createDiffieHellman, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";
import type { DiffieHellman } from "node:crypto";
import { GeneratorPowerWorkers } from "./srp-power-workers";
import { fitsTable, GeneratorTable } from "./srp-generator-table";
import { isProvenPassword, provenPasswordDigest, rememberProvenPassword } from "./proven-passwords";

/** The 3072-bit MODP prime of RFC 3526 (section 4), the group that Cognito's SRP uses. */
const N_HEX =
  "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
  "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
  "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
  "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
  "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
  "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
  "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
  "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF";

/** The group modulus N. */
export const SRP_N = BigInt(`0x${N_HEX}`);
/** The group generator g. */
export const SRP_G = 2n;
/** Byte length of N: every group element is compared at this fixed width. */
const N_BYTES = N_HEX.length / 2;
/** HKDF info string of Cognito's session key derivation. */
const HKDF_INFO = "Caldera Derived Key";
/** Random bytes in a new salt (what the client itself uses for device verifiers). */
const SALT_BYTES = 16;
/**
 * Bytes of the server's ephemeral secret b. RFC 5054 (section 2.5.4) asks for at least 256 bits; with a
 * 3072-bit group a 256-bit exponent gives the ~128-bit strength of the group itself.
 */
const SERVER_SECRET_BYTES = 32;

/** Thrown for client-supplied SRP values that must be refused (the caller maps it to an AWS exception). */
export class SrpParameterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SrpParameterError";
  }
}

// ---------------------------------------------------------------------------------------------------------
// Encoding helpers (exported where the client's exact behaviour matters to callers and tests)

const HEX_PATTERN = /^[0-9a-fA-F]+$/;
/** Longest hex string accepted for a client-supplied group element (N is 768 hex digits; allow padding). */
const MAX_ELEMENT_HEX = 1024;

/** Parses a non-empty hex string into a non-negative bigint; throws SrpParameterError on anything else. */
function hexToBigInt(hex: string, what = "value"): bigint {
  if (typeof hex !== "string" || hex.length === 0 || hex.length > MAX_ELEMENT_HEX || !HEX_PATTERN.test(hex)) {
    throw new SrpParameterError(`${what} is not a valid hex number`);
  }
  return BigInt(`0x${hex}`);
}

/**
 * The client's `padHex`: an unambiguous, even-length hex string of the two's complement encoding of an
 * integer (what Java's BigInteger.toByteArray() gives). Positive values whose top bit is set get a leading
 * "00"; negative values are encoded in two's complement with the shortest sign-preserving prefix.
 */
export function padHex(value: bigint): string {
  const negative = value < 0n;
  let hex = (negative ? -value : value).toString(16);
  if (hex.length % 2 !== 0) hex = `0${hex}`;
  if (/^[89a-f]/.test(hex)) hex = `00${hex}`;
  if (!negative) return hex;
  // Inverting every nibble and adding one equals 16^len - |value|; its top nibble is >= 8, so no digit is lost.
  const twos = (1n << BigInt(hex.length * 4)) - -value;
  let out = twos.toString(16);
  if (out.startsWith("ff8")) out = out.substring(2); // same shortening the client applies (only for 0x80...00)
  return out;
}

/** padHex(value) as bytes: the byte string the client hashes for a number. */
function paddedBytes(value: bigint): Buffer {
  return Buffer.from(padHex(value), "hex");
}

/** A value in [0, N) as exactly N_BYTES big-endian bytes (for constant-time comparison). */
function fixedWidthBytes(value: bigint): Buffer {
  return Buffer.from(value.toString(16).padStart(N_BYTES * 2, "0"), "hex");
}

function bytesToBigInt(bytes: Buffer): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${bytes.toString("hex")}`);
}

function sha256(...parts: Array<Buffer | string>): Buffer {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part);
  return hash.digest();
}

// ---------------------------------------------------------------------------------------------------------
// Modular exponentiation in OpenSSL

let group: DiffieHellman | undefined;

/**
 * base^exponent mod N, computed by OpenSSL (constant-time in the exponent). One Diffie-Hellman object is
 * reused: setting its private key and computing the shared secret happens synchronously, so no other call
 * can interleave on Node's single JS thread.
 */
function modPowN(base: bigint, exponent: Buffer): bigint {
  const b = ((base % SRP_N) + SRP_N) % SRP_N;
  if (bytesToBigInt(exponent) === 0n) return 1n;
  // OpenSSL refuses the degenerate "public keys" 0, 1 and N-1; their powers are trivial anyway.
  if (b === 0n) return 0n;
  if (b === 1n) return 1n;
  if (b === SRP_N - 1n) return (exponent[exponent.length - 1]! & 1) === 1 ? SRP_N - 1n : 1n;
  group ??= createDiffieHellman(Buffer.from(N_HEX, "hex"), Buffer.from([Number(SRP_G)]));
  group.setPrivateKey(exponent);
  return bytesToBigInt(group.computeSecret(fixedWidthBytes(b)));
}

/** Powers of g by table lookup, once the table is built or read from the machine's cache (./srp-generator-table.ts). */
const generatorTable = new GeneratorTable(SRP_N, SRP_G);
/**
 * Powers of g computed by OpenSSL before the table is read or built. Reading the machine's cached table costs about
 * 5 ms and building it 200 to 400 ms of BigInt work: both pay back only after many powers, so a process turns to the
 * table only under load, never during the few sign-ups of a test or a `wing it` session (where building competed with
 * the simulator's start for the CPU).
 */
const GENERATOR_TABLE_AFTER = 64;
let powersBeforeTable = 0;

/** Powers of g computed for verifiers and password checks, wherever they ran (tests: the password memo skips them). */
let generatorPowers = 0;
export function generatorPowerCount(): number {
  return generatorPowers;
}

function generatorPower(exponent: Buffer): bigint {
  generatorPowers++;
  const fromTable = generatorTable.power(exponent);
  if (fromTable !== undefined) return fromTable;
  if (++powersBeforeTable === GENERATOR_TABLE_AFTER && !generatorTable.load()) generatorTable.startBuilding();
  return modPowN(SRP_G, exponent);
}

/** Worker threads for powers of g once the table is complete (./srp-power-workers.ts). */
const powerWorkers = new GeneratorPowerWorkers();

/**
 * generatorPower off the event loop: on a worker thread once the table is complete (the process is under load), else on
 * the main thread as generatorPower does (also when the workers failed).
 */
async function generatorPowerOffMainThread(exponent: Buffer): Promise<bigint> {
  const contents = generatorTable.contents();
  if (contents && fitsTable(exponent) && powerWorkers.available()) {
    try {
      const power = await powerWorkers.power(contents, SRP_N, exponent);
      generatorPowers++;
      return power;
    } catch {
      // the pool is down: compute here
    }
  }
  return generatorPower(exponent);
}

/** True once the generator table is complete (then powers of g come from it, not from OpenSSL). */
export function generatorTableComplete(): boolean {
  return generatorTable.complete();
}

/**
 * Where the generator table is cached for every process on the machine (read once a process is under load, written
 * once built); `undefined` keeps it in memory only. The service sets it when it starts.
 */
export function useGeneratorTableCache(dir: string | undefined): void {
  generatorTable.useCacheDir(dir);
}

/** The generator table's cache file in `dir` (whether or not it exists yet). */
export function generatorTableCacheFile(dir: string): string {
  return generatorTable.cacheFileIn(dir);
}

/**
 * Warms OpenSSL's group object (the service calls it right after it starts listening), so that the first sign-up
 * costs what later ones do. The generator table follows only under load (see `GENERATOR_TABLE_AFTER`).
 */
export function prepareSrp(): void {
  modPowN(3n, Buffer.from([1]));
}

/** k = H(padHex(N) || padHex(g)), the SRP-6a multiplier, as the client computes it. */
const SRP_K = bytesToBigInt(sha256(paddedBytes(SRP_N), paddedBytes(SRP_G)));

// ---------------------------------------------------------------------------------------------------------
// Public API

/** The pool name that goes into SRP hashes and the claim signature: the part of the pool id after "_". */
export function srpPoolName(userPoolId: string): string {
  const underscore = userPoolId.indexOf("_");
  if (underscore < 0 || underscore === userPoolId.length - 1) {
    throw new SrpParameterError(`user pool id ${JSON.stringify(userPoolId)} has no "<region>_<name>" shape`);
  }
  return userPoolId.substring(underscore + 1);
}

/** x = H(padHex(salt) || H(poolName || userIdForSrp || ":" || password)), as 32 bytes. */
function passwordExponent(userPoolId: string, userIdForSrp: string, password: string, saltHex: string): Buffer {
  const inner = sha256(Buffer.from(`${srpPoolName(userPoolId)}${userIdForSrp}:${password}`, "utf8"));
  const salt = hexToBigInt(saltHex, "salt");
  // The client hashes the hex *string* of the inner hash, decoded back to bytes: identical to the raw bytes.
  return sha256(paddedBytes(salt), inner);
}

/** A stored SRP password verifier: the salt and v = g^x mod N, both hex. The password itself is not kept. */
export interface PasswordVerifier {
  /** Salt, hex in the client's padHex form (it parses it as a number and pads it again). */
  salt: string;
  /** v = g^x mod N, hex in padHex form. */
  verifier: string;
}

/**
 * Creates the stored form of a password for a user: a fresh random salt and the SRP verifier. Uses the
 * same derivation as the client so that both USER_SRP_AUTH and USER_PASSWORD_AUTH can be checked against it.
 * `userIdForSrp` must be the value later sent as USER_ID_FOR_SRP (it is part of the hash).
 */
export function createPasswordVerifier(userPoolId: string, userIdForSrp: string, password: string): PasswordVerifier {
  const salt = newSalt();
  const exponent = passwordExponent(userPoolId, userIdForSrp, password, salt);
  const verifier = padHex(generatorPower(exponent));
  rememberProvenPassword(provenPasswordDigest(exponent, verifier));
  return { salt, verifier };
}

/** A fresh random non-zero salt, in the client's padHex form. */
function newSalt(): string {
  let saltValue = 0n;
  while (saltValue === 0n) saltValue = bytesToBigInt(randomBytes(SALT_BYTES));
  return padHex(saltValue);
}

/**
 * createPasswordVerifier with the power of g computed off the event loop once the service is under load (see
 * generatorPowerOffMainThread): the same salt and verifier, at the same cost, while the main thread serves requests.
 */
export async function createPasswordVerifierOffMainThread(userPoolId: string, userIdForSrp: string, password: string): Promise<PasswordVerifier> {
  const salt = newSalt();
  const exponent = passwordExponent(userPoolId, userIdForSrp, password, salt);
  const verifier = padHex(await generatorPowerOffMainThread(exponent));
  rememberProvenPassword(provenPasswordDigest(exponent, verifier));
  return { salt, verifier };
}

/**
 * True when `password` is the one the verifier was made from (USER_PASSWORD_AUTH, AdminInitiateAuth with
 * ADMIN_USER_PASSWORD_AUTH, ChangePassword...). One modular exponentiation; constant-time comparison.
 * Malformed stored values give false.
 */
export function passwordMatchesVerifier(
  userPoolId: string,
  userIdForSrp: string,
  password: string,
  salt: string,
  verifier: string,
): boolean {
  try {
    const stored = hexToBigInt(verifier, "verifier");
    if (stored >= SRP_N) return false;
    const exponent = passwordExponent(userPoolId, userIdForSrp, password, salt);
    const digest = provenPasswordDigest(exponent, verifier);
    if (isProvenPassword(digest)) return true;
    const matches = timingSafeEqual(fixedWidthBytes(generatorPower(exponent)), fixedWidthBytes(stored));
    if (matches) rememberProvenPassword(digest);
    return matches;
  } catch {
    return false;
  }
}

/**
 * passwordMatchesVerifier with the power of g computed off the event loop once the service is under load (see
 * generatorPowerOffMainThread). Same answers, same constant-time comparison.
 */
export async function passwordMatchesVerifierOffMainThread(
  userPoolId: string,
  userIdForSrp: string,
  password: string,
  salt: string,
  verifier: string,
): Promise<boolean> {
  let stored: bigint;
  let exponent: Buffer;
  try {
    stored = hexToBigInt(verifier, "verifier");
    if (stored >= SRP_N) return false;
    exponent = passwordExponent(userPoolId, userIdForSrp, password, salt);
  } catch {
    return false;
  }
  const digest = provenPasswordDigest(exponent, verifier);
  if (isProvenPassword(digest)) return true;
  const matches = timingSafeEqual(fixedWidthBytes(await generatorPowerOffMainThread(exponent)), fixedWidthBytes(stored));
  if (matches) rememberProvenPassword(digest);
  return matches;
}

/** Parses and checks the client's SRP_A; throws SrpParameterError when it must be refused. */
function parseClientPublicValue(srpAHex: string): bigint {
  const a = hexToBigInt(srpAHex, "SRP_A");
  const reduced = a % SRP_N;
  // A mod N == 0 would make the session key independent of the password (SRP-6a's mandatory check);
  // 1 and N-1 are refused too, since they only come from a hostile client.
  if (reduced === 0n || reduced === 1n || reduced === SRP_N - 1n) {
    throw new SrpParameterError("SRP_A is not a valid public value (A mod N is degenerate)");
  }
  return a;
}

/** The server's half of an SRP session: keep serverSecretB private (in the session), send srpB as SRP_B. */
export interface SrpServerSession {
  /** The server's ephemeral secret b, hex. Store it with the session; never send it. */
  serverSecretB: string;
  /** B = (k*v + g^b) mod N, hex in padHex form: the SRP_B challenge parameter. */
  srpB: string;
}

/**
 * Answers the client's SRP_A: draws the ephemeral secret b and computes B = k*v + g^b mod N.
 * Throws SrpParameterError when SRP_A is malformed or A mod N is degenerate (0, 1 or N-1); the caller maps
 * it to InvalidParameterException or NotAuthorizedException.
 */
export function startSrpSession(verifierHex: string, srpAHex: string): SrpServerSession {
  parseClientPublicValue(srpAHex);
  const v = hexToBigInt(verifierHex, "verifier");
  for (;;) {
    const b = randomBytes(SERVER_SECRET_BYTES);
    if (bytesToBigInt(b) === 0n) continue;
    const B = (SRP_K * v + generatorPower(b)) % SRP_N;
    if (B === 0n) continue; // the client refuses B mod N == 0; draw again (practically never happens)
    return { serverSecretB: b.toString("hex"), srpB: padHex(B) };
  }
}

/** Everything needed to check a PASSWORD_VERIFIER challenge response. */
export interface PasswordClaim {
  userPoolId: string;
  /** The USER_ID_FOR_SRP the server issued in the challenge (the client echoes it as USERNAME). */
  userIdForSrp: string;
  /** Stored salt and verifier of the user. */
  salt: string;
  verifier: string;
  /** SRP_A from InitiateAuth, as received. */
  srpA: string;
  /** From startSrpSession. */
  serverSecretB: string;
  srpB: string;
  /** PASSWORD_CLAIM_SECRET_BLOCK, base64. The caller must also check that it is the block it issued. */
  secretBlock: string;
  /** TIMESTAMP as sent (signed verbatim). Check its freshness separately with isTimestampFresh. */
  timestamp: string;
  /** PASSWORD_CLAIM_SIGNATURE, base64. */
  signature: string;
}

const BASE64_PATTERN = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * The session key both sides derive: u = H(padHex(A) || padHex(B)), S = (A * v^u)^b mod N,
 * key = HKDF-SHA256(ikm = padHex(S), salt = padHex(u), info = "Caldera Derived Key"), 16 bytes.
 * Returns undefined for inputs no honest client produces (u = 0, degenerate A).
 */
function sessionKey(claim: PasswordClaim): Buffer | undefined {
  const A = parseClientPublicValue(claim.srpA);
  const B = hexToBigInt(claim.srpB, "SRP_B");
  const v = hexToBigInt(claim.verifier, "verifier");
  const b = Buffer.from(claim.serverSecretB, "hex");
  if (b.length === 0 || b.toString("hex") !== claim.serverSecretB.toLowerCase()) return undefined;
  const uBytes = sha256(paddedBytes(A), paddedBytes(B));
  const u = bytesToBigInt(uBytes);
  if (u === 0n) return undefined;
  const S = modPowN(((A % SRP_N) * modPowN(v, uBytes)) % SRP_N, b);
  return Buffer.from(hkdfSync("sha256", paddedBytes(S), paddedBytes(u), Buffer.from(HKDF_INFO, "utf8"), 16));
}

/**
 * True when PASSWORD_CLAIM_SIGNATURE proves knowledge of the password behind the verifier:
 * expected = Base64(HMAC-SHA256(key, poolName || userIdForSrp || secretBlockBytes || timestamp)).
 * Compared in constant time; any malformed input gives false. Two modular exponentiations.
 */
export function verifyPasswordClaim(claim: PasswordClaim): boolean {
  try {
    if (!BASE64_PATTERN.test(claim.signature) || !BASE64_PATTERN.test(claim.secretBlock)) return false;
    const key = sessionKey(claim);
    if (!key) return false;
    const expected = createHmac("sha256", key)
      .update(Buffer.from(srpPoolName(claim.userPoolId), "utf8"))
      .update(Buffer.from(claim.userIdForSrp, "utf8"))
      .update(Buffer.from(claim.secretBlock, "base64"))
      .update(Buffer.from(claim.timestamp, "utf8"))
      .digest();
    const given = Buffer.from(claim.signature, "base64");
    return given.length === expected.length && timingSafeEqual(given, expected);
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------------------
// TIMESTAMP ("ddd MMM D HH:mm:ss UTC YYYY", e.g. "Tue Mar 5 09:04:03 UTC 2024")

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const TIMESTAMP_PATTERN = /^([A-Z][a-z]{2}) ([A-Z][a-z]{2}) (\d{1,2}) (\d{2}):(\d{2}):(\d{2}) UTC (\d{4})$/;

/** Formats a date the way the client's DateHelper does (day of month not zero-padded). */
export function formatSrpTimestamp(date: Date): string {
  const two = (n: number) => String(n).padStart(2, "0");
  return (
    `${WEEKDAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()} ` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} UTC ${date.getUTCFullYear()}`
  );
}

/**
 * Parses a TIMESTAMP challenge response (day with or without zero padding). Returns undefined when the
 * string is malformed, names a date that does not exist, or has a weekday that does not match the date.
 */
export function parseSrpTimestamp(timestamp: string): Date | undefined {
  const m = TIMESTAMP_PATTERN.exec(timestamp);
  if (!m) return undefined;
  const [, weekday, monthName, day, hours, minutes, seconds, year] = m as unknown as string[];
  const month = MONTHS.indexOf(monthName!);
  if (month < 0) return undefined;
  const date = new Date(Date.UTC(Number(year), month, Number(day), Number(hours), Number(minutes), Number(seconds)));
  const consistent =
    date.getUTCFullYear() === Number(year) &&
    date.getUTCMonth() === month &&
    date.getUTCDate() === Number(day) &&
    date.getUTCHours() === Number(hours) &&
    date.getUTCMinutes() === Number(minutes) &&
    date.getUTCSeconds() === Number(seconds) &&
    WEEKDAYS[date.getUTCDay()] === weekday;
  return consistent ? date : undefined;
}

/** True when the TIMESTAMP parses and lies within ±toleranceMs (default 5 minutes) of `now`. */
export function isTimestampFresh(timestamp: string, now: Date = new Date(), toleranceMs = 5 * 60 * 1000): boolean {
  const date = parseSrpTimestamp(timestamp);
  return date !== undefined && Math.abs(date.getTime() - now.getTime()) <= toleranceMs;
}

/**
 * A verifier-shaped value made from pseudo-random bytes: what an unknown user gets in place of a real verifier when a
 * client hides user existence. The salt is non-zero and the verifier lies in [1, N), so the challenge computed from
 * it (SALT, SRP_B) has the shape and cost of a real one; no password matches it (that would take a discrete log).
 */
export function decoyPasswordVerifier(saltBytes: Buffer, valueBytes: Buffer): PasswordVerifier {
  const salt = bytesToBigInt(saltBytes.subarray(0, SALT_BYTES)) || 1n;
  const value = (bytesToBigInt(valueBytes) % (SRP_N - 1n)) + 1n;
  return { salt: padHex(salt), verifier: padHex(value) };
}
