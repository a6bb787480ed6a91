// Test support for the browser tests: Debian's headless Chromium driven by playwright-core (no browser download),
// the reason to skip when it is absent, where screenshots go, and `wing it` started headless on an app in a temp dir.
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { killProcessesIn } from "../support/processes";
import type { Browser } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
export const REPO = path.resolve(__dirname, "../..");

/** `false` when Chromium is installed, else the message node:test prints for the skipped test. */
export const skipWithoutChromium: false | string = fs.existsSync(CHROMIUM)
  ? false
  : `${CHROMIUM} is absent: install Debian's chromium (apt-get install -y chromium, as .ci/run does) to run this browser test`;

/** Launches headless Chromium with the flags this machine needs (no sandbox, no GPU, no background traffic). */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--no-first-run", "--disable-quic", "--disable-sync",
    ],
  });
}

/** The directory the browser tests write their screenshots to (kept after the run, for a person to look at). */
export function screenshotDir(): string {
  const dir = process.env.SCREENSHOT_DIR ?? path.join(os.tmpdir(), "wing-cognito-screenshots");
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** A temp dir holding `main.w` (which brings the library by relative path) and a link to the repo's node_modules. */
export function appDir(prefix: string, lines: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"));
  const cognito = path.relative(dir, path.join(REPO, "cognito.w"));
  fs.writeFileSync(path.join(dir, "main.w"), lines.map((l) => l.replace("$COGNITO", cognito)).join("\n"));
  return dir;
}

export interface WingIt {
  /** The Console's URL. */
  url: string;
  /** Everything `wing it` printed so far. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts `wing it main.w` in `dir` as a user would, headless: `--no-open` (no browser), `-p 0` (a free port),
 * no update check, no analytics, and NO_SIGN_IN=true (the 0.85 Console otherwise asks to sign in first).
 */
export function startWingIt(dir: string, timeoutMs: number): Promise<WingIt> {
  const child: ChildProcess = spawn(
    path.join(REPO, "node_modules", ".bin", "wing"),
    ["it", "--no-open", "--no-update-check", "-p", "0", "--statedir", path.join(dir, "state"), "main.w"],
    {
      cwd: dir,
      detached: true, // its own process group, so that stop() ends the Console and the simulator's sandboxes
      env: { ...process.env, WING_DISABLE_ANALYTICS: "1", NO_SIGN_IN: "true", NO_COLOR: "1", FORCE_COLOR: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let seen = "";
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) {
      killProcessesIn(dir);
      return;
    }
    const exited = new Promise((resolve) => child.once("exit", resolve));
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    }, 5_000);
    await exited;
    clearTimeout(timer);
    killProcessesIn(dir);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`wing it printed no Console URL within ${timeoutMs} ms:\n${seen}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const m = /The Wing Console is running at (http:\/\/\S+)/.exec(seen);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!.replace(/\/$/, ""), output: () => seen, stop });
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`wing it exited with ${code}:\n${seen}`));
    });
  });
}
