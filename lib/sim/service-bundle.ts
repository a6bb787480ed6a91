// Preflight, simulator only: builds the local Cognito resource's implementation (./local-cognito.ts and the whole
// service under lib/service) into one CommonJS file, once, and reuses it while none of its input files change.
// Wing bundles every resource's code with esbuild each time a simulator starts (each `wing test` file, each `wing it`
// reload); for the service that took about half a second. With this file built at compile time, the resource's own
// bundle (./resource.ts) is a few lines and the simulator only loads the built file.
//
// The file lives in `node_modules/.cache/winglibs-cognito/` next to the library (or the system's temp directory),
// named by its content hash, with a manifest of the inputs (size and mtime of each) that built it. The manifest is
// named after the library's location, so that two copies of the library sharing one node_modules (a monorepo, git
// worktrees) each keep their own build instead of rebuilding whenever the other one compiled.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { libraryCacheDir } from "../service/cache-dir";

const ENTRY = path.join(__dirname, "local-cognito.ts");
/** This copy of the library's manifest, named after where the library lives. */
const MANIFEST = `local-cognito-${createHash("sha256").update(ENTRY).digest("hex").slice(0, 12)}.json`;
const MANIFEST_PATTERN = /^local-cognito(-[0-9a-f]+)?\.json$/;

/** What the cache directory keeps about the current build. */
interface Manifest {
  /** The built file's name, in the cache directory. */
  readonly bundle: string;
  /** Each input file's `size:mtimeMs` when it was built. */
  readonly inputs: Record<string, string>;
}

/** The esbuild API this module uses. */
interface Esbuild {
  buildSync(options: Record<string, unknown>): {
    outputFiles: { path: string; contents: Uint8Array }[];
    metafile: { inputs: Record<string, unknown> };
  };
}

function fingerprint(file: string): string | undefined {
  try {
    const st = fs.statSync(file);
    return `${st.size}:${st.mtimeMs}`;
  } catch {
    return undefined;
  }
}

function readManifest(dir: string): Manifest | undefined {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST), "utf8")) as Manifest;
    if (!fs.existsSync(path.join(dir, manifest.bundle))) return undefined;
    for (const [file, print] of Object.entries(manifest.inputs)) if (fingerprint(file) !== print) return undefined;
    return manifest;
  } catch {
    return undefined;
  }
}

/** esbuild, as Wing's SDK (which bundles inflight code with it) resolves it. */
function loadEsbuild(): Esbuild {
  const sdkDir = path.dirname(require.resolve("@winglang/sdk/package.json"));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(require.resolve("esbuild", { paths: [sdkDir] })) as Esbuild;
}

/** Writes `contents` to `file` so that a reader sees either nothing or the whole file. */
function writeAtomically(file: string, contents: string | Uint8Array): void {
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(temp, contents);
  fs.renameSync(temp, file);
}

/** The builds some manifest in `dir` names (another copy of the library may be using one). */
function bundlesInUse(dir: string): Set<string> {
  const used = new Set<string>();
  for (const name of fs.readdirSync(dir)) {
    if (!MANIFEST_PATTERN.test(name)) continue;
    try {
      used.add((JSON.parse(fs.readFileSync(path.join(dir, name), "utf8")) as Manifest).bundle);
    } catch {
      // being written, or not ours
    }
  }
  return used;
}

/** Removes earlier builds that no manifest names and that were not used for an hour (a simulator may still load one). */
function removeOldBundles(dir: string, current: string): void {
  const used = bundlesInUse(dir);
  for (const name of fs.readdirSync(dir)) {
    if (name === current || used.has(name) || !/^local-cognito-[0-9a-f]+\.cjs$/.test(name)) continue;
    const file = path.join(dir, name);
    try {
      if (Date.now() - fs.statSync(file).mtimeMs > 3_600_000) fs.rmSync(file, { force: true });
    } catch {
      // removed by another compile
    }
  }
}

/** The absolute path of the built local Cognito implementation, building it first when an input changed. */
export function localCognitoBundle(): string {
  const dir = libraryCacheDir();
  const cached = readManifest(dir);
  if (cached) return path.join(dir, cached.bundle);

  const result = loadEsbuild().buildSync({
    entryPoints: [ENTRY],
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    // A native addon: loaded from node_modules at run time.
    external: ["better-sqlite3"],
    write: false,
    metafile: true,
    outfile: path.join(dir, "local-cognito.cjs"),
    logLevel: "error",
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error("@winglibs/cognito: building the local Cognito produced no file");
  const bundle = `local-cognito-${createHash("sha256").update(output.contents).digest("hex").slice(0, 16)}.cjs`;
  const inputs: Record<string, string> = {};
  for (const input of Object.keys(result.metafile.inputs)) {
    const file = path.resolve(input);
    const print = fingerprint(file);
    if (print) inputs[file] = print;
  }
  fs.mkdirSync(dir, { recursive: true });
  if (!fs.existsSync(path.join(dir, bundle))) writeAtomically(path.join(dir, bundle), output.contents);
  writeAtomically(path.join(dir, MANIFEST), JSON.stringify({ bundle, inputs } satisfies Manifest));
  removeOldBundles(dir, bundle);
  return path.join(dir, bundle);
}
