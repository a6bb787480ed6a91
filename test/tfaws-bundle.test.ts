// What the inflight client costs a handler's bundle, measured with esbuild as Wing bundles a Lambda (CommonJS,
// node20): `caller` (lib/inflight/caller.ts) bundles no package (its RS256 verifier is on node:crypto), and the SDK calls (lib/inflight/client.ts) leave the
// two AWS SDK client packages to run time, so no handler that lifts `auth` carries 2.3 MB of SDK it may not call.
// The Wing-level check (the Lambda of a route that only calls `auth.caller`) is in test/tfaws-synth.test.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { buildSync } from "esbuild";
import { SDK_PACKAGES, _signUp } from "../lib/inflight/client";

const REPO = path.resolve(__dirname, "..");

function bundle(source: string): { packages: string[]; bytes: number } {
  const result = buildSync({
    stdin: { contents: source, resolveDir: REPO, loader: "js" },
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    keepNames: true,
    metafile: true,
    write: false,
    logLevel: "silent",
  });
  const packages = new Set<string>();
  for (const input of Object.keys(result.metafile.inputs)) {
    const inPackage = input.split("node_modules/").pop()!;
    if (inPackage === input) continue;
    const parts = inPackage.split("/");
    packages.add(parts[0]!.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]!);
  }
  return { packages: [...packages].sort(), bytes: result.outputFiles[0]!.contents.length };
}

const kB = (bytes: number) => `${Math.round(bytes / 1024)} kB`;

test("caller bundles no package (no JWT library, no AWS SDK); the SDK calls leave the SDK clients to run time", () => {
  const caller = bundle('module.exports = require("./lib/inflight/caller.ts");');
  const client = bundle('module.exports = require("./lib/inflight/client.ts");');
  // What every handler lifting `auth` carried before the split: both SDK clients, bundled.
  const sdk = bundle(SDK_PACKAGES.map((name) => `require(${JSON.stringify(name)});`).join("\n"));
  console.log(`caller ${kB(caller.bytes)}, SDK calls ${kB(client.bytes)}, the SDK clients they no longer bundle ${kB(sdk.bytes)}`);
  assert.deepEqual(caller.packages, []);
  assert.deepEqual(client.packages, []);
  assert.ok(caller.bytes < 50_000, kB(caller.bytes));
  assert.ok(client.bytes < caller.bytes + 20_000, `${kB(client.bytes)} vs ${kB(caller.bytes)}`);
  assert.ok(sdk.bytes > 1_000_000, kB(sdk.bytes));
  for (const name of SDK_PACKAGES) assert.ok(sdk.packages.includes(name), name);
});

test("the SDK clients still load at run time, from node_modules", async () => {
  // An endpoint that refuses connections: the call fails in the SDK's HTTP layer, after the packages loaded.
  const conn = { endpoint: "http://127.0.0.1:9", region: "us-east-1", userPoolId: "us-east-1_x", clientId: "c", identityPoolId: "i", headerKey: "Authorization" };
  await assert.rejects(_signUp(conn, "a@b.c", "Passw0rd!"), (err: Error) => !/Cannot find module/.test(err.message));
});
