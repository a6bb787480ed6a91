// What every operation of the local Cognito service works with: the state, the clock, the region (per request: the
// SigV4 signing region, as on a regional endpoint), code delivery, pools' signing keys, and the lookups and checks that
// many operations share (pool, client, user, password policy, SECRET_HASH).
import { AsyncLocalStorage } from "node:async_hooks";
import { createHmac, timingSafeEqual } from "node:crypto";
import { ChallengeSessions } from "./challenge-sessions";
import { clientSecretsOf } from "./client-secrets";
import * as errors from "./errors";
import { newSixDigitCode, regionOfId } from "./ids";
import type { Input } from "./input";
import type { AppClientRecord, CodePurpose, PendingCode, SigningKey, UserPoolRecord, UserRecord } from "./model";
import { sha256, type CognitoState } from "./state";
import { TriggerRunner } from "./triggers";
import { prepareSigningKeys, takeSigningKey } from "./tokens";

/** The region of the request being served (its SigV4 signing region), when it named one. */
const requestRegion = new AsyncLocalStorage<string>();

/** A region name as AWS spells them (us-east-1, eu-central-2, us-gov-west-1). */
export const REGION_PATTERN = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;

/** One operation: a parsed JSON input in, a JSON output out (or a thrown CognitoError). */
export type Operation = (input: Input) => Promise<Record<string, unknown>> | Record<string, unknown>;
export type OperationTable = Record<string, Operation>;

const CODE_LIFETIME_SECONDS = 24 * 3600;
const RESET_CODE_LIFETIME_SECONDS = 3600;
/** Wrong codes allowed before a code is burnt. */
export const MAX_CODE_ATTEMPTS = 5;

export class ServiceContext {
  /** Sign-in challenges in progress. */
  readonly challenges: ChallengeSessions;
  /** The pool triggers (Lambda functions) this service runs. */
  readonly triggers: TriggerRunner;

  /** Keys being made for pools that need them, so concurrent first uses share one pair. */
  private readonly pendingKeys = new Map<string, Promise<{ idTokenKey: SigningKey; accessTokenKey: SigningKey }>>();

  constructor(
    readonly state: CognitoState,
    /** The region of requests that name none (the service's `--region`). */
    readonly defaultRegion: string,
    readonly log: (line: string) => void,
    private readonly clock: () => number = Date.now,
  ) {
    this.challenges = new ChallengeSessions(() => this.now());
    this.triggers = new TriggerRunner(defaultRegion, log);
  }

  /** The region of the request being served: its signing region, else the default. New ids and ARNs use it. */
  get region(): string {
    return requestRegion.getStore() ?? this.defaultRegion;
  }

  /** Runs `fn` as a request for `region` (ignored unless it looks like a region). */
  inRegion<T>(region: string | undefined, fn: () => T): T {
    return region && REGION_PATTERN.test(region) ? requestRegion.run(region, fn) : fn();
  }

  /** The region an existing resource lives in: the one its id names, else the request's. */
  regionOf(id: string): string {
    return regionOfId(id) ?? this.region;
  }

  /**
   * A pool's signing keys, made on first need (pool creation stays cheap) and stored with the pool, so that they are
   * durable with the write of the operation that first signs with them.
   */
  async poolKeys(pool: UserPoolRecord): Promise<{ idTokenKey: SigningKey; accessTokenKey: SigningKey }> {
    const stored = (p: UserPoolRecord | undefined) => (p?.idTokenKey && p.accessTokenKey ? { idTokenKey: p.idTokenKey, accessTokenKey: p.accessTokenKey } : undefined);
    const existing = stored(pool);
    if (existing) return existing;
    let pending = this.pendingKeys.get(pool.Id);
    if (!pending) {
      pending = Promise.all([takeSigningKey(), takeSigningKey()]).then(([idTokenKey, accessTokenKey]) => ({ idTokenKey, accessTokenKey }));
      // The reserve is refilled now only when another pool will need keys; else the next CreateUserPool refills it.
      // Two RSA keys cost 100 to 500 ms of CPU: made right after a simulator's only pool first signs, they competed
      // with the rest of the test (the guarded route's process start, its checks) for the machine's cores.
      if (this.state.pools().some((p) => p.Id !== pool.Id && !(p.idTokenKey && p.accessTokenKey))) prepareSigningKeys();
      this.pendingKeys.set(pool.Id, pending);
      pending.finally(() => this.pendingKeys.delete(pool.Id)).catch(() => undefined);
    }
    const made = await pending;
    // Each caller stores the keys in its own operation (first one wins), so that none signs with keys that its own
    // write would not make durable.
    const current = this.state.pool(pool.Id);
    const raced = stored(current);
    if (raced) return raced;
    if (current) this.state.putPool({ ...current, ...made });
    return made;
  }

