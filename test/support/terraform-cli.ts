// Test support: runs the real `terraform` CLI offline against the AWS provider mirrored under /opt/tf-plugins. It finds
// terraform and the provider (or says why a test must skip), makes scratch working directories, writes provider
// blocks with local endpoints and no credential checks, runs `terraform init -plugin-dir` and any later command, and
// returns what terraform printed. Generic on purpose: Wing-specific layers (tf-aws stacks, an STS stand-in) build on it.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** Where provider binaries are mirrored (unpacked layout: <host>/<namespace>/<type>/<version>/<os_arch>/). */
export const TF_PLUGIN_DIR = process.env.TF_PLUGIN_DIR ?? "/opt/tf-plugins";

/** The AWS provider found in the plugin mirror. */
export interface AwsProvider {
  /** Version directory name, e.g. "5.100.0". */
  version: string;
  /** Full path of the provider executable. */
  binary: string;
}

export interface TerraformResult {
  /** Exit code (null when killed by a signal or the timeout). */
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Finds `terraform` on PATH (or TERRAFORM_BIN); undefined when absent. */
export function findTerraform(): string | undefined {
  const explicit = process.env.TERRAFORM_BIN;
  if (explicit) return isExecutable(explicit) ? explicit : undefined;
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, "terraform");
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** Finds the newest hashicorp/aws provider for this platform in the plugin mirror; undefined when absent. */
export function findAwsProvider(pluginDir: string = TF_PLUGIN_DIR): AwsProvider | undefined {
  const base = path.join(pluginDir, "registry.terraform.io", "hashicorp", "aws");
  let versions: string[];
  try {
    versions = fs.readdirSync(base).filter((v) => /^\d+\.\d+\.\d+/.test(v));
  } catch {
    return undefined;
  }
  versions.sort(compareVersions).reverse();
  const osArch = `${process.platform}_${process.arch === "x64" ? "amd64" : process.arch}`;
  for (const version of versions) {
    const dir = path.join(base, version, osArch);
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue;
    }
    const name = names.find((n) => n.startsWith("terraform-provider-aws"));
    if (name && isExecutable(path.join(dir, name))) return { version, binary: path.join(dir, name) };
  }
  return undefined;
}

/**
 * Why a Terraform test cannot run here, or false when it can: for `{ skip: terraformSkipReason() }` in node:test.
 */
export function terraformSkipReason(pluginDir: string = TF_PLUGIN_DIR): string | false {
  if (!findTerraform()) return "terraform is not on PATH: install Terraform (>= 1.5) to run this test";
  if (!findAwsProvider(pluginDir)) {
    return `the hashicorp/aws provider is absent from ${pluginDir}/registry.terraform.io/hashicorp/aws/<version>/<os_arch>/: mirror it there to run this test`;
  }
  return false;
}

/** Options of the AWS provider block written by {@link awsProviderBlock}. */
export interface AwsProviderOptions {
  region?: string;
  /** Service name (as in the provider's `endpoints` block, e.g. "cognitoidp", "sts") -> URL. */
  endpoints?: Record<string, string>;
  accessKey?: string;
  secretKey?: string;
  /** Extra provider arguments, merged last. */
  extra?: Record<string, unknown>;
}

/** A Terraform JSON `provider.aws` block that never reaches AWS: fixed keys, no credential/account/region checks. */
export function awsProviderBlock(options: AwsProviderOptions = {}): Record<string, unknown> {
  const block: Record<string, unknown> = {
    region: options.region ?? "us-east-1",
    access_key: options.accessKey ?? "AKIALOCALTERRAFORM",
    secret_key: options.secretKey ?? "local-terraform-secret",
    skip_credentials_validation: true,
    skip_requesting_account_id: true,
    skip_metadata_api_check: true,
    skip_region_validation: true,
  };
  if (options.endpoints && Object.keys(options.endpoints).length > 0) block.endpoints = [{ ...options.endpoints }];
  return { ...block, ...options.extra };
}

/** Terraform JSON pinning hashicorp/aws to the mirrored version and configuring it with {@link awsProviderBlock}. */
export function awsProviderConfig(options: AwsProviderOptions = {}, provider: AwsProvider | undefined = findAwsProvider()): Record<string, unknown> {
  const required: Record<string, unknown> = { source: "hashicorp/aws" };
  if (provider) required.version = provider.version;
  return {
    terraform: { required_providers: { aws: required } },
    provider: { aws: [awsProviderBlock(options)] },
  };
}

/** A provider process started once and shared by many terraform commands (TF_REATTACH_PROVIDERS). */
export interface SharedProvider {
  /** The TF_REATTACH_PROVIDERS value that makes terraform use this process instead of starting its own. */
  reattach: string;
  stop(): void;
}

