// The inflight half of the simulator's `Cognito_sim` resource, built ahead of time into one file by
// ./service-bundle.ts and loaded by ./resource.ts: starts the local Cognito service (lib/service)
// on loopback inside the resource's sandbox, creates (or, after a restart, reuses) the user pool, app client
// and identity pool described by the props, resolves their ids as the resource's tokens, and answers the
// Wing Console's questions (users, latest codes, confirming pending sign-ups). It talks to the service in-process
// (`RunningCognitoService.invoke`), so the resource bundles and loads no AWS SDK client: that keeps its start short.
import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { startCognitoService, type RunningCognitoService } from "../service/index";
import { httpLambdaInvoker } from "../service/lambda-invoke";
import { loginsKey } from "../inflight/id-token";
import { TEST_IDP_NAME, type SimIdentityProvider } from "../identity-provider-options";
import type { SignInSettings } from "../sign-in-methods";
import { startTestIdp, type RunningTestIdp } from "../test-idp/server";
import { idpResponseUris, TEST_IDP_CLIENT_ID, testIdpProviderDetails } from "../test-idp/wiring";

/** An extra schema attribute, in the AWS `SchemaAttributeType` shape (passed through to CreateUserPool). */
export type SchemaAttribute = Record<string, unknown>;

/** The pools to build, from the `Cognito` props (platform/sim.w `SimPoolConfig`). */
export interface SimPoolConfig {
  readonly name: string;
  readonly region: string;
  readonly usernameAttributes: string[];
  readonly autoVerifiedAttributes: string[];
  readonly schema?: SchemaAttribute[];
  readonly allowUnauthenticatedIdentities: boolean;
  /** Groups to create in the user pool. */
  readonly groups?: string[];
  /** The user pool domain's prefix (OAuth endpoints at `<service>/<prefix>/...`). */
  readonly domainPrefix?: string;
  /** OAuth settings of the app client (platform/backend.w `HostedSignInOptions`). */
  readonly hostedSignIn?: { readonly callbackUrls: string[]; readonly logoutUrls?: string[]; readonly flows?: string[]; readonly scopes?: string[] };
  /** Resource servers (platform/backend.w `ResourceServerOptions`). */
  readonly resourceServers?: ReadonlyArray<{ readonly identifier: string; readonly name?: string; readonly scopes: string[] }>;
  /** Machine clients (platform/backend.w `MachineClientOptions`). */
  readonly machineClients?: ReadonlyArray<{ readonly name: string; readonly scopes: string[] }>;
  /** External identity providers (lib/identity-provider-options.ts `simIdentityProviders`). */
  readonly identityProviders?: readonly SimIdentityProvider[];
  /** Runs the test identity provider and adds it to the pool as the OIDC provider `TestIdP`. */
  readonly testIdentityProvider?: boolean;
  /** Choice-based sign-in (lib/sign-in-methods.ts `signInSettings`): first factors, plan, USER_AUTH and passkeys. */
  readonly signIn?: SignInSettings;
}

/** An identity provider as CreateIdentityProvider takes it, its secret resolved. */
export interface LocalIdentityProvider {
  readonly ProviderName: string;
  readonly ProviderType: string;
  readonly ProviderDetails: Record<string, string>;
  readonly AttributeMapping: Record<string, string>;
  readonly IdpIdentifiers: string[];
}

/** The ids of one local pool setup. They are the resource's tokens. */
export interface LocalPoolIds {
  readonly userPoolId: string;
  readonly clientId: string;
  readonly identityPoolId: string;
  /** Machine client ids, in the order of `SimPoolConfig.machineClients`. */
  readonly machineClientIds?: string[];
}

/** What the resource keeps in its state directory between runs. */
interface SavedState {
  lastPort?: number;
  /** The test IdP's port and its client secret, kept so a restart changes nothing a browser holds. */
  testIdp?: { port: number; clientSecret: string };
  configHash?: string;
  ids?: LocalPoolIds;
}

