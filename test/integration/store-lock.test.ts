// The data directory's lock, raced by real processes: of many processes opening one directory at once (with a stale
// LOCK file left behind), never two hold it at the same time; a second live process is refused with the owner's pid;
// and a restart right after `kill -9` of the owner is never refused.
import { after, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const REPO = path.resolve(__dirname, "..", "..");
const HELPER = path.join(REPO, "test/support/open-store.ts");
const dirs: string[] = [];
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

interface Opener {
  child: ChildProcess;
  /** Resolves with the first line: "opened <pid>" or "refused <message>". */
  first: Promise<string>;
  /** Times (ms) the helper reported holding the store, once it exits. */
  lines: Array<{ at: number; line: string }>;
  exited: Promise<void>;
}

function openStore(dir: string, holdMs: number): Opener {
  const child = spawn(process.execPath, ["--import", "tsx", HELPER, dir, String(holdMs)], { cwd: REPO, stdio: ["ignore", "pipe", "inherit"] });
  children.push(child);
  const lines: Opener["lines"] = [];
  let buffered = "";
  let resolveFirst!: (line: string) => void;
  const first = new Promise<string>((r) => (resolveFirst = r));
  child.stdout!.on("data", (chunk: Buffer) => {
    buffered += chunk.toString();
    let nl: number;
    while ((nl = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      lines.push({ at: Date.now(), line });
      if (lines.length === 1) resolveFirst(line);
    }
  });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  void exited.then(() => resolveFirst("exited"));
  return { child, first, lines, exited };
}

describe("the data directory lock", () => {
  it("of 8 racing processes (and a stale LOCK file), never two hold the directory at once", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "store-lock-race-"));
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, "LOCK"), "999999999");
    const racers = Array.from({ length: 8 }, () => openStore(dir, 1500));
    await Promise.all(racers.map((r) => r.exited));
    const held = racers
      .filter((r) => r.lines[0]?.line.startsWith("opened"))
      .map((r) => ({ from: r.lines[0].at, to: r.lines.find((l) => l.line.startsWith("closed"))!.at }))
      .sort((a, b) => a.from - b.from);
    assert.ok(held.length >= 1, "someone opened it");
    for (let i = 1; i < held.length; i++) assert.ok(held[i].from >= held[i - 1].to, "two processes held the directory at the same time");
    const refused = racers.filter((r) => r.lines[0]?.line.startsWith("refused")).map((r) => r.lines[0].line);
    for (const line of refused) assert.match(line, /is in use by process \d+/);
    assert.equal(held.length + refused.length, 8);
  });

  it("a restart right after kill -9 of the owner is never refused", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "store-lock-kill-"));
    dirs.push(dir);
    let owner = openStore(dir, 120_000);
    assert.match(await owner.first, /^opened/);
    for (let trial = 0; trial < 3; trial++) {
      owner.child.kill("SIGKILL");
      const next = openStore(dir, 120_000); // at once: the killed process may still be tearing down
      assert.match(await next.first, /^opened/, `trial ${trial}: restart after kill -9 was refused`);
      await owner.exited;
      owner = next;
    }
    owner.child.kill("SIGKILL");
    await owner.exited;
  });
});
