// Test support: ends every process still working in a directory. `wing it` starts helpers in process groups of their
// own (the Console's compilers, the simulator's sandboxes), so killing its group can leave one behind, and such an
// orphan, its directory deleted, was seen spinning a core for good. Linux only (reads /proc); elsewhere it does nothing.
import * as fs from "node:fs";
import * as path from "node:path";

/** SIGKILLs every process (but this one) whose working directory is `dir` or inside it; returns how many. */
export function killProcessesIn(dir: string): number {
  if (!fs.existsSync("/proc")) return 0;
  const root = path.resolve(dir);
  let killed = 0;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let cwd: string;
    try {
      cwd = fs.readlinkSync(`/proc/${entry}/cwd`).replace(/ \(deleted\)$/, "");
    } catch {
      continue; // gone, or not ours to read
    }
    if (cwd !== root && !cwd.startsWith(`${root}${path.sep}`)) continue;
    try {
      process.kill(Number(entry), "SIGKILL");
      killed++;
    } catch {
      // already gone
    }
  }
  return killed;
}
