// Test support: `terraform validate` and `terraform plan` of what Wing synthesizes for tf-aws, offline, with the real
// AWS provider (test/support/terraform-cli.ts finds it and runs terraform). The Wing-specific parts live here: a
// copy of main.tf.json with Wing's pinned provider version, backend and provider block replaced by the mirrored
// provider and a no-credentials provider block; placeholder files for the Lambda archives a snapshot names; a
// loopback STS stand-in that answers GetCallerIdentity (Wing reads `data.aws_caller_identity`) in the query
// protocol's XML; and `planAll`, which plans several apps as modules of one root configuration, so that init,
// the provider and its schema load once for all of them.
import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { TerraformWorkspace, awsProviderConfig, type TerraformResult } from "./terraform-cli";

/** The account the STS stand-in reports. */
export const STAND_IN_ACCOUNT = "123456789012";

/** A loopback STS that answers GetCallerIdentity; every other action gets STS's InvalidAction error. */
export interface StsStandIn {
  readonly url: string;
  /** How many GetCallerIdentity calls it answered. */
  readonly calls: () => number;
  close(): Promise<void>;
}

function xml(status: number, body: string, res: http.ServerResponse): void {
  res.writeHead(status, { "content-type": "text/xml", "x-amzn-requestid": randomUUID() }).end(body);
}

