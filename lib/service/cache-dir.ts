// Where the library keeps files derived from its own code and constants, shared by every process on the machine:
// `.cache/winglibs-cognito` in the nearest `node_modules` above the library, else the system's temp directory. The
// simulator's build of the service (lib/sim/service-bundle.ts) and the service's SRP generator table live there.
// Resolved from this file's directory, which is two levels below the library's root both in the sources
// (lib/service/) and in the built service (node_modules/.cache/winglibs-cognito/).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** The library's cache directory (not created here). */
export function libraryCacheDir(): string {
  for (let dir = path.resolve(__dirname, "..", ".."); ; dir = path.dirname(dir)) {
    const candidate = path.basename(dir) === "node_modules" ? dir : path.join(dir, "node_modules");
    if (fs.existsSync(candidate)) return path.join(candidate, ".cache", "winglibs-cognito");
    if (path.dirname(dir) === dir) return path.join(os.tmpdir(), "winglibs-cognito");
  }
}
