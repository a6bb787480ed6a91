// Test helper: compiles a small Wing app that brings this library (by relative path, with the repo's node_modules)
// for the simulator, in a fresh temporary directory; the tests then start `Simulator`s on its output.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const repo = path.resolve(__dirname, "..", "..");

export interface CompiledSimApp {
  /** The temporary directory (remove it when done). */
  work: string;
  /** The compiled app (`simfile` of a Simulator). */
  simdir: string;
  /** A state directory for the simulators to share. */
  stateDir: string;
}

/** Writes `lines` after `bring cloud;` and `bring ... as cognito;` into main.w and compiles it. */
export function compileSimApp(prefix: string, lines: string[]): CompiledSimApp {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.symlinkSync(path.join(repo, "node_modules"), path.join(work, "node_modules"));
  const source = ["bring cloud;", `bring "${path.relative(work, path.join(repo, "cognito.w"))}" as cognito;`, ...lines];
  fs.writeFileSync(path.join(work, "main.w"), source.join("\n"));
  const simdir = path.join(work, "out");
  execFileSync("npx", ["wing", "compile", path.join(work, "main.w"), "-o", simdir], {
    cwd: repo,
    env: { ...process.env, WING_DISABLE_ANALYTICS: "1" },
    stdio: "pipe",
  });
  return { work, simdir, stateDir: path.join(work, "state") };
}