/**
 * Starts the AWS provider in debug mode so that every terraform command reattaches to it rather than starting (and
 * loading the schema of) a fresh provider process each time: several seconds saved per command.
 */
export function startSharedAwsProvider(provider: AwsProvider | undefined = findAwsProvider(), timeoutMs = 120_000): Promise<SharedProvider> {
  if (!provider) return Promise.reject(new Error("the hashicorp/aws provider is not in the plugin mirror"));
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) if (!key.startsWith("AWS_") && !key.startsWith("TF_")) env[key] = value;
    const child = spawn(provider.binary, ["-debug"], { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const stop = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    };
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`the provider did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const match = /TF_REATTACH_PROVIDERS='([^']+)'/.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout.removeAllListeners("data");
        child.stderr.removeAllListeners("data");
        child.stdout.resume();
        child.stderr.resume();
        resolve({ reattach: match[1], stop });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the provider exited (${code}) before it was ready:\n${output}`));
    });
  });
}

/** A scratch Terraform working directory, with its own CLI config and no network. */
export class TerraformWorkspace {
  /** The working directory (holds *.tf.json, state and .terraform). */
  readonly dir: string;
  private readonly cliConfig: string;

  private constructor(dir: string, readonly pluginDir: string, readonly terraform: string) {
    this.dir = dir;
    this.cliConfig = path.join(dir, ".terraformrc");
    // Only the local mirror, no checkpoint calls; the file also keeps terraform off the user's ~/.terraformrc.
    fs.writeFileSync(
      this.cliConfig,
      `disable_checkpoint = true\nprovider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(pluginDir)}\n  }\n}\n`,
    );
  }

  /** Makes a scratch directory (under `parent`, default the OS temp dir). Throws when terraform is absent. */
  static create(options: { parent?: string; pluginDir?: string; prefix?: string } = {}): TerraformWorkspace {
    const terraform = findTerraform();
    if (!terraform) throw new Error("terraform is not on PATH");
    const dir = fs.mkdtempSync(path.join(options.parent ?? os.tmpdir(), options.prefix ?? "tf-"));
    return new TerraformWorkspace(dir, options.pluginDir ?? TF_PLUGIN_DIR, terraform);
  }

  /** Writes `name` (e.g. "main.tf.json") in the working directory; objects are written as JSON. */
  write(name: string, content: string | object): string {
    const file = path.join(this.dir, name);
    fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content, null, 2));
    return file;
  }

  /** Writes `provider.tf.json` with {@link awsProviderConfig}. */
  writeAwsProvider(options: AwsProviderOptions = {}): string {
    return this.write("provider.tf.json", awsProviderConfig(options));
  }

  /** The environment terraform runs with: no AWS_* or TF_* from the caller, automation mode, no checkpoint. */
  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) {
      if (key.startsWith("AWS_") || key.startsWith("TF_")) continue;
      env[key] = value;
    }
    Object.assign(env, {
      TF_CLI_CONFIG_FILE: this.cliConfig,
      TF_IN_AUTOMATION: "1",
      TF_INPUT: "0",
      CHECKPOINT_DISABLE: "1",
      NO_COLOR: "1",
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_CONFIG_FILE: path.join(this.dir, ".no-aws-config"),
      AWS_SHARED_CREDENTIALS_FILE: path.join(this.dir, ".no-aws-credentials"),
      HOME: process.env.HOME ?? this.dir,
    });
    return { ...env, ...extra };
  }

  /** Runs `terraform <args>` in the working directory. */
  run(args: string[], options: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<TerraformResult> {
    return runProcess(this.terraform, args, { cwd: this.dir, env: this.env(options.env), timeoutMs: options.timeoutMs ?? 300_000 });
  }

  /** `terraform init` from the plugin mirror only (no registry, no backend). */
  init(options: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<TerraformResult> {
    return this.run(["init", "-input=false", "-no-color", "-backend=false", `-plugin-dir=${this.pluginDir}`], options);
  }

  /** Runs a command that must exit 0 (or one of `okCodes`); throws with terraform's output otherwise. */
  async must(args: string[], options: { env?: Record<string, string>; timeoutMs?: number; okCodes?: number[] } = {}): Promise<TerraformResult> {
    const result = await this.run(args, options);
    const ok = options.okCodes ?? [0];
    if (result.code === null || !ok.includes(result.code)) {
      throw new Error(`terraform ${args.join(" ")} exited ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`);
    }
    return result;
  }

  /** Deletes the working directory. */
  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Spawns a process, collects stdout/stderr, kills it (and its group) after `timeoutMs`. */
function runProcess(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<TerraformResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      stderr += `\n[terraform-cli] killed after ${options.timeoutMs} ms`;
      try {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    }, options.timeoutMs);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((p) => Number.parseInt(p, 10) || 0);
  const pb = b.split(/[.-]/).map((p) => Number.parseInt(p, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
