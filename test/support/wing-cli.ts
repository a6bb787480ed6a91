// Test support: runs the project's Wing CLI (node_modules/.bin/wing) in the repository, without analytics or colour,
// and collects what it prints.
import { spawn } from "node:child_process";
import * as path from "node:path";

export const REPO = path.resolve(__dirname, "../..");
const WING = path.join(REPO, "node_modules", ".bin", "wing");

/** Runs `wing <args>` in the repository; resolves with its exit code and combined output. */
export function runWing(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(WING, args, {
      cwd: REPO,
      env: { ...process.env, WING_DISABLE_ANALYTICS: "1", NO_COLOR: "1", FORCE_COLOR: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}
