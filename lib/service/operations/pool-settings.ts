// Per-pool settings stored and returned as AWS does: hosted UI customization (SetUICustomization, GetUICustomization:
// CSS limited to AWS's customizable classes, a PNG or JPEG logo), risk configuration (SetRiskConfiguration,
// DescribeRiskConfiguration: pool-wide or per app client, validated like AWS), and the pool's SAML signing certificate
// (GetSigningCertificate: a real self-signed X.509 certificate over an RSA key made for the pool on first use).
import { createHash, generateKeyPair, randomBytes, sign as signData, createPrivateKey, createPublicKey } from "node:crypto";
import { promisify } from "node:util";
import * as errors from "../errors";
import { optionalObject, optionalString, requiredString, type Input } from "../input";
import type { UserPoolRecord } from "../model";
import type { OperationTable, ServiceContext } from "../context";
import type { CognitoState } from "../state";
import { enumMember as enumValue } from "../validation";

const SETTINGS = "poolSettings";
const settingKey = (kind: string, poolId: string, clientId = "ALL") => JSON.stringify([kind, poolId, clientId]);

interface UiCustomizationRecord {
  UserPoolId: string;
  ClientId: string;
  CSS?: string;
  CSSVersion: string;
  image?: { base64: string; mime: string };
  CreationDate: number;
  LastModifiedDate: number;
}

interface RiskConfigurationRecord {
  UserPoolId: string;
  ClientId?: string;
  CompromisedCredentialsRiskConfiguration?: Record<string, unknown>;
  AccountTakeoverRiskConfiguration?: Record<string, unknown>;
  RiskExceptionConfiguration?: Record<string, unknown>;
  LastModifiedDate: number;
}

interface SigningCertificateRecord {
  privateKeyPem: string;
  certificate: string;
}

/** The classes AWS lets the hosted UI's CSS style. */
const CUSTOMIZABLE_CLASSES = new Set([
  "background-customizable", "banner-customizable", "errorMessage-customizable", "idpButton-customizable", "idpButton-customizable:hover",
  "idpDescription-customizable", "inputField-customizable", "inputField-customizable:focus", "label-customizable", "legalText-customizable",
  "logo-customizable", "passwordCheck-notValid-customizable", "passwordCheck-valid-customizable", "redirect-customizable",
  "socialButton-customizable", "submitButton-customizable", "submitButton-customizable:hover", "textDescription-customizable",
]);
const MAX_CSS_CHARS = 131_072;
const MAX_IMAGE_BYTES = 100 * 1024;

class SettingsStore {
  constructor(readonly state: CognitoState) {
    state.cascades.pool.push((poolId) => {
      for (const key of [...state.store.entries(SETTINGS).keys()]) if ((JSON.parse(key) as string[])[1] === poolId) state.store.delete(SETTINGS, key);
    });
  }
  get<T>(kind: string, poolId: string, clientId?: string): T | undefined {
    return this.state.store.get<T>(SETTINGS, settingKey(kind, poolId, clientId));
  }
  put(kind: string, poolId: string, clientId: string | undefined, value: unknown): void {
    this.state.store.put(SETTINGS, settingKey(kind, poolId, clientId), value);
  }
}

const stores = new WeakMap<CognitoState, SettingsStore>();
function settingsOf(ctx: ServiceContext): SettingsStore {
  let store = stores.get(ctx.state);
  if (!store) {
    store = new SettingsStore(ctx.state);
    stores.set(ctx.state, store);
  }
  return store;
}

/** The app client `ClientId` names in the pool, when given. */
function clientOf(ctx: ServiceContext, pool: UserPoolRecord, input: Input): string | undefined {
  const clientId = optionalString(input, "ClientId");
  if (clientId === undefined || clientId === "ALL") return undefined;
  ctx.requireClient(clientId, pool);
  return clientId;
}

// ---- UI customization -------------------------------------------------------------------------------------------

