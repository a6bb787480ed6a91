// Test support: starts the real local Cognito service on a free loopback port with a fresh state directory, and gives
// AWS SDK v3 clients pointed at it. Every integration test uses this, so they all run the service the same way.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CognitoIdentityProviderClient, CreateUserPoolClientCommand, CreateUserPoolCommand, type CreateUserPoolCommandInput, type CreateUserPoolClientCommandInput } from "@aws-sdk/client-cognito-identity-provider";
import { CognitoIdentityClient } from "@aws-sdk/client-cognito-identity";
import { startCognitoService, type RunningCognitoService } from "../../lib/service";
import type { LambdaInvoker } from "../../lib/service/lambda-invoke";

export const TEST_CREDENTIALS = { accessKeyId: "AKIALOCALTEST", secretAccessKey: "local-secret" };

export interface TestService {
  service: RunningCognitoService;
  url: string;
  dataDir: string;
  idp: CognitoIdentityProviderClient;
  identity: CognitoIdentityClient;
  /** Log lines the service wrote (delivered codes among them). */
  logs: string[];
  /** The latest code delivered to `username` (from the local-only code route). */
  latestCode(userPoolId: string, username: string, purpose?: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startTestService(
  options: { dataDir?: string; region?: string; lambdaInvoker?: LambdaInvoker; triggerTimeoutMs?: number; passwordMemo?: number } = {},
): Promise<TestService> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "cognito-test-"));
  const logs: string[] = [];
  const service = await startCognitoService({
    port: 0, dataDir, region: options.region, log: (l) => logs.push(l), lambdaInvoker: options.lambdaInvoker, triggerTimeoutMs: options.triggerTimeoutMs,
    passwordMemo: options.passwordMemo,
  });
  const clientConfig = { endpoint: service.url, region: service.region, credentials: TEST_CREDENTIALS };
  const idp = new CognitoIdentityProviderClient(clientConfig);
  const identity = new CognitoIdentityClient(clientConfig);
  return {
    service,
    url: service.url,
    dataDir,
    idp,
    identity,
    logs,
    async latestCode(userPoolId, username, purpose) {
      const res = await fetch(`${service.url}/_local/codes?userPoolId=${encodeURIComponent(userPoolId)}&username=${encodeURIComponent(username)}`);
      const body = (await res.json()) as { codes: Array<{ code: string; purpose: string }> };
      const found = body.codes.find((c) => !purpose || c.purpose === purpose);
      if (!found) throw new Error(`no code delivered to ${username}${purpose ? ` for ${purpose}` : ""}`);
      return found.code;
    },
    async stop() {
      idp.destroy();
      identity.destroy();
      await service.close();
      if (!options.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Creates a pool and a client with every sign-in flow enabled; overrides go to the two create calls. */
export async function createPoolAndClient(
  idp: CognitoIdentityProviderClient,
  pool: Partial<CreateUserPoolCommandInput> = {},
  client: Partial<CreateUserPoolClientCommandInput> = {},
): Promise<{ userPoolId: string; clientId: string; clientSecret?: string }> {
  const created = await idp.send(new CreateUserPoolCommand({ PoolName: "test-pool", ...pool }));
  const userPoolId = created.UserPool!.Id!;
  const c = await idp.send(new CreateUserPoolClientCommand({
    UserPoolId: userPoolId,
    ClientName: "test-client",
    ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH"],
    ...client,
  }));
  return { userPoolId, clientId: c.UserPoolClient!.ClientId!, clientSecret: c.UserPoolClient!.ClientSecret };
}