  /** Now, in epoch milliseconds. */
  nowMs(): number {
    return this.clock();
  }
  /** Now, in epoch seconds (the wire format of Cognito timestamps). */
  now(): number {
    return Math.floor(this.clock() / 1000);
  }

  /** The `iss` of a pool's tokens: the pool's own region, as aws-jwt-verify derives it from the pool id. */
  issuer(poolId: string): string {
    return `https://cognito-idp.${this.regionOf(poolId)}.amazonaws.com/${poolId}`;
  }

  requirePool(id: string): UserPoolRecord {
    const pool = this.state.pool(id);
    if (!pool) throw errors.resourceNotFound(`User pool ${id} does not exist.`);
    return pool;
  }

  requireClient(clientId: string, pool?: UserPoolRecord): AppClientRecord {
    const client = this.state.client(clientId);
    if (!client || (pool && client.UserPoolId !== pool.Id)) throw errors.resourceNotFound(`User pool client ${clientId} does not exist.`);
    return client;
  }

  /** The user `name` designates, or UserNotFoundException (NotAuthorized when the client hides user existence). */
  requireUser(pool: UserPoolRecord, name: string, client?: AppClientRecord): UserRecord {
    const user = this.state.findUser(pool, name);
    if (!user) {
      if (client?.PreventUserExistenceErrors === "ENABLED") throw errors.incorrectCredentials();
      throw errors.userNotFound("User does not exist.");
    }
    return user;
  }