/** Checks that every rule of `css` styles only AWS's customizable classes. */
function checkCss(css: string): void {
  if (css.length > MAX_CSS_CHARS) throw errors.invalidParameter(`CSS must be at most ${MAX_CSS_CHARS} characters.`);
  const withoutComments = css.replace(/\/\*[\s\S]*?\*\//g, "");
  if ((withoutComments.match(/\{/g) ?? []).length !== (withoutComments.match(/\}/g) ?? []).length) throw errors.invalidParameter("CSS is not valid: unbalanced braces.");
  for (const rule of withoutComments.matchAll(/([^{}]+)\{[^{}]*\}/g)) {
    for (const selector of rule[1].split(",").map((s) => s.trim())) {
      const name = selector.startsWith(".") ? selector.slice(1) : "";
      if (!CUSTOMIZABLE_CLASSES.has(name)) throw errors.invalidParameter(`CSS is not valid: ${selector || "(empty selector)"} is not a customizable class.`);
    }
  }
}

function imageType(bytes: Buffer): string | undefined {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return "image/png";
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg";
  return undefined;
}

function uiView(record: UiCustomizationRecord) {
  return {
    UserPoolId: record.UserPoolId,
    ClientId: record.ClientId,
    ...(record.image ? { ImageUrl: `data:${record.image.mime};base64,${record.image.base64}` } : {}),
    ...(record.CSS !== undefined ? { CSS: record.CSS } : {}),
    CSSVersion: record.CSSVersion,
    LastModifiedDate: record.LastModifiedDate,
    CreationDate: record.CreationDate,
  };
}

/** The hosted UI customization that applies to a client (its own, else the pool's), for the hosted UI pages. */
export function uiCustomizationFor(ctx: ServiceContext, poolId: string, clientId?: string): { css?: string; imageUrl?: string } | undefined {
  const store = settingsOf(ctx);
  const record = (clientId ? store.get<UiCustomizationRecord>("ui", poolId, clientId) : undefined) ?? store.get<UiCustomizationRecord>("ui", poolId);
  if (!record) return undefined;
  const view = uiView(record);
  return { css: view.CSS, imageUrl: view.ImageUrl };
}

// ---- risk configuration -----------------------------------------------------------------------------------------

function checkCompromisedCredentials(config: Input): void {
  const actions = config.Actions as Input | undefined;
  if (!actions || typeof actions !== "object") throw errors.missingMember("CompromisedCredentialsRiskConfiguration.Actions");
  enumValue(actions.EventAction, ["BLOCK", "NO_ACTION"], "compromisedCredentialsRiskConfiguration.actions.eventAction");
  if (config.EventFilter !== undefined) {
    if (!Array.isArray(config.EventFilter)) throw errors.invalidParameter("EventFilter must be a list.");
    for (const f of config.EventFilter) enumValue(f, ["SIGN_IN", "PASSWORD_CHANGE", "SIGN_UP"], "compromisedCredentialsRiskConfiguration.eventFilter");
  }
}

function checkAccountTakeover(config: Input): void {
  const actions = config.Actions as Input | undefined;
  if (!actions || typeof actions !== "object") throw errors.missingMember("AccountTakeoverRiskConfiguration.Actions");
  let notifies = false;
  for (const level of ["LowAction", "MediumAction", "HighAction"]) {
    const action = actions[level] as Input | undefined;
    if (action === undefined) continue;
    if (typeof action !== "object" || typeof action.Notify !== "boolean") throw errors.invalidParameter(`AccountTakeoverRiskConfiguration.Actions.${level}.Notify must be a boolean.`);
    enumValue(action.EventAction, ["BLOCK", "MFA_IF_CONFIGURED", "MFA_REQUIRED", "NO_ACTION"], `accountTakeoverRiskConfiguration.actions.${level.charAt(0).toLowerCase()}${level.slice(1)}.eventAction`);
    notifies ||= action.Notify;
  }
  const notify = config.NotifyConfiguration as Input | undefined;
  if (notifies && !notify) throw errors.invalidParameter("NotifyConfiguration is required when an account takeover action notifies the user.");
  if (notify) {
    if (typeof notify.SourceArn !== "string" || !/^arn:[\w+=/,.@-]+:ses:/.test(notify.SourceArn)) throw errors.invalidParameter("NotifyConfiguration.SourceArn must be the ARN of an SES identity.");
    for (const email of ["BlockEmail", "NoActionEmail", "MfaEmail"]) {
      const template = notify[email] as Input | undefined;
      if (template !== undefined && (typeof template !== "object" || typeof template.Subject !== "string" || !template.Subject)) {
        throw errors.invalidParameter(`NotifyConfiguration.${email}.Subject is required.`);
      }
    }
  }
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
function checkRiskExceptions(config: Input): void {
  for (const list of ["BlockedIPRangeList", "SkippedIPRangeList"]) {
    const ranges = config[list];
    if (ranges === undefined) continue;
    if (!Array.isArray(ranges) || ranges.length > 200) throw errors.invalidParameter(`${list} must be a list of at most 200 CIDR ranges.`);
    for (const range of ranges) {
      const m = typeof range === "string" ? CIDR.exec(range) : null;
      if (!m || m.slice(1, 5).some((o) => Number(o) > 255) || Number(m[5]) > 32) throw errors.invalidParameter(`${String(range)} in ${list} is not a valid IPv4 CIDR range.`);
    }
  }
}

// ---- signing certificate ----------------------------------------------------------------------------------------

function der(tag: number, content: Buffer): Buffer {
  const n = content.length;
  const length = n < 0x80 ? Buffer.from([n]) : (() => {
    const bytes: number[] = [];
    for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
    return Buffer.from([0x80 | bytes.length, ...bytes]);
  })();
  return Buffer.concat([Buffer.from([tag]), length, content]);
}
const seq = (...parts: Buffer[]) => der(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]) => der(0x31, Buffer.concat(parts));
function integer(bytes: Buffer): Buffer {
  let b = bytes;
  while (b.length > 1 && b[0] === 0 && b[1] < 0x80) b = b.subarray(1);
  return der(0x02, b[0] >= 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);
}
function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split(".").map(Number);
  const bytes = [40 * a + b];
  for (const n of rest) {
    const chunk: number[] = [n & 0x7f];
    for (let v = n >>> 7; v > 0; v >>>= 7) chunk.unshift((v & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return der(0x06, Buffer.from(bytes));
}
const utf8 = (s: string) => der(0x0c, Buffer.from(s, "utf8"));
function utcTime(d: Date): Buffer {
  const two = (n: number) => String(n).padStart(2, "0");
  return der(0x17, Buffer.from(`${two(d.getUTCFullYear() % 100)}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}Z`, "ascii"));
}
const SHA256_WITH_RSA = seq(oid("1.2.840.113549.1.1.11"), Buffer.from([0x05, 0x00]));
const distinguishedName = (poolId: string) =>
  seq(set(seq(oid("2.5.4.6"), der(0x13, Buffer.from("US")))), set(seq(oid("2.5.4.10"), utf8("Amazon Cognito (local)"))), set(seq(oid("2.5.4.3"), utf8(poolId))));

/** A self-signed X.509 v3 certificate (DER, base64) for the pool's SAML signing key, valid for ten years. */
function selfSignedCertificate(poolId: string, privateKeyPem: string, nowMs: number): string {
  const key = createPrivateKey(privateKeyPem);
  const spki = createPublicKey(key).export({ type: "spki", format: "der" });
  const notBefore = new Date(nowMs);
  const notAfter = new Date(nowMs + 10 * 365 * 24 * 3600 * 1000);
  const tbs = seq(
    der(0xa0, integer(Buffer.from([2]))),
    integer(randomBytes(16)),
    SHA256_WITH_RSA,
    distinguishedName(poolId),
    seq(utcTime(notBefore), utcTime(notAfter)),
    distinguishedName(poolId),
    spki,
  );
  const signature = signData("sha256", tbs, key);
  return seq(tbs, SHA256_WITH_RSA, der(0x03, Buffer.concat([Buffer.from([0]), signature]))).toString("base64");
}

const generateRsa = promisify(generateKeyPair);

export function poolSettingsOperations(ctx: ServiceContext): OperationTable {
  const store = settingsOf(ctx);
  const pendingCertificates = new Map<string, Promise<string>>();
  return {
    SetUICustomization(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const clientId = clientOf(ctx, pool, input);
      if (!pool.domain) throw errors.invalidParameter("There has to be an existing domain associated with this user pool");
      const css = optionalString(input, "CSS");
      if (css !== undefined) checkCss(css);
      const imageFile = optionalString(input, "ImageFile");
      let image: UiCustomizationRecord["image"];
      if (imageFile !== undefined) {
        const bytes = Buffer.from(imageFile, "base64");
        const mime = imageType(bytes);
        if (!mime) throw errors.invalidParameter("ImageFile must be a PNG or JPEG image.");
        if (bytes.length > MAX_IMAGE_BYTES) throw errors.invalidParameter(`ImageFile must be at most ${MAX_IMAGE_BYTES / 1024} KB.`);
        image = { base64: bytes.toString("base64"), mime };
      }
      const previous = store.get<UiCustomizationRecord>("ui", pool.Id, clientId);
      const now = ctx.now();
      const record: UiCustomizationRecord = {
        UserPoolId: pool.Id,
        ClientId: clientId ?? "ALL",
        ...(css !== undefined ? { CSS: css } : {}),
        CSSVersion: createHash("sha256").update(`${css ?? ""}\u0000${image?.base64 ?? ""}\u0000${now}`).digest("hex").slice(0, 20),
        ...(image ? { image } : {}),
        CreationDate: previous?.CreationDate ?? now,
        LastModifiedDate: now,
      };
      store.put("ui", pool.Id, clientId, record);
      return { UICustomization: uiView(record) };
    },
    GetUICustomization(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const clientId = clientOf(ctx, pool, input);
      // A client without its own customization gets the pool's (ClientId ALL), as on AWS.
      const record = (clientId ? store.get<UiCustomizationRecord>("ui", pool.Id, clientId) : undefined) ?? store.get<UiCustomizationRecord>("ui", pool.Id);
      if (!record) return { UICustomization: { UserPoolId: pool.Id, ClientId: clientId ?? "ALL" } };
      return { UICustomization: uiView(record) };
    },
    SetRiskConfiguration(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const clientId = clientOf(ctx, pool, input);
      const compromised = optionalObject(input, "CompromisedCredentialsRiskConfiguration");
      const takeover = optionalObject(input, "AccountTakeoverRiskConfiguration");
      const exceptions = optionalObject(input, "RiskExceptionConfiguration");
      if (compromised) checkCompromisedCredentials(compromised);
      if (takeover) checkAccountTakeover(takeover);
      if (exceptions) checkRiskExceptions(exceptions);
      if (clientId && exceptions) throw errors.invalidParameter("RiskExceptionConfiguration can only be set for the user pool, not for an app client.");
      const record: RiskConfigurationRecord = {
        UserPoolId: pool.Id,
        ...(clientId ? { ClientId: clientId } : {}),
        ...(compromised ? { CompromisedCredentialsRiskConfiguration: compromised } : {}),
        ...(takeover ? { AccountTakeoverRiskConfiguration: takeover } : {}),
        ...(exceptions ? { RiskExceptionConfiguration: exceptions } : {}),
        LastModifiedDate: ctx.now(),
      };
      store.put("risk", pool.Id, clientId, record);
      return { RiskConfiguration: record };
    },
    DescribeRiskConfiguration(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const clientId = clientOf(ctx, pool, input);
      const record = (clientId ? store.get<RiskConfigurationRecord>("risk", pool.Id, clientId) : undefined) ?? store.get<RiskConfigurationRecord>("risk", pool.Id);
      return { RiskConfiguration: record ?? { UserPoolId: pool.Id, ...(clientId ? { ClientId: clientId } : {}) } };
    },
    async GetSigningCertificate(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const existing = store.get<SigningCertificateRecord>("signing", pool.Id);
      if (existing) return { Certificate: existing.certificate };
      // One key per pool even when first calls overlap.
      let pending = pendingCertificates.get(pool.Id);
      if (!pending) {
        pending = (async () => {
          const { privateKey } = await generateRsa("rsa", { modulusLength: 2048 });
          const privateKeyPem = privateKey.export({ type: "pkcs8", format: "pem" }) as string;
          const certificate = selfSignedCertificate(pool.Id, privateKeyPem, ctx.nowMs());
          if (ctx.state.pool(pool.Id)) store.put("signing", pool.Id, undefined, { privateKeyPem, certificate } satisfies SigningCertificateRecord);
          return certificate;
        })().finally(() => pendingCertificates.delete(pool.Id));
        pendingCertificates.set(pool.Id, pending);
      }
      return { Certificate: await pending };
    },
  };
}