/** The context `sim.Resource` hands to its factory (sim.IResourceContext). */
export interface ResourceContext {
  statedir(): Promise<string>;
  resolveToken(name: string, value: string): Promise<void>;
  log(message: string, level?: string): Promise<void>;
}

/** The running resource; `sim.Resource.call(name)` invokes its methods. */
export interface LocalCognitoResource {
  onStop(): Promise<void>;
  users(): Promise<UserRow[]>;
  codes(): Promise<CodeRow[]>;
  confirmPending(): Promise<number>;
  setClockOffset(seconds: number): Promise<void>;
  /** Called by a trigger's host (lib/sim/trigger-host.ts): runs `trigger` through the Lambda Invoke API at `url`. */
  registerTrigger(trigger: string, url: string, lambdaVersion: string): Promise<void>;
}

/** The custom-auth triggers; setting one lets the app client use CUSTOM_AUTH. */
const CUSTOM_AUTH_TRIGGERS = ["DefineAuthChallenge", "CreateAuthChallenge", "VerifyAuthChallengeResponse"];

/**
 * One row of the Console's users table. The Console sorts columns by name and draws each cell as a narrow
 * input, so a row has two short columns: `login` (the email, phone number or username a person signs in with)
 * before `status` (Cognito's UserStatus, with ", disabled" for a disabled user).
 */
export interface UserRow {
  login: string;
  status: string;
}

/** One row of the Console's codes table (newest first): `code`, then `purpose` (one short word), then `user`. */
export interface CodeRow {
  code: string;
  purpose: string;
  user: string;
}

/** What runs Cognito operations for the resource: the in-process service (`RunningCognitoService.invoke`). */
export type OperationRunner = Pick<RunningCognitoService, "invoke">;

const STATE_FILE = "cognito-sim.json";
/** Most rows the codes table shows. */
const MAX_CODE_ROWS = 20;
const CLIENT_AUTH_FLOWS = [
  "ALLOW_USER_PASSWORD_AUTH",
  "ALLOW_USER_SRP_AUTH",
  "ALLOW_REFRESH_TOKEN_AUTH",
  "ALLOW_ADMIN_USER_PASSWORD_AUTH",
];
/** Short names of the code purposes, for the narrow codes table. */
const PURPOSE_LABELS: Record<string, string> = {
  SIGN_UP: "sign-up",
  FORGOT_PASSWORD: "reset",
  VERIFY_ATTRIBUTE: "verify",
  MFA: "MFA",
  ADMIN_CREATE_USER: "invite",
  SIGN_IN: "sign-in",
};

function readState(file: string): SavedState {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as SavedState;
  } catch {
    return {};
  }
}

