// The in-memory state of the OAuth endpoints, one per service: authorization codes (single-use, five minutes), the
// hosted page's signed-in sessions (the `cognito` cookie, one hour) and sign-in flows in progress (the `XSRF-TOKEN`
// cookie, with the CSRF token derived from it and the pending challenge) and federated sign-ins waiting for their
// identity provider (five minutes). Like sign-in challenges, none of it survives
// a restart: a user then simply signs in again.
import { createHmac, randomBytes } from "node:crypto";
import type { ServiceContext } from "../context";
import { newOpaqueToken } from "../ids";
import type { PendingFederation } from "./federation";

export const CODE_SECONDS = 300;
export const HOSTED_SESSION_SECONDS = 3600;
export const FLOW_SECONDS = 900;
const MAX_ENTRIES = 100_000;

export interface AuthorizationCode {
  poolId: string;
  clientId: string;
  redirectUri: string;
  username: string;
  scope: string;
  nonce?: string;
  codeChallenge?: string;
  codeChallengeMethod?: "S256" | "plain";
  authTime: number;
  expiresAt: number;
}

/** Signed in on the hosted page: later authorize requests of the pool skip the form. */
export interface HostedSession {
  poolId: string;
  username: string;
  authTime: number;
  expiresAt: number;
}

/** A sign-in under way on the hosted page. */
export interface LoginFlow {
  poolId: string;
  expiresAt: number;
  /** The challenge the user must answer next, with Cognito's Session for it. */
  challenge?: {
    name: string;
    session: string;
    username: string;
    destination?: string;
    /** NEW_PASSWORD_REQUIRED: the required attributes the user still lacks. */
    requiredAttributes?: string[];
    /** SELECT_MFA_TYPE: the methods to choose from. */
    options?: string[];
    /** MFA_SETUP: the authenticator app's secret (AssociateSoftwareToken's SecretCode) and its otpauth:// URI. */
    secret?: string;
    otpauthUri?: string;
  };
  /** A sign-up made in this flow (the sign-up page): who, with which password, and SignUp's Session for ConfirmSignUp. */
  signUp?: { username: string; password: string; session?: string };
}

/** A map whose entries expire; the oldest go first when it is full. */
class ExpiringMap<T extends { expiresAt: number }> {
  private readonly entries = new Map<string, T>();
  constructor(private readonly now: () => number) {}
  get(key: string | undefined): T | undefined {
    if (!key) return undefined;
    const value = this.entries.get(key);
    if (value && value.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return value;
  }
  /** Gets and removes (a code answers once, valid or not). */
  take(key: string | undefined): T | undefined {
    const value = this.get(key);
    if (key) this.entries.delete(key);
    return value;
  }
  set(key: string, value: T): void {
    if (this.entries.size >= MAX_ENTRIES) {
      const now = this.now();
      for (const [k, v] of this.entries) if (v.expiresAt <= now) this.entries.delete(k);
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    }
    this.entries.set(key, value);
  }
  delete(key: string | undefined): void {
    if (key) this.entries.delete(key);
  }
}

export class OAuthRuntime {
  readonly codes: ExpiringMap<AuthorizationCode>;
  readonly sessions: ExpiringMap<HostedSession>;
  readonly flows: ExpiringMap<LoginFlow>;
  /** Federated sign-ins waiting for the IdP's answer, by the state sent to it (oauth/federation.ts). */
  readonly federations: ExpiringMap<PendingFederation>;
  private readonly csrfKey = randomBytes(32);

  constructor(readonly ctx: ServiceContext) {
    const now = () => ctx.now();
    this.codes = new ExpiringMap(now);
    this.sessions = new ExpiringMap(now);
    this.flows = new ExpiringMap(now);
    this.federations = new ExpiringMap(now);
  }

  /** Stores a code and returns it. */
  issueCode(code: Omit<AuthorizationCode, "expiresAt">): string {
    const value = newOpaqueToken(32);
    this.codes.set(value, { ...code, expiresAt: this.ctx.now() + CODE_SECONDS });
    return value;
  }

  /** Starts a signed-in session under a new id (never the id of a session or flow that existed before). */
  openSession(poolId: string, username: string, authTime: number): string {
    const id = newOpaqueToken(32);
    this.sessions.set(id, { poolId, username, authTime, expiresAt: this.ctx.now() + HOSTED_SESSION_SECONDS });
    return id;
  }

  openFlow(poolId: string): string {
    const id = newOpaqueToken(32);
    this.flows.set(id, { poolId, expiresAt: this.ctx.now() + FLOW_SECONDS });
    return id;
  }

  /** The CSRF token of a flow: bound to its cookie, unguessable without the service's key. */
  csrfTokenOf(flowId: string): string {
    return createHmac("sha256", this.csrfKey).update(flowId).digest("base64url");
  }
}

const runtimes = new WeakMap<ServiceContext, OAuthRuntime>();

export function runtimeOf(ctx: ServiceContext): OAuthRuntime {
  let runtime = runtimes.get(ctx);
  if (!runtime) {
    runtime = new OAuthRuntime(ctx);
    runtimes.set(ctx, runtime);
  }
  return runtime;
}
