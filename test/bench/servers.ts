// The three servers the benchmark drives, each as a child process on a loopback port: this service, cognito-local (the
// peer), and a do-nothing server that answers canned JSON (the ceiling this client and machine allow).
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface BenchServer {
  name: string;
  url: string;
  /** The server's process id, for per-thread CPU figures (/proc/<pid>/task). */
  pid?: number;
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, "../..");

function waitForUrl(child: ChildProcess, pattern: RegExp, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error(`${name} did not start: ${seen}`)), 60_000);
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const m = pattern.exec(seen.replace(/\x1b\[[0-9;]*m/g, ""));
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`${name} exited with ${code}: ${seen}`)));
  });
}

function stopper(child: ChildProcess, dir?: string) {
  return async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    }
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  };
}

/** This service from `root` (default: this checkout), with extra command-line flags (e.g. `--password-memo 0`). */
export async function startOurService(root = ROOT, args: string[] = []): Promise<BenchServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-ours-"));
  // BENCH_NODE_FLAGS: extra Node/V8 flags for this service's process only (e.g. "--interrupt-budget=16384").
  const flags = (process.env.BENCH_NODE_FLAGS ?? "").split(" ").filter(Boolean);
  const child = spawn(process.execPath, [...flags, "--import", "tsx", path.join(root, "lib/service/cli.ts"), "--port", "0", "--data", dir, ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  const url = await waitForUrl(child, /listening on (http:\/\/[^\s]+)/, "local Cognito");
  child.stdout?.resume();
  return { name: "this service", url, pid: child.pid, stop: stopper(child, dir) };
}

export async function startCognitoLocal(port: number): Promise<BenchServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-cognito-local-"));
  const bin = path.join(ROOT, "node_modules/cognito-local/lib/bin/start.js");
  const child = spawn(process.execPath, [bin], { cwd: dir, env: { ...process.env, PORT: String(port), HOST: "127.0.0.1" }, stdio: ["ignore", "pipe", "pipe"] });
  const url = await waitForUrl(child, /running on (http:\/\/[^\s]+)/, "cognito-local");
  child.stdout?.resume();
  return { name: "cognito-local", url, stop: stopper(child, dir) };
}

/** Answers every Cognito operation with a fixed, valid-looking JSON body. */
const CANNED_SERVER = `
const http = require("node:http");
const jwt = "eyJraWQiOiJrIiwiYWxnIjoiUlMyNTYifQ.eyJzdWIiOiJ4In0.c2ln";
const answers = {
  CreateUserPool: { UserPool: { Id: "us-east-1_AAAAAAAAA", Name: "p" } },
  CreateUserPoolClient: { UserPoolClient: { ClientId: "a".repeat(26), UserPoolId: "us-east-1_AAAAAAAAA" } },
  SignUp: { UserConfirmed: false, UserSub: "00000000-0000-0000-0000-000000000000" },
  AdminConfirmSignUp: {},
  InitiateAuth: { ChallengeParameters: {}, AuthenticationResult: { AccessToken: jwt, IdToken: jwt, RefreshToken: "r", ExpiresIn: 3600, TokenType: "Bearer" } },
  // USER_SRP_AUTH: a PASSWORD_VERIFIER challenge of the right shape (the client does its whole half of the maths on it).
  InitiateAuthSrp: { ChallengeName: "PASSWORD_VERIFIER", Session: "s", ChallengeParameters: { SRP_B: "c0ffee".repeat(64), SALT: "5a17", SECRET_BLOCK: "c2VjcmV0", USER_ID_FOR_SRP: "u" } },
  RespondToAuthChallenge: { ChallengeParameters: {}, AuthenticationResult: { AccessToken: jwt, IdToken: jwt, RefreshToken: "r", ExpiresIn: 3600, TokenType: "Bearer" } },
  GetUser: { Username: "u", UserAttributes: [{ Name: "sub", Value: "x" }, { Name: "email", Value: "u@example.com" }] },
};
http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    let op = String(req.headers["x-amz-target"] || "").split(".").pop();
    if (op === "InitiateAuth" && Buffer.concat(chunks).includes("USER_SRP_AUTH")) op = "InitiateAuthSrp";
    const body = JSON.stringify(answers[op] || {});
    res.writeHead(200, { "content-type": "application/x-amz-json-1.1", "content-length": Buffer.byteLength(body) }).end(body);
  });
}).listen(0, "127.0.0.1", function () { console.log("canned server on http://127.0.0.1:" + this.address().port); });
`;

export async function startCannedServer(): Promise<BenchServer> {
  const child = spawn(process.execPath, ["-e", CANNED_SERVER], { stdio: ["ignore", "pipe", "pipe"] });
  const url = await waitForUrl(child, /server on (http:\/\/[^\s]+)/, "canned server");
  return { name: "do-nothing ceiling", url, pid: child.pid, stop: stopper(child) };
}