function hashOf(config: SimPoolConfig): string {
  return createHash("sha256").update(JSON.stringify(config)).digest("hex");
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

/** Starts the service on `preferredPort` when it is free, on any free port otherwise. */
async function startService(
  dataDir: string,
  region: string,
  preferredPort: number | undefined,
  log: (line: string) => void,
  clock: () => number,
): Promise<RunningCognitoService> {
  // Keep the previous run's port when it is free, so that front ends and CLI profiles keep working.
  const port = preferredPort && (await portIsFree(preferredPort)) ? preferredPort : 0;
  return startCognitoService({ port, host: "127.0.0.1", dataDir, region, log, clock });
}

const idp = (s: OperationRunner, op: string, input: Record<string, unknown>) => s.invoke("cognito-idp", op, input);
const identity = (s: OperationRunner, op: string, input: Record<string, unknown>) => s.invoke("cognito-identity", op, input);

/** True when the pools of `ids` still exist in the service's persisted state. */
async function poolsExist(s: OperationRunner, ids: LocalPoolIds): Promise<boolean> {
  try {
    await idp(s, "DescribeUserPool", { UserPoolId: ids.userPoolId });
    await idp(s, "DescribeUserPoolClient", { UserPoolId: ids.userPoolId, ClientId: ids.clientId });
    await identity(s, "DescribeIdentityPool", { IdentityPoolId: ids.identityPoolId });
    return true;
  } catch {
    return false;
  }
}

function stringAt(output: Record<string, unknown>, ...keys: string[]): string | undefined {
  let value: unknown = output;
  for (const key of keys) value = value && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
  return typeof value === "string" ? value : undefined;
}

/** Creates the user pool, app client and identity pool (with its authenticated role) of `config`. */
export async function createPools(s: OperationRunner, config: SimPoolConfig, providers: readonly LocalIdentityProvider[] = [], log: (line: string) => void = () => undefined): Promise<LocalPoolIds> {
  const pool = await idp(s, "CreateUserPool", {
    PoolName: config.name,
    UsernameAttributes: config.usernameAttributes.length > 0 ? config.usernameAttributes : undefined,
    AutoVerifiedAttributes: config.autoVerifiedAttributes,
    Schema: config.schema,
    // No PasswordPolicy: the service's default password policy is Cognito's, the one the tf-aws backend deploys.
    ...signInPoolSettings(config.signIn),
  });
  const userPoolId = stringAt(pool, "UserPool", "Id");
  if (!userPoolId) throw new Error("CreateUserPool returned no pool id");
  await createOAuthResources(s, config, userPoolId);
  if (config.signIn?.passkeys) {
    await idp(s, "SetUserPoolMfaConfig", {
      UserPoolId: userPoolId,
      WebAuthnConfiguration: { RelyingPartyId: config.signIn.relyingPartyId, UserVerification: config.signIn.userVerification },
    });
  }
  const providerNames = await syncIdentityProviders(s, userPoolId, providers, log);
  const client = await idp(s, "CreateUserPoolClient", { UserPoolId: userPoolId, GenerateSecret: false, ...appClientSettings(config, false, providerNames) });
  const clientId = stringAt(client, "UserPoolClient", "ClientId");
  if (!clientId) throw new Error("CreateUserPoolClient returned no client id");
  const identityPool = await identity(s, "CreateIdentityPool", {
    IdentityPoolName: config.name.replace(/[^\w ]/g, "_").slice(0, 128),
    AllowUnauthenticatedIdentities: config.allowUnauthenticatedIdentities,
    CognitoIdentityProviders: [{ ProviderName: loginsKey(config.region, userPoolId), ClientId: clientId }],
  });
  const identityPoolId = stringAt(identityPool, "IdentityPoolId");
  if (!identityPoolId) throw new Error("CreateIdentityPool returned no id");
  const roleBase = `arn:aws:iam::000000000000:role/${config.name.replace(/[^\w+=,.@-]/g, "-").slice(0, 48)}`;
  await identity(s, "SetIdentityPoolRoles", {
    IdentityPoolId: identityPoolId,
    Roles: {
      authenticated: `${roleBase}-authenticated`,
      ...(config.allowUnauthenticatedIdentities ? { unauthenticated: `${roleBase}-unauthenticated` } : {}),
    },
  });
  for (const group of config.groups ?? []) await idp(s, "CreateGroup", { UserPoolId: userPoolId, GroupName: group });
  const machineClientIds: string[] = [];
  for (const machine of config.machineClients ?? []) {
    const created = await idp(s, "CreateUserPoolClient", {
      UserPoolId: userPoolId,
      ClientName: `${config.name}-${machine.name}`,
      GenerateSecret: true,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ["client_credentials"],
      AllowedOAuthScopes: machine.scopes,
    });
    const machineClientId = stringAt(created, "UserPoolClient", "ClientId");
    if (!machineClientId) throw new Error("CreateUserPoolClient returned no client id");
    machineClientIds.push(machineClientId);
  }
  return { userPoolId, clientId, identityPoolId, machineClientIds };
}

/**
 * Creates or updates the pool's identity providers (the test IdP's port and the secrets may change between runs) and
 * returns the names of those that exist. A provider the local service refuses (a SAML metadata URL out of reach
 * offline) is left out, with a log line, rather than stopping the simulator.
 */
export async function syncIdentityProviders(s: OperationRunner, userPoolId: string, providers: readonly LocalIdentityProvider[], log: (line: string) => void): Promise<string[]> {
  const names: string[] = [];
  for (const provider of providers) {
    const exists = await idp(s, "DescribeIdentityProvider", { UserPoolId: userPoolId, ProviderName: provider.ProviderName }).then(() => true, () => false);
    try {
      if (exists) {
        await idp(s, "UpdateIdentityProvider", { UserPoolId: userPoolId, ProviderName: provider.ProviderName, ProviderDetails: provider.ProviderDetails, AttributeMapping: provider.AttributeMapping, IdpIdentifiers: provider.IdpIdentifiers });
      } else {
        await idp(s, "CreateIdentityProvider", { UserPoolId: userPoolId, ...provider });
      }
      names.push(provider.ProviderName);
    } catch (e) {
      log(`Identity provider ${provider.ProviderName} (${provider.ProviderType}) is left out locally: ${(e as Error).message}`);
    }
  }
  return names;
}

/** Sign in with Apple's private key when its secret has no local value: PEM-shaped, and no key at all. */
const LOCAL_STAND_IN_KEY = "-----BEGIN PRIVATE KEY-----\nnot-set-locally\n-----END PRIVATE KEY-----";

/** The declared providers with their secrets, read as `cloud.Secret` reads them in the simulator (the environment). */
function declaredProviders(config: SimPoolConfig, log: (line: string) => void): LocalIdentityProvider[] {
  return (config.identityProviders ?? []).map((p) => {
    const details = { ...p.details };
    if (p.secretName !== undefined) {
      const value = process.env[p.secretName];
      if (value) {
        details[p.secretDetail] = value;
      } else if (p.providerType !== "OIDC") {
        // A social IdP is out of reach offline anyway: it is stored (and offered) with a stand-in secret.
        details[p.secretDetail] = p.secretDetail === "private_key" ? LOCAL_STAND_IN_KEY : "not-set-locally";
        log(`Identity provider ${p.name}: no local value for the secret ${p.secretName} (store it with "wing secrets"); stored with a stand-in`);
      } else {
        log(`Identity provider ${p.name}: no local value for the secret ${p.secretName} (store it with "wing secrets"); created without ${p.secretDetail}`);
      }
    }
    return { ProviderName: p.name, ProviderType: p.providerType, ProviderDetails: details, AttributeMapping: { ...p.attributeMapping }, IdpIdentifiers: [...p.identifiers] };
  });
}

/** Starts the test IdP (on its previous port when free); its key pair is made meanwhile the service starts. */
async function startTestIdpOn(saved: SavedState["testIdp"], log: (line: string) => void): Promise<RunningTestIdp> {
  const port = saved && (await portIsFree(saved.port)) ? saved.port : 0;
  return startTestIdp({ port, log });
}

/** Registers the user pool domain with the running test IdP; the pool's OIDC provider `TestIdP` for it. */
function configureTestIdp(testIdp: RunningTestIdp, config: SimPoolConfig, serviceUrl: string, saved: SavedState["testIdp"]): { provider: LocalIdentityProvider; saved: NonNullable<SavedState["testIdp"]> } {
  const clientSecret = saved?.clientSecret ?? randomBytes(32).toString("base64url");
  testIdp.registerClient({ clientId: TEST_IDP_CLIENT_ID, clientSecret, redirectUris: idpResponseUris(serviceUrl, config.domainPrefix ?? "", config.region) });
  return {
    saved: { port: testIdp.port, clientSecret },
    provider: {
      ProviderName: TEST_IDP_NAME, ProviderType: "OIDC", ProviderDetails: testIdpProviderDetails(testIdp, clientSecret),
      AttributeMapping: { email: "email", email_verified: "email_verified", name: "name", username: "sub" }, IdpIdentifiers: [],
    },
  };
}

/** CreateUserPool's members for the chosen sign-in methods: the first factors and the plan that allows them. */
function signInPoolSettings(signIn: SignInSettings | undefined): Record<string, unknown> {
  if (!signIn || signIn.factors.length === 0) return {};
  return { UserPoolTier: signIn.tier, Policies: { SignInPolicy: { AllowedFirstAuthFactors: signIn.factors } } };
}

/**
 * The library's app client settings (as CreateUserPoolClient and UpdateUserPoolClient take them): its sign-in flows
 * (with ALLOW_USER_AUTH for `signInMethods`, ALLOW_CUSTOM_AUTH when custom-auth triggers are set) and its OAuth settings.
 */
function appClientSettings(config: SimPoolConfig, customAuth: boolean, providerNames: readonly string[]): Record<string, unknown> {
  const hosted = config.hostedSignIn;
  return {
    ClientName: `${config.name}-client`,
    ExplicitAuthFlows: [...CLIENT_AUTH_FLOWS, ...(config.signIn?.userAuth ? ["ALLOW_USER_AUTH"] : []), ...(customAuth ? ["ALLOW_CUSTOM_AUTH"] : [])],
    PreventUserExistenceErrors: "ENABLED",
    ...(hosted
      ? {
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthFlows: hosted.flows ?? ["code"],
          AllowedOAuthScopes: hosted.scopes ?? ["openid", "email", "profile"],
          CallbackURLs: hosted.callbackUrls,
          LogoutURLs: hosted.logoutUrls,
          SupportedIdentityProviders: ["COGNITO", ...providerNames],
        }
      : {}),
  };
}

/** The pool's domain and resource servers, which the app clients' OAuth settings refer to. */
async function createOAuthResources(s: OperationRunner, config: SimPoolConfig, userPoolId: string): Promise<void> {
  if ((config.hostedSignIn || (config.machineClients ?? []).length > 0) && !config.domainPrefix) {
    throw new Error("@winglibs/cognito: hostedSignIn and machineClients need a user pool domain: set the domainPrefix option");
  }
  if (config.domainPrefix) await idp(s, "CreateUserPoolDomain", { UserPoolId: userPoolId, Domain: config.domainPrefix });
  for (const server of config.resourceServers ?? []) {
    await idp(s, "CreateResourceServer", {
      UserPoolId: userPoolId,
      Identifier: server.identifier,
      Name: server.name ?? server.identifier,
      Scopes: server.scopes.map((name) => ({ ScopeName: name, ScopeDescription: name })),
    });
  }
}

/** The domain's base URL and the hosted sign-in URL (code flow, first callback URL) of a setup, or "" without. */
function oauthUrls(serviceUrl: string, config: SimPoolConfig, clientId: string): { domainUrl: string; signInUrl: string } {
  if (!config.domainPrefix) return { domainUrl: "", signInUrl: "" };
  const domainUrl = `${serviceUrl}/${config.domainPrefix}`;
  const hosted = config.hostedSignIn;
  if (!hosted || hosted.callbackUrls.length === 0) return { domainUrl, signInUrl: "" };
  const query = new URLSearchParams({ client_id: clientId, response_type: (hosted.flows ?? ["code"]).includes("code") ? "code" : "token", scope: (hosted.scopes ?? ["openid", "email", "profile"]).join(" "), redirect_uri: hosted.callbackUrls[0] });
  return { domainUrl, signInUrl: `${domainUrl}/login?${query}` };
}

interface ListedUser {
  Username?: string;
  UserStatus?: string;
  Enabled?: boolean;
  Attributes?: { Name?: string; Value?: string }[];
}

/** Every user of the pool, in ListUsers order. */
async function allUsers(s: OperationRunner, userPoolId: string): Promise<ListedUser[]> {
  const users: ListedUser[] = [];
  let token: string | undefined;
  do {
    const page = await idp(s, "ListUsers", { UserPoolId: userPoolId, PaginationToken: token });
    users.push(...((page.Users as ListedUser[] | undefined) ?? []));
    token = typeof page.PaginationToken === "string" ? page.PaginationToken : undefined;
  } while (token);
  return users;
}

function attribute(user: ListedUser, name: string): string {
  return user.Attributes?.find((a) => a.Name === name)?.Value ?? "";
}

/** What a person signs in with: the email or phone number when the username is the user's sub, else the username. */
function loginOf(user: ListedUser): string {
  const username = user.Username ?? "";
  if (username === attribute(user, "sub")) return attribute(user, "email") || attribute(user, "phone_number") || username;
  return username;
}

async function userRows(s: OperationRunner, userPoolId: string): Promise<UserRow[]> {
  return (await allUsers(s, userPoolId)).map((user) => ({
    login: loginOf(user),
    status: `${user.UserStatus ?? ""}${user.Enabled === false ? ", disabled" : ""}`,
  }));
}

interface LocalCode {
  username: string;
  purpose: string;
  code: string;
  destination?: string;
}

async function codeRows(url: string, userPoolId: string): Promise<CodeRow[]> {
  const res = await fetch(`${url}/_local/codes?userPoolId=${encodeURIComponent(userPoolId)}`);
  if (!res.ok) throw new Error(`GET /_local/codes answered ${res.status}`);
  const { codes } = (await res.json()) as { codes: LocalCode[] };
  return codes.slice(0, MAX_CODE_ROWS).map((c) => ({
    code: c.code,
    purpose: PURPOSE_LABELS[c.purpose] ?? c.purpose,
    user: c.destination || c.username,
  }));
}

/**
 * The factory of the `Cognito_sim` simulator resource. Tokens: `endpoint`, `region`, `userPoolId`,
 * `clientId`, `identityPoolId`. State (users, keys, ids, last port) lives under the resource's statedir,
 * so a `wing it` restart keeps the same pool, users and, when free, the same port. `setClockOffset` moves the
 * service's clock (tokens and codes it issues then carry that time), so expiry can be tried without waiting.
 */
export async function startLocalCognito(ctx: ResourceContext, config: SimPoolConfig): Promise<LocalCognitoResource> {
  const statedir = await ctx.statedir();
  fs.mkdirSync(statedir, { recursive: true });
  const stateFile = path.join(statedir, STATE_FILE);
  const saved = readState(stateFile);
  const log = (line: string): void => void ctx.log(line);
  // The service's clock: real time, moved by `setClockOffset` to try expiry locally.
  let clockOffsetMs = 0;
  const clock = (): number => Date.now() + clockOffsetMs;
  // The test IdP's RSA key is generated on the thread pool while the service starts.
  const startingTestIdp = config.testIdentityProvider ? startTestIdpOn(saved.testIdp, log) : undefined;
  startingTestIdp?.catch(() => undefined);
  let service: RunningCognitoService;
  try {
    service = await startService(path.join(statedir, "service"), config.region, saved.lastPort, log, clock);
  } catch (err) {
    await startingTestIdp?.then((idp) => idp.close(), () => undefined);
    throw err;
  }
  exitWithParent(service);
  let testIdp: RunningTestIdp | undefined;
  try {
    const providers = declaredProviders(config, log);
    let testIdpState: SavedState["testIdp"];
    if (startingTestIdp) {
      testIdp = await startingTestIdp;
      const configured = configureTestIdp(testIdp, config, service.url, saved.testIdp);
      testIdpState = configured.saved;
      providers.push(configured.provider);
    }
    const configHash = hashOf(config);
    const reuse = saved.ids && saved.configHash === configHash && (await poolsExist(service, saved.ids));
    const ids = reuse && saved.ids ? saved.ids : await createPools(service, config, providers, log);
    // Idempotent: a new pool got its providers in createPools; this also tells which of them exist.
    const providerNames = await syncIdentityProviders(service, ids.userPoolId, providers, reuse ? log : () => undefined);
    // Triggers register themselves once their hosts run; a reused pool forgets the previous run's.
    if (reuse) await setTriggers(service, config, ids, {}, false, providerNames);
    const triggerUrls = new Map<string, string>();
    service.setLambdaInvoker(httpLambdaInvoker((arn) => triggerUrls.get(arn)));
    const lambdaConfig: Record<string, unknown> = {};
    let registrations: Promise<void> = Promise.resolve();
    const state: SavedState = { lastPort: service.port, configHash, ids, ...(testIdpState ? { testIdp: testIdpState } : {}) };
    fs.writeFileSync(stateFile, JSON.stringify(state, null, 2));

    await ctx.resolveToken("endpoint", service.url);
    await ctx.resolveToken("region", config.region);
    await ctx.resolveToken("userPoolId", ids.userPoolId);
    await ctx.resolveToken("clientId", ids.clientId);
    await ctx.resolveToken("identityPoolId", ids.identityPoolId);
    const urls = oauthUrls(service.url, config, ids.clientId);
    await ctx.resolveToken("domainUrl", urls.domainUrl);
    await ctx.resolveToken("signInUrl", urls.signInUrl);
    for (const [index, id] of (ids.machineClientIds ?? []).entries()) await ctx.resolveToken(`machineClient${index}`, id);
    await ctx.log(`Local Cognito at ${service.url}: user pool ${ids.userPoolId}, client ${ids.clientId}, identity pool ${ids.identityPoolId}`);

    return {
      onStop: async () => {
        await testIdp?.close();
        await service.close();
      },
      users: () => userRows(service, ids.userPoolId),
      codes: () => codeRows(service.url, ids.userPoolId),
      async confirmPending() {
        const pending = (await allUsers(service, ids.userPoolId)).filter((u) => u.UserStatus === "UNCONFIRMED");
        for (const u of pending) await idp(service, "AdminConfirmSignUp", { UserPoolId: ids.userPoolId, Username: u.Username });
        if (pending.length > 0) await ctx.log(`Confirmed ${pending.length} pending sign-up(s) from the Wing Console`);
        return pending.length;
      },
      async setClockOffset(seconds: number) {
        clockOffsetMs = seconds * 1000;
      },
      registerTrigger(trigger: string, url: string, lambdaVersion: string) {
        const arn = triggerArn(config, trigger);
        triggerUrls.set(arn, url);
        if (trigger === "PreTokenGeneration") lambdaConfig.PreTokenGenerationConfig = { LambdaArn: arn, LambdaVersion: lambdaVersion || "V1_0" };
        else lambdaConfig[trigger] = arn;
        const customAuth = Object.keys(lambdaConfig).some((t) => CUSTOM_AUTH_TRIGGERS.includes(t));
        // One registration at a time: each writes the whole LambdaConfig.
        registrations = registrations.catch(() => undefined).then(() => setTriggers(service, config, ids, { ...lambdaConfig }, customAuth, providerNames));
        return registrations;
      },
    };
  } catch (err) {
    await testIdp?.close();
    await service.close();
    throw err;
  }
}

/**
 * Wing runs this resource in a child process of the simulator. When the simulator dies without stopping it (`wing it`
 * killed with -9, a test runner cut short), the child would live on as an orphan holding the port and the data
 * directory: it notices that its parent is gone, closes the service and exits.
 */
function exitWithParent(service: RunningCognitoService): void {
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(watch);
    void service.close().finally(() => process.exit(0));
  }, 1000);
  watch.unref();
}

/** The local ARN of a trigger's function. */
function triggerArn(config: SimPoolConfig, trigger: string): string {
  const name = `${config.name}-${trigger}`.replace(/[^\w-]/g, "-").slice(-64);
  return `arn:aws:lambda:${config.region}:000000000000:function:${name}`;
}

/** Writes the pool's LambdaConfig and the app client's flows (ALLOW_CUSTOM_AUTH with the custom-auth triggers). */
async function setTriggers(s: OperationRunner, config: SimPoolConfig, ids: LocalPoolIds, lambdaConfig: Record<string, unknown>, customAuth: boolean, providerNames: readonly string[]): Promise<void> {
  await idp(s, "UpdateUserPool", { UserPoolId: ids.userPoolId, LambdaConfig: lambdaConfig });
  // UpdateUserPoolClient resets what it leaves out, so it restates the client's whole configuration.
  await idp(s, "UpdateUserPoolClient", { UserPoolId: ids.userPoolId, ClientId: ids.clientId, ...appClientSettings(config, customAuth, providerNames) });
}