  /** Checks SECRET_HASH for clients with a secret: Base64(HMAC-SHA256(secret, username + clientId)). */
  checkSecretHash(client: AppClientRecord, username: string, secretHash: string | undefined): void {
    if (!client.ClientSecret) return;
    if (!secretHash) throw errors.notAuthorized(`Client ${client.ClientId} is configured with secret but SECRET_HASH was not received`);
    const given = Buffer.from(secretHash, "base64");
    // Any active secret of the client (two while one is being rotated) makes a good hash.
    const matches = clientSecretsOf(client).some((secret) => {
      const expected = createHmac("sha256", secret.value).update(username + client.ClientId).digest();
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
    if (!matches) throw errors.notAuthorized(`Unable to verify secret hash for client ${client.ClientId}`);
  }

  /** Throws InvalidPasswordException when `password` breaks the pool's policy. */
  checkPasswordPolicy(pool: UserPoolRecord, password: string): void {
    const p = pool.passwordPolicy;
    const problems: string[] = [];
    if (password.length < p.MinimumLength) problems.push("Password not long enough");
    if (p.RequireUppercase && !/[A-Z]/.test(password)) problems.push("Password must have uppercase characters");
    if (p.RequireLowercase && !/[a-z]/.test(password)) problems.push("Password must have lowercase characters");
    if (p.RequireNumbers && !/[0-9]/.test(password)) problems.push("Password must have numeric characters");
    if (p.RequireSymbols && !/[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+\- ]/.test(password)) problems.push("Password must have symbol characters");
    if (password.length > 256 || /^\s|\s$/.test(password)) problems.push("Password does not conform to policy");
    if (problems.length > 0) throw errors.invalidPassword(`Password did not conform with policy: ${problems[0]}`);
  }

  /** Makes a six-digit code for `user`, stores its hash, and "delivers" it to the log and the local code route. */
  issueCode(pool: UserPoolRecord, user: UserRecord, purpose: CodePurpose, attribute?: string, message?: DeliveredMessage): { Destination: string; DeliveryMedium: "EMAIL" | "SMS"; AttributeName: string } {
    const code = newSixDigitCode();
    const lifetime = purpose === "FORGOT_PASSWORD" ? RESET_CODE_LIFETIME_SECONDS : purpose === "MFA" ? 180 : CODE_LIFETIME_SECONDS;
    const pending: PendingCode = {
      userPoolId: pool.Id,
      username: user.username,
      purpose,
      attribute,
      // Bound to the address it went to: the code is void once the attribute holds another value.
      ...(attribute !== undefined && user.attributes[attribute] !== undefined ? { value: user.attributes[attribute] } : {}),
      codeHash: sha256(code),
      expiresAt: this.now() + lifetime,
      attempts: 0,
    };
    this.state.putPendingCode(pending);
    return this.deliver(pool, user, purpose, code, attribute, message);
  }

  /** Writes a code to the log and the local code route, as if sent by email or SMS. */
  deliver(pool: UserPoolRecord, user: UserRecord, purpose: CodePurpose, code: string, attribute?: string, message?: DeliveredMessage) {
    const attributeName = attribute === "phone_number" || attribute === "email" ? attribute : user.attributes.email ? "email" : "phone_number";
    const medium: "EMAIL" | "SMS" = attributeName === "phone_number" ? "SMS" : "EMAIL";
    const destination = user.attributes[attributeName] ?? user.username;
    // A CustomMessage trigger's text is what is delivered, its code placeholder replaced by the code.
    const fill = (text: string | undefined) => text?.split("{####}").join(code).split("{username}").join(user.username);
    const text = fill(medium === "SMS" ? message?.smsMessage : message?.emailMessage);
    const subject = medium === "EMAIL" ? fill(message?.emailSubject) : undefined;
    this.state.recordDelivery({
      userPoolId: pool.Id, username: user.username, purpose, code, destination, deliveryMedium: medium, createdAt: this.now(),
      ...(text !== undefined ? { message: text } : {}), ...(subject !== undefined ? { subject } : {}),
    });
    this.log(`[code] pool=${pool.Id} user=${user.username} purpose=${purpose} to=${destination} code=${code}`);
    if (text !== undefined) this.log(`[message] pool=${pool.Id} user=${user.username} to=${destination}${subject !== undefined ? ` subject=${JSON.stringify(subject)}` : ""} ${JSON.stringify(text)}`);
    return { Destination: maskDestination(destination, medium), DeliveryMedium: medium, AttributeName: attributeName };
  }

  /** Checks and consumes a code: CodeMismatchException, ExpiredCodeException, or attempt limits. */
  consumeCode(pool: UserPoolRecord, user: UserRecord, purpose: CodePurpose, code: string, attribute?: string): void {
    const pending = this.state.pendingCode(pool.Id, user.username, purpose, attribute);
    if (!pending) throw errors.codeMismatch("Invalid verification code provided, please try again.");
    // A burnt code keeps answering LimitExceeded (as AWS does, and as SDKs that retry that error expect) until a new
    // code replaces it.
    if (pending.attempts >= MAX_CODE_ATTEMPTS) throw errors.limitExceeded("Attempt limit exceeded, please try after some time.");
    if (pending.value !== undefined && pending.attribute !== undefined && user.attributes[pending.attribute] !== pending.value) {
      // The attribute changed since the code went out: the code was for another address, and is void.
      this.state.deletePendingCode(pending);
      throw errors.codeMismatch("Invalid verification code provided, please try again.");
    }
    if (pending.expiresAt <= this.now()) {
      this.state.deletePendingCode(pending);
      throw errors.expiredCode("Invalid code provided, please request a code again.");
    }
    if (sha256(code) !== pending.codeHash) {
      const attempts = pending.attempts + 1;
      this.state.putPendingCode({ ...pending, attempts });
      if (attempts >= MAX_CODE_ATTEMPTS) throw errors.limitExceeded("Attempt limit exceeded, please try after some time.");
      throw errors.codeMismatch("Invalid verification code provided, please try again.");
    }
    this.state.deletePendingCode(pending);
  }
}

/** A destination as CodeDeliveryDetails show it: `a***@e***` or `+*******1234`. */
export function maskDestination(destination: string, medium: "EMAIL" | "SMS"): string {
  if (medium === "SMS") return `+*******${destination.slice(-4)}`;
  const [local, domain] = destination.split("@");
  if (!domain) return "***";
  return `${local.charAt(0)}***@${domain.charAt(0)}***`;
}

export type { Input };

/** The text a CustomMessage trigger chose for a delivery; `{####}` stands for the code, `{username}` for the username. */
export interface DeliveredMessage {
  emailMessage?: string;
  emailSubject?: string;
  smsMessage?: string;
}
