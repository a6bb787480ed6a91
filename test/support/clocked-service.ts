// Test support: the real local Cognito service on a clock the test moves. Used where only time can tell (expired codes, expired tokens, lockouts running out) instead of sleeping.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { startCognitoService } from "../../lib/service";
import { TEST_CREDENTIALS } from "./local-service";

export interface ClockedService {
  url: string;
  idp: CognitoIdentityProviderClient;
  /** Moves the service's clock by `seconds` (may be negative). */
  advance(seconds: number): void;
  /** The service's clock, in epoch milliseconds. */
  nowMs(): number;
  /** The latest code the service delivered to `username` (read from its log). */
  latestCode(userPoolId: string, username: string, purpose?: string): string;
  stop(): Promise<void>;
}

/**
 * Starts the service with its clock at `startMs` (default: now). The clock runs with real time unless `frozen`: then it
 * moves only when the test advances it, so windows of a few seconds (lockouts) don't close on a busy machine.
 */
export async function startClockedService(startMs = Date.now(), options: { frozen?: boolean } = {}): Promise<ClockedService> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cognito-clocked-"));
  let offsetMs = options.frozen ? 0 : startMs - Date.now();
  const clock = options.frozen ? () => startMs + offsetMs : () => Date.now() + offsetMs;
  const logs: string[] = [];
  const service = await startCognitoService({ port: 0, dataDir, log: (line) => logs.push(line), clock });
  const idp = new CognitoIdentityProviderClient({ endpoint: service.url, region: service.region, credentials: TEST_CREDENTIALS });
  return {
    url: service.url,
    idp,
    advance(seconds) {
      offsetMs += seconds * 1000;
    },
    nowMs: clock,
    latestCode(userPoolId, username, purpose) {
      for (let i = logs.length - 1; i >= 0; i--) {
        const m = /^\[code\] pool=(\S+) user=(\S+) purpose=(\S+) to=\S* code=(\S+)$/.exec(logs[i]);
        if (m && m[1] === userPoolId && m[2] === username && (!purpose || m[3] === purpose)) return m[4];
      }
      throw new Error(`no code delivered to ${username}`);
    },
    async stop() {
      idp.destroy();
      await service.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
