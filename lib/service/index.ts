// The local Cognito service, assembled: durable state, the cognito-idp and cognito-identity operation tables, the
// well-known documents and local-only routes, on one node:http server. `startCognitoService` is its programmatic API.
import type { AddressInfo } from "node:net";
import { ServiceContext, type OperationTable } from "./context";
import { createHttpServer } from "./http-server";
import { localRoutes } from "./local-routes";
import { adminUserOperations } from "./operations/admin-users";
import { appClientOperations } from "./operations/app-clients";
import { authenticationOperations } from "./operations/authentication";
import { clientSecretOperations } from "./operations/client-secrets";
import { clientTokenOperations } from "./operations/client-token";
import { deviceOperations } from "./operations/devices";
import { externalProviderOperations } from "./operations/identity-providers";
import { importJobOperations, importUploadRoute, setImportBaseUrl } from "./operations/import-jobs";
import { poolSettingsOperations } from "./operations/pool-settings";
import { authEventOperations, withAuthEvents } from "./operations/auth-events";
import { groupOperations } from "./operations/groups";
import { identityPoolOperations, UNSIGNED_IDENTITY_OPERATIONS } from "./operations/identity-pools";
import { mfaOperations } from "./operations/mfa";
import { logDeliveryOperations } from "./operations/log-delivery";
import { managedLoginBrandingOperations } from "./operations/managed-login-branding";
import { provisionedLimitOperations } from "./operations/provisioned-limits";
import { replicaOperations } from "./operations/replicas";
import { resourceServerOperations } from "./operations/resource-servers";
import { signUpOperations } from "./operations/sign-up";
import { sessionConfigurationOperations } from "./operations/session-configuration";
import { signedInUserOperations } from "./operations/signed-in-user";
import { softwareTokenOperations } from "./operations/software-tokens";
import { termsOperations } from "./operations/terms";
import { userSessionOperations } from "./operations/user-sessions";
import { userPoolOperations } from "./operations/user-pools";
import { webAuthnCredentialOperations } from "./operations/webauthn-credentials";
import { userAuthFactorOperations } from "./operations/user-auth-factors";
import { libraryCacheDir } from "./cache-dir";
import { prepareSrp, useGeneratorTableCache } from "./srp";
import { DEFAULT_PROVEN_PASSWORDS, setProvenPasswordCapacity } from "./proven-passwords";
import { CognitoState } from "./state";
import type { LambdaInvoker } from "./lambda-invoke";
import { DurableStore } from "./store";
import { wellKnownRoutes } from "./well-known";
import { oauthRoutes } from "./oauth/routes";

export interface CognitoServiceOptions {
  /** TCP port; 0 picks a free one. Default 9229. */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** Directory of the durable state (created with owner-only permissions). */
  dataDir: string;
  /** Region of the pools' ids and issuers. Default us-east-1. */
  region?: string;
  /** Where log lines (including delivered codes) go. Default: stdout. */
  log?: (line: string) => void;
  /** The service's clock in epoch milliseconds (tests move it to expire codes and tokens). Default: Date.now. */
  clock?: () => number;
  /** Where pool triggers (Lambda ARNs in LambdaConfig) are invoked. Without it a pool with triggers fails clearly. */
  lambdaInvoker?: LambdaInvoker;
  /** How long a trigger may run, in ms. Default 5000, as on AWS (tests shorten it). */
  triggerTimeoutMs?: number;
  /**
   * Where files derived from the library's constants are shared by every process on the machine (the SRP generator
   * table). Default: `.cache/winglibs-cognito` in the nearest `node_modules`; `false`: none (each process builds its own).
   */
  cacheDir?: string | false;
  /**
   * How many passwords the service remembers having proven against their verifiers, in memory only, so that signing in
   * again with the same password skips the 3072-bit power of g (see ./proven-passwords.ts). Default 65,536; 0: none.
   * The memo belongs to the process: services started in one process share it, and the last one started sets its size.
   */
  passwordMemo?: number;
}

