// Bench helper: compiles one of the bench's Wing apps (test/bench/<name>.main.w) for the simulator and starts a
// Simulator on it with a fresh state directory, removed again when it stops.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Simulator } from "@winglang/sdk/lib/simulator";

const repo = path.resolve(__dirname, "..", "..");

export interface BenchApp {
  readonly sim: Simulator;
  /** The compiled app. */
  readonly outdir: string;
  /** Stops the simulator and removes its state directory. */
  stop(): Promise<void>;
}

/** Compiles `test/bench/<name>.main.w` and starts a simulator of it. */
export async function startBenchApp(name: string): Promise<BenchApp> {
  // Compiled to the default target/ next to the app (wing 0.85 cannot write an in-repo app's output elsewhere).
  execFileSync("npx", ["wing", "compile", path.join(__dirname, `${name}.main.w`)], {
    cwd: repo,
    stdio: "inherit",
    env: { ...process.env, WING_DISABLE_ANALYTICS: "1" },
  });
  const outdir = path.join(__dirname, "target", `${name}.main.wsim`);
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "cognito-bench-state-"));
  const sim = new Simulator({ simfile: outdir, stateDir });
  await sim.start();
  return {
    sim,
    outdir,
    async stop() {
      await sim.stop();
      fs.rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
