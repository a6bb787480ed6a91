// The inflight half of the simulator's `Cognito_sim` resource: starts the local Cognito service (lib/service)
// on loopback inside the resource's sandbox, creates (or, after a restart, reuses) the user pool, app client
// and identity pool described by the props, resolves their ids as the resource's tokens, and answers the
// Wing Console's questions (users, latest codes, confirming pending sign-ups).
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import {
  AdminConfirmSignUpCommand,
  AdminListGroupsForUserCommand,
  CognitoIdentityProviderClient,
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  ListUsersCommand,
  type SchemaAttributeType,
  type UserType,
} from "@aws-sdk/client-cognito-identity-provider";
import {
  CognitoIdentityClient,
  CreateIdentityPoolCommand,
  DescribeIdentityPoolCommand,
  SetIdentityPoolRolesCommand,
} from "@aws-sdk/client-cognito-identity";
import { startCognitoService, type RunningCognitoService } from "../service/index";
import { loginsKey } from "../inflight/id-token";

/** The pools to build, from the `Cognito` props (platform/sim.w `SimPoolConfig`). */
export interface SimPoolConfig {
  readonly name: string;
  readonly region: string;
  readonly usernameAttributes: string[];
  readonly autoVerifiedAttributes: string[];
  readonly schema?: SchemaAttributeType[];
  readonly allowUnauthenticatedIdentities: boolean;
  /** The user pool domain's prefix (OAuth endpoints at `<service>/<prefix>/...`). */
  readonly domainPrefix?: string;
  /** OAuth settings of the app client (platform/backend.w `HostedSignInOptions`). */
  readonly hostedSignIn?: { readonly callbackUrls: string[]; readonly logoutUrls?: string[]; readonly flows?: string[]; readonly scopes?: string[] };
  /** Resource servers (platform/backend.w `ResourceServerOptions`). */
  readonly resourceServers?: ReadonlyArray<{ readonly identifier: string; readonly name?: string; readonly scopes: string[] }>;
  /** Machine clients (platform/backend.w `MachineClientOptions`). */
  readonly machineClients?: ReadonlyArray<{ readonly name: string; readonly scopes: string[] }>;
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
}

/** One row of the Console's users table. */
export interface UserRow {
  username: string;
  email: string;
  status: string;
  enabled: string;
  groups: string;
  created: string;
}

/** One row of the Console's codes table. */
export interface CodeRow {
  username: string;
  purpose: string;
  code: string;
  destination: string;
  created: string;
}

// This module runs alone in the resource's sandbox process: the SDK's notice that it will need Node 22 in
// 2027 would show as an error line in every simulator start, so it is silenced here (only here).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const STATE_FILE = "cognito-sim.json";
/** Any credentials do for the local service; it checks no secret. */
const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };
const CLIENT_AUTH_FLOWS = [
  "ALLOW_USER_PASSWORD_AUTH",
  "ALLOW_USER_SRP_AUTH",
  "ALLOW_REFRESH_TOKEN_AUTH",
  "ALLOW_ADMIN_USER_PASSWORD_AUTH",
] as const;

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

interface Clients {
  idp: CognitoIdentityProviderClient;
  identity: CognitoIdentityClient;
}

/** True when the pools of `ids` still exist in the service's persisted state. */
async function poolsExist(c: Clients, ids: LocalPoolIds): Promise<boolean> {
  try {
    await c.idp.send(new DescribeUserPoolCommand({ UserPoolId: ids.userPoolId }));
    await c.idp.send(new DescribeUserPoolClientCommand({ UserPoolId: ids.userPoolId, ClientId: ids.clientId }));
    await c.identity.send(new DescribeIdentityPoolCommand({ IdentityPoolId: ids.identityPoolId }));
    return true;
  } catch {
    return false;
  }
}

/** Creates the user pool, app client and identity pool (with its authenticated role) of `config`. */
export async function createPools(c: Clients, config: SimPoolConfig): Promise<LocalPoolIds> {
  const pool = await c.idp.send(
    new CreateUserPoolCommand({
      PoolName: config.name,
      UsernameAttributes: config.usernameAttributes.length > 0 ? config.usernameAttributes as ("email" | "phone_number")[] : undefined,
      AutoVerifiedAttributes: config.autoVerifiedAttributes as ("email" | "phone_number")[],
      Schema: config.schema,
      // No Policies: the service's default password policy is Cognito's, the one the tf-aws backend deploys.
    }),
  );
  const userPoolId = pool.UserPool?.Id;
  if (!userPoolId) throw new Error("CreateUserPool returned no pool id");
  await createOAuthResources(c, config, userPoolId);
  const hosted = config.hostedSignIn;
  const client = await c.idp.send(
    new CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: `${config.name}-client`,
      GenerateSecret: false,
      ExplicitAuthFlows: [...CLIENT_AUTH_FLOWS],
      PreventUserExistenceErrors: "ENABLED",
      ...(hosted
        ? {
            AllowedOAuthFlowsUserPoolClient: true,
            AllowedOAuthFlows: (hosted.flows ?? ["code"]) as ("code" | "implicit")[],
            AllowedOAuthScopes: hosted.scopes ?? ["openid", "email", "profile"],
            CallbackURLs: hosted.callbackUrls,
            LogoutURLs: hosted.logoutUrls,
            SupportedIdentityProviders: ["COGNITO"],
          }
        : {}),
    }),
  );
  const clientId = client.UserPoolClient?.ClientId;
  if (!clientId) throw new Error("CreateUserPoolClient returned no client id");
  const identityPool = await c.identity.send(
    new CreateIdentityPoolCommand({
      IdentityPoolName: config.name.replace(/[^\w ]/g, "_").slice(0, 128),
      AllowUnauthenticatedIdentities: config.allowUnauthenticatedIdentities,
      CognitoIdentityProviders: [{ ProviderName: loginsKey(config.region, userPoolId), ClientId: clientId }],
    }),
  );
  const identityPoolId = identityPool.IdentityPoolId;
  if (!identityPoolId) throw new Error("CreateIdentityPool returned no id");
  const roleBase = `arn:aws:iam::000000000000:role/${config.name.replace(/[^\w+=,.@-]/g, "-").slice(0, 48)}`;
  await c.identity.send(
    new SetIdentityPoolRolesCommand({
      IdentityPoolId: identityPoolId,
      Roles: {
        authenticated: `${roleBase}-authenticated`,
        ...(config.allowUnauthenticatedIdentities ? { unauthenticated: `${roleBase}-unauthenticated` } : {}),
      },
    }),
  );
  const machineClientIds: string[] = [];
  for (const machine of config.machineClients ?? []) {
    const created = await c.idp.send(
      new CreateUserPoolClientCommand({
        UserPoolId: userPoolId,
        ClientName: `${config.name}-${machine.name}`,
        GenerateSecret: true,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ["client_credentials"],
        AllowedOAuthScopes: machine.scopes,
      }),
    );
    machineClientIds.push(created.UserPoolClient!.ClientId!);
  }
  return { userPoolId, clientId, identityPoolId, machineClientIds };
}

