// Tests lib/api-internals.ts against the real Wing SDK: it fails loudly when `cloud.Api` changes the
// internals the library relies on (apiSpec.paths, the simulator's handlers registry, a Function's handler),
// and runs a simulated app to show that a guarded route runs the guard and then the original handler,
// while the api's other routes (even ones sharing the handler) stay untouched.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App } from "@winglang/sdk/lib/target-sim/app";
import { Platform } from "@winglang/sdk/lib/target-sim/platform";
import { ClassFactory, lift } from "@winglang/sdk/lib/core";
import { Api } from "@winglang/sdk/lib/cloud";
import { Simulator } from "@winglang/sdk/lib/simulator";
import { assertRoute, guardSimRoute, readApiSpec, routeHandler, writeApiSpec, type InflightHandler } from "../lib/api-internals";

const REPO_NODE_MODULES = path.resolve(__dirname, "..", "node_modules");

const outdirs: string[] = [];
after(() => outdirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function newSimApp(): App {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "cognito-api-internals-"));
  outdirs.push(outdir);
  fs.symlinkSync(REPO_NODE_MODULES, path.join(outdir, "node_modules"));
  const platform = new Platform();
  const classFactory = new ClassFactory([platform.newInstance.bind(platform)], [platform.resolveType.bind(platform)]);
  return new App({ outdir, entrypointDir: outdir, classFactory, isTestEnvironment: false });
}

const echo = (name: string) =>
  lift({ name }).inflight(async (ctx, req: any) => ({
    status: 201,
    headers: { "x-handler": ctx.name },
    body: JSON.stringify({ method: req.method, path: req.path, vars: req.vars, query: req.query, body: req.body }),
  }));

/** A guard that lets a request through only with `x-pass: yes`, as the simulator backend's guard does. */
function guard(original: InflightHandler): InflightHandler {
  return lift({ original: original as any }).inflight(async (ctx, req: any) => {
    if (req.headers?.["x-pass"] !== "yes") return { status: 401, body: '{"message":"Unauthorized"}' };
    return (ctx.original as any)(req);
  });
}

test("the Wing SDK still has the cloud.Api internals this library relies on", () => {
  const app = newSimApp();
  const api = new Api(app, "Api") as any;
  api.get("/hello/:id", echo("hello"));
  assert.equal(typeof api.apiSpec, "object", "cloud.Api.apiSpec is gone");
  assert.equal(typeof api.apiSpec.paths["/hello/:id"]?.get, "object", "apiSpec.paths[path][method] changed");
  assert.equal(typeof api.handlers, "object", "the simulator Api's handlers registry is gone");
  const entries = Object.values<any>(api.handlers);
  assert.equal(entries.length, 1);
  assert.deepEqual(entries[0].mapping.eventProps.subscriptionProps.routes, [{ pathPattern: "/hello/:id", method: "GET" }]);
  assert.equal(typeof entries[0].func.handler._toInflight, "function", "Function.handler is no longer an inflight");
  assert.equal(routeHandler(api, "GET", "/hello/:id"), entries[0].func.handler);
  const descriptor = Object.getOwnPropertyDescriptor(entries[0].func, "handler");
  assert.ok(descriptor?.writable, "Function.handler is no longer writable");
});

test("protecting a route that is not registered fails, naming method and path", () => {
  const app = newSimApp();
  const api = new Api(app, "Api");
  api.get("/hello", echo("hello"));
  assert.throws(() => assertRoute(api, "post", "/hello"), /cannot protect POST \/hello: .* has no POST route at "\/hello".*Routes on this api: GET \/hello/);
  assert.throws(() => guardSimRoute(api, "GET", "/nope", "test", guard), /cannot protect GET \/nope/);
  assert.doesNotThrow(() => assertRoute(api, "get", "/hello"));
});