/** Starts the STS stand-in on 127.0.0.1 (ephemeral port). */
export async function startStsStandIn(): Promise<StsStandIn> {
  let calls = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://localhost");
      const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
      const action = form.get("Action") ?? url.searchParams.get("Action");
      const requestId = randomUUID();
      if (action === "GetCallerIdentity") {
        calls++;
        xml(
          200,
          `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">` +
            `<GetCallerIdentityResult><Arn>arn:aws:iam::${STAND_IN_ACCOUNT}:user/terraform-plan</Arn>` +
            `<UserId>AIDAOFFLINETERRAFORM0</UserId><Account>${STAND_IN_ACCOUNT}</Account></GetCallerIdentityResult>` +
            `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
          res,
        );
        return;
      }
      xml(
        400,
        `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>` +
          `<Code>InvalidAction</Code><Message>The action ${action ?? "(none)"} is not valid for this web service.</Message>` +
          `</Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
        res,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls: () => calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

type TerraformJson = { [key: string]: any };

/**
 * A copy of Wing's main.tf.json that the mirrored provider can plan: without Wing's `terraform` block (its pinned
 * provider version and local backend; provider.tf.json requires the mirrored version instead) and without its empty
 * `provider.aws` block (provider.tf.json configures it). A version range the library asked for instead of Wing's pin
 * (`>= 5.83.0` for choice-based sign-in) is kept, so `terraform init` proves the mirrored provider satisfies it.
 */
export function relaxedForLocalProvider(mainTfJson: TerraformJson): TerraformJson {
  const copy: TerraformJson = JSON.parse(JSON.stringify(mainTfJson));
  const aws = copy["terraform"]?.["required_providers"]?.["aws"];
  delete copy["terraform"];
  if (aws && typeof aws.version === "string" && !/^\d+\.\d+\.\d+$/.test(aws.version)) {
    copy["terraform"] = { required_providers: { aws: { source: aws.source, version: aws.version } } };
  }
  if (copy["provider"]) {
    delete copy["provider"]["aws"];
    if (Object.keys(copy["provider"]).length === 0) delete copy["provider"];
  }
  return copy;
}

/** The `source` files (Lambda archives) that the stack's aws_s3_object resources upload. */
export function assetSources(mainTfJson: TerraformJson): string[] {
  return Object.values<TerraformJson>(mainTfJson["resource"]?.["aws_s3_object"] ?? {})
    .map((object) => object["source"])
    .filter((source): source is string => typeof source === "string" && !source.includes("${"));
}

/** How many resources the stack declares (what a plan against an empty state must add). */
export function resourceCount(mainTfJson: TerraformJson): number {
  return Object.values<TerraformJson>(mainTfJson["resource"] ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
}

/** The main.tf.json in a committed tf-aws snapshot (`<file>.tf-aws.snap.md`, as `wing test -s update` writes it). */
export function mainTfJsonOfSnapshot(snapshot: string): TerraformJson {
  const match = /## main\.tf\.json\s+```json\n([\s\S]*?)\n```/.exec(snapshot);
  if (!match) throw new Error("the snapshot has no main.tf.json section");
  return JSON.parse(match[1]!) as TerraformJson;
}

/** What validate and plan printed for one app. */
export interface PlanResult {
  validate: TerraformResult;
  plan: TerraformResult;
  /** `Plan: <add> to add, <change> to change, <destroy> to destroy`, when the plan got that far. */
  summary?: { add: number; change: number; destroy: number };
}

/** What `planAll` found: the combined runs, and the resources the plan creates per module. */
export interface PlanAllResult extends PlanResult {
  created: { [module: string]: number };
}

/** Validates and plans Wing stacks offline, against the STS stand-in. */
export class WingTerraform {
  private constructor(
    private readonly sts: StsStandIn,
    private readonly parent: string,
    private readonly workspaces: TerraformWorkspace[] = [],
  ) {}

  /** Starts the STS stand-in. Scratch directories go under `parent`. */
  static async create(parent: string): Promise<WingTerraform> {
    fs.mkdirSync(parent, { recursive: true });
    return new WingTerraform(await startStsStandIn(), parent);
  }

  /** The STS stand-in's call count (data.aws_caller_identity reads). */
  stsCalls(): number {
    return this.sts.calls();
  }

  /**
   * `terraform validate` and `terraform plan` of a Wing main.tf.json. `assetsDir` holds the archives it names
   * (a compile's output directory); without it (a snapshot), empty placeholders stand in for them.
   */
  async plan(name: string, mainTfJson: TerraformJson, assetsDir?: string): Promise<PlanResult> {
    const ws = TerraformWorkspace.create({ parent: this.parent, prefix: `tf-wing-${name.replace(/[^A-Za-z0-9-]+/g, "-")}-` });
    this.workspaces.push(ws);
    ws.write("main.tf.json", relaxedForLocalProvider(mainTfJson));
    ws.write("provider.tf.json", awsProviderConfig({ endpoints: { sts: this.sts.url } }));
    for (const source of assetSources(mainTfJson)) {
      const file = path.join(ws.dir, source);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const real = assetsDir === undefined ? undefined : path.join(assetsDir, source);
      if (real !== undefined && fs.existsSync(real)) fs.copyFileSync(real, file);
      else fs.writeFileSync(file, "");
    }
    await ws.init();
    const env = {};
    const validate = await ws.run(["validate", "-no-color"], { env });
    if (validate.code !== 0) return { validate, plan: { code: null, stdout: "", stderr: "not run: validate failed" } };
    const plan = await ws.run(["plan", "-input=false", "-no-color", "-lock=false", "-refresh=false", "-out=plan.bin"], { env });
    const match = /Plan: (\d+) to add, (\d+) to change, (\d+) to destroy/.exec(plan.stdout);
    const summary = match ? { add: Number(match[1]), change: Number(match[2]), destroy: Number(match[3]) } : undefined;
    return { validate, plan, ...(summary ? { summary } : {}) };
  }

  /**
   * Validates and plans several Wing stacks at once, each as a module (`module.<name>`) of one root configuration:
   * one provider start for all. Returns the combined validate and plan, and what the plan adds per module.
   */
  async planAll(apps: { name: string; tf: TerraformJson; assetsDir?: string }[]): Promise<PlanAllResult> {
    const ws = TerraformWorkspace.create({ parent: this.parent, prefix: "tf-wing-all-" });
    this.workspaces.push(ws);
    const modules: { [name: string]: { source: string } } = {};
    for (const app of apps) {
      if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(app.name)) throw new Error(`not a module name: ${app.name}`);
      const dir = path.join(ws.dir, "apps", app.name);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify(relaxedForLocalProvider(app.tf), null, 2));
      modules[app.name] = { source: `./apps/${app.name}` };
      // aws_s3_object `source` paths are relative to the working directory, not to the module.
      for (const source of assetSources(app.tf)) {
        const file = path.join(ws.dir, source);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        const real = app.assetsDir === undefined ? undefined : path.join(app.assetsDir, source);
        if (real !== undefined && fs.existsSync(real)) fs.copyFileSync(real, file);
        else if (!fs.existsSync(file)) fs.writeFileSync(file, "");
      }
    }
    ws.write("main.tf.json", { module: modules });
    ws.write("provider.tf.json", awsProviderConfig({ endpoints: { sts: this.sts.url } }));
    // init links the mirrored provider (no copy) and records the local modules.
    const env = {};
    await ws.must(["init", "-input=false", "-no-color", "-backend=false", `-plugin-dir=${ws.pluginDir}`], { env });
    const validate = await ws.run(["validate", "-no-color"], { env });
    const notRun = { code: null, stdout: "", stderr: "not run: validate failed" };
    if (validate.code !== 0) return { validate, plan: notRun, created: {} };
    const plan = await ws.run(["plan", "-input=false", "-no-color", "-lock=false", "-refresh=false", "-out=plan.bin"], { env });
    const created: { [name: string]: number } = {};
    for (const match of plan.stdout.matchAll(/^\s*# module\.([A-Za-z0-9_-]+)\.\S+ will be created$/gm)) {
      created[match[1]!] = (created[match[1]!] ?? 0) + 1;
    }
    const summary = /Plan: (\d+) to add, (\d+) to change, (\d+) to destroy/.exec(plan.stdout);
    return {
      validate,
      plan,
      created,
      ...(summary ? { summary: { add: Number(summary[1]), change: Number(summary[2]), destroy: Number(summary[3]) } } : {}),
    };
  }

  /** Stops the STS stand-in and deletes every scratch directory. */
  async close(): Promise<void> {
    await this.sts.close();
    for (const ws of this.workspaces) ws.remove();
  }
}