/** The pool's domain and resource servers, which the app clients' OAuth settings refer to. */
async function createOAuthResources(c: Clients, config: SimPoolConfig, userPoolId: string): Promise<void> {
  if ((config.hostedSignIn || (config.machineClients ?? []).length > 0) && !config.domainPrefix) {
    throw new Error("@winglibs/cognito: hostedSignIn and machineClients need a user pool domain: set the domainPrefix option");
  }
  if (config.domainPrefix) await c.idp.send(new CreateUserPoolDomainCommand({ UserPoolId: userPoolId, Domain: config.domainPrefix }));
  for (const server of config.resourceServers ?? []) {
    await c.idp.send(
      new CreateResourceServerCommand({
        UserPoolId: userPoolId,
        Identifier: server.identifier,
        Name: server.name ?? server.identifier,
        Scopes: server.scopes.map((name) => ({ ScopeName: name, ScopeDescription: name })),
      }),
    );
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

function attribute(user: UserType, name: string): string {
  return user.Attributes?.find((a) => a.Name === name)?.Value ?? "";
}

async function listUsers(c: Clients, userPoolId: string): Promise<UserRow[]> {
  const rows: UserRow[] = [];
  let token: string | undefined;
  do {
    const page = await c.idp.send(new ListUsersCommand({ UserPoolId: userPoolId, PaginationToken: token }));
    for (const user of page.Users ?? []) {
      const username = user.Username ?? "";
      let groups = "";
      try {
        const g = await c.idp.send(new AdminListGroupsForUserCommand({ UserPoolId: userPoolId, Username: username }));
        groups = (g.Groups ?? []).map((x) => x.GroupName ?? "").join(", ");
      } catch {
        groups = "?";
      }
      rows.push({
        username,
        email: attribute(user, "email"),
        status: user.UserStatus ?? "",
        enabled: user.Enabled === false ? "no" : "yes",
        groups,
        created: user.UserCreateDate ? user.UserCreateDate.toISOString() : "",
      });
    }
    token = page.PaginationToken;
  } while (token);
  return rows;
}

interface LocalCode {
  username: string;
  purpose: string;
  code: string;
  destination: string;
  createdAt: number | string;
}

async function latestCodes(url: string, userPoolId: string, limit: number): Promise<CodeRow[]> {
  const res = await fetch(`${url}/_local/codes?userPoolId=${encodeURIComponent(userPoolId)}`);
  if (!res.ok) throw new Error(`GET /_local/codes answered ${res.status}`);
  const { codes } = (await res.json()) as { codes: LocalCode[] };
  return codes.slice(0, limit).map((c) => ({
    username: c.username,
    purpose: c.purpose,
    code: c.code,
    destination: c.destination ?? "",
    created: typeof c.createdAt === "number" ? new Date(c.createdAt * 1000).toISOString() : String(c.createdAt),
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
  const service = await startService(path.join(statedir, "service"), config.region, saved.lastPort, log, clock);
  try {
    const sdkConfig = { region: config.region, endpoint: service.url, credentials: LOCAL_CREDENTIALS };
    const c: Clients = { idp: new CognitoIdentityProviderClient(sdkConfig), identity: new CognitoIdentityClient(sdkConfig) };
    const configHash = hashOf(config);
    const reuse = saved.ids && saved.configHash === configHash && (await poolsExist(c, saved.ids));
    const ids = reuse && saved.ids ? saved.ids : await createPools(c, config);
    const state: SavedState = { lastPort: service.port, configHash, ids };
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
      async onStop() {
        c.idp.destroy();
        c.identity.destroy();
        await service.close();
      },
      users: () => listUsers(c, ids.userPoolId),
      codes: () => latestCodes(service.url, ids.userPoolId, 20),
      async confirmPending() {
        const pending = (await listUsers(c, ids.userPoolId)).filter((u) => u.status === "UNCONFIRMED");
        for (const u of pending) {
          await c.idp.send(new AdminConfirmSignUpCommand({ UserPoolId: ids.userPoolId, Username: u.username }));
        }
        return pending.length;
      },
      async setClockOffset(seconds: number) {
        clockOffsetMs = seconds * 1000;
      },
    };
  } catch (err) {
    await service.close();
    throw err;
  }
}