export interface RunningCognitoService {
  /** Base URL, e.g. http://127.0.0.1:9229 */
  url: string;
  port: number;
  region: string;
  /** Stops listening and flushes the state. */
  close(): Promise<void>;
  /** Replaces where triggers are invoked (the simulator registers its functions once they run). */
  setLambdaInvoker(invoker: LambdaInvoker | undefined): void;
  /**
   * Runs one operation in-process, as a trusted admin caller (no HTTP, no signature): what the simulator resource
   * uses to build its pools and answer the Wing Console. Throws the operation's CognitoError as is.
   */
  invoke(service: "cognito-idp" | "cognito-identity", operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>>;
}

/** The cognito-idp operations AWS serves without a SigV4 signature (the user-facing ones). */
export const UNSIGNED_IDENTITY_PROVIDER_OPERATIONS = [
  "SignUp", "ConfirmSignUp", "ResendConfirmationCode", "InitiateAuth", "RespondToAuthChallenge", "GetUser", "ChangePassword",
  "ForgotPassword", "ConfirmForgotPassword", "GlobalSignOut", "RevokeToken", "UpdateUserAttributes", "DeleteUserAttributes",
  "DeleteUser", "AssociateSoftwareToken", "VerifySoftwareToken", "SetUserMFAPreference", "SetUserSettings",
  "GetUserAttributeVerificationCode", "VerifyUserAttribute", "ConfirmDevice", "ForgetDevice", "GetDevice", "ListDevices",
  "UpdateDeviceStatus", "GetTokensFromRefreshToken", "GetUserAuthFactors", "ListWebAuthnCredentials", "DeleteWebAuthnCredential",
  "StartWebAuthnRegistration", "CompleteWebAuthnRegistration", "UpdateAuthEventFeedback", "ListUserSessions", "RevokeUserSession",
  "GetClientToken",
];

/** Builds the cognito-idp operation table for a context (also used by tests that need no HTTP). */
export function identityProviderOperations(ctx: ServiceContext): OperationTable {
  return withAuthEvents(ctx, {
    ...userPoolOperations(ctx),
    ...appClientOperations(ctx),
    ...adminUserOperations(ctx),
    ...groupOperations(ctx),
    ...signUpOperations(ctx),
    ...authenticationOperations(ctx),
    ...signedInUserOperations(ctx),
    ...mfaOperations(ctx),
    ...resourceServerOperations(ctx),
    ...deviceOperations(ctx),
    ...externalProviderOperations(ctx),
    ...importJobOperations(ctx),
    ...poolSettingsOperations(ctx),
    ...authEventOperations(ctx),
    ...replicaOperations(ctx),
    ...logDeliveryOperations(ctx),
    ...provisionedLimitOperations(ctx),
    ...managedLoginBrandingOperations(ctx),
    ...webAuthnCredentialOperations(ctx),
    ...userAuthFactorOperations(ctx),
    ...clientSecretOperations(ctx),
    ...clientTokenOperations(ctx),
    ...softwareTokenOperations(ctx),
    ...sessionConfigurationOperations(ctx),
    ...userSessionOperations(ctx),
    ...termsOperations(ctx),
  });
}

/** The region of a SigV4 Authorization header's credential scope (`Credential=<key>/<date>/<region>/<service>/aws4_request`). */
export function signingRegion(authorization: string | string[] | undefined): string | undefined {
  const value = Array.isArray(authorization) ? authorization[0] : authorization;
  const match = value ? /Credential=[^/,\s]+\/\d{8}\/([^/,\s]+)\//.exec(value) : null;
  return match ? match[1] : undefined;
}

export async function startCognitoService(options: CognitoServiceOptions): Promise<RunningCognitoService> {
  const region = options.region ?? "us-east-1";
  setProvenPasswordCapacity(options.passwordMemo ?? DEFAULT_PROVEN_PASSWORDS);
  const log = options.log ?? ((line: string) => console.log(line));
  const store = await DurableStore.open(options.dataDir);
  const state = new CognitoState(store);
  const ctx = new ServiceContext(state, region, log, options.clock);
  ctx.triggers.configure(options.lambdaInvoker, options.triggerTimeoutMs);
  state.purgeExpired(ctx.now());
  await state.commit();
  const identityProvider = asTransactions(state, identityProviderOperations(ctx));
  const identity = asTransactions(state, identityPoolOperations(ctx));
  const server = createHttpServer({
    identityProvider,
    identity,
    unsigned: new Set([...UNSIGNED_IDENTITY_PROVIDER_OPERATIONS, ...UNSIGNED_IDENTITY_OPERATIONS]),
    extraRoutes: [wellKnownRoutes(ctx), importUploadRoute(ctx), localRoutes(ctx), oauthRoutes(ctx)],
    aroundOperation: (headers, run) => ctx.inRegion(signingRegion(headers.authorization), run),
    // No afterOperation: every operation is a transaction of the state (asTransactions), which resolves or throws only
    // once its writes, and every write it could have read, are durable (failed attempts and lockouts included).
    log,
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 9229, options.host ?? "127.0.0.1", () => resolve());
  });
  // Warms OpenSSL's SRP group; under load, the generator table is read from the machine's cache (or built there).
  useGeneratorTableCache(options.cacheDir === false ? undefined : (options.cacheDir ?? libraryCacheDir()));
  prepareSrp();
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  setImportBaseUrl(ctx, `http://${host}:${address.port}`);
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    region,
    setLambdaInvoker(invoker) {
      ctx.triggers.configure(invoker, options.triggerTimeoutMs);
    },
    async invoke(service, operation, input) {
      const table = service === "cognito-idp" ? identityProvider : identity;
      const run = Object.hasOwn(table, operation) ? table[operation] : undefined;
      if (!run) throw new Error(`Unknown operation ${service} ${operation}`);
      // A transaction (asTransactions): durable once it resolves or throws.
      return run(input);
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await store.close();
    },
  };
}

/** Runs every operation as a transaction of the state: an operation that fails unexpectedly leaves no write behind. */
function asTransactions(state: CognitoState, table: OperationTable): OperationTable {
  const wrapped: OperationTable = {};
  for (const [name, operation] of Object.entries(table)) wrapped[name] = (input) => state.transaction(() => operation(input));
  return wrapped;
}