test("a Wing app that protects an unregistered route fails to compile, naming method and path", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cognito-missing-route-"));
  outdirs.push(dir);
  fs.symlinkSync(REPO_NODE_MODULES, path.join(dir, "node_modules"));
  const library = path.relative(dir, path.resolve(__dirname, "..", "cognito.w"));
  fs.writeFileSync(
    path.join(dir, "main.w"),
    [
      "bring cloud;",
      `bring "${library}" as cognito;`,
      "let api = new cloud.Api();",
      'api.get("/hello", inflight (req) => { return { status: 200 }; });',
      "let auth = new cognito.Cognito(api);",
      'auth.post("/hello");',
    ].join("\n"),
  );
  const result = spawnSync("npx", ["wing", "compile", path.join(dir, "main.w"), "-o", path.join(dir, "out")], {
    cwd: path.resolve(__dirname, ".."),
    encoding: "utf8",
    env: { ...process.env, WING_DISABLE_ANALYTICS: "1" },
  });
  assert.notEqual(result.status, 0, "the compile should fail");
  assert.match(result.stdout + result.stderr, /cannot protect POST \/hello: .* has no POST route at "\/hello"/);
});

test("a route cannot be protected twice", () => {
  const app = newSimApp();
  const api = new Api(app, "Api");
  api.get("/hello", echo("hello"));
  guardSimRoute(api, "GET", "/hello", "root/First", guard);
  assert.throws(() => guardSimRoute(api, "GET", "/hello", "root/Second", guard), /GET \/hello of .* is already protected by root\/First/);
});

test("the OpenAPI spec can be read and replaced, and Wing renders the replacement", () => {
  const app = newSimApp();
  const api = new Api(app, "Api") as any;
  api.get("/a", echo("a"));
  const spec = readApiSpec(api);
  assert.equal(spec, api.apiSpec, "readApiSpec must return the api's live spec");
  assert.equal(typeof spec.paths["/a"]?.get, "object");
  const scheme = { type: "apiKey", name: "Authorization", in: "header" };
  writeApiSpec(api, {
    ...spec,
    components: { securitySchemes: { auth: scheme } },
    paths: { ...spec.paths, "/a": { get: { ...spec.paths["/a"]!.get, security: [{ auth: [] }] } } },
  });
  const rendered = api._getOpenApiSpec();
  assert.deepEqual(rendered.components.securitySchemes, { auth: scheme }, "cloud.Api no longer renders apiSpec.components");
  assert.deepEqual(rendered.paths["/a"].get.security, [{ auth: [] }], "cloud.Api no longer renders apiSpec.paths");
  assert.throws(() => readApiSpec({}), /no longer has an `apiSpec.paths` object/);
});

test("a guarded route runs the guard, then the original handler; other routes stay open", async () => {
  const app = newSimApp();
  const api = new Api(app, "Api");
  const shared = echo("shared");
  api.get("/open", echo("open"));
  api.post("/items/:id", echo("items"));
  api.get("/shared-a", shared);
  api.get("/shared-b", shared);
  guardSimRoute(api, "POST", "/items/:id", "root/Auth", guard);
  guardSimRoute(api, "GET", "/shared-a", "root/Auth", guard);
  app.synth();

  const sim = new Simulator({ simfile: app.outdir });
  await sim.start();
  try {
    const url: string = sim.getResourceConfig("/Api").attrs.url;
    const call = (method: string, p: string, headers: Record<string, string> = {}, body?: string) =>
      fetch(`${url}${p}`, { method, headers, body });

    const open = await call("GET", "/open");
    assert.equal(open.status, 201);
    assert.equal(open.headers.get("x-handler"), "open");

    const denied = await call("POST", "/items/7?q=1", { "content-type": "application/json" }, '{"a":1}');
    assert.equal(denied.status, 401);
    assert.equal(await denied.text(), '{"message":"Unauthorized"}');

    const allowed = await call("POST", "/items/7?q=1", { "x-pass": "yes", "content-type": "application/json" }, '{"a":1}');
    assert.equal(allowed.status, 201);
    assert.equal(allowed.headers.get("x-handler"), "items");
    assert.deepEqual(await allowed.json(), { method: "POST", path: "/items/7", vars: { id: "7" }, query: { q: "1" }, body: '{"a":1}' });

    assert.equal((await call("GET", "/shared-a")).status, 401, "the protected route of a shared handler is guarded");
    assert.equal((await call("GET", "/shared-a", { "x-pass": "yes" })).status, 201);
    const sharedB = await call("GET", "/shared-b");
    assert.equal(sharedB.status, 201, "the other route of a shared handler stays open");
    assert.equal(sharedB.headers.get("x-handler"), "shared");
  } finally {
    await sim.stop();
  }
});
