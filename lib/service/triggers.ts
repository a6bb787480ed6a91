// The trigger engine of the local service: a pool's LambdaConfig (read and validated as CreateUserPool and
// UpdateUserPool take it), AWS-shaped trigger events, invocation through the service's LambdaInvoker with Cognito's
// 5-second budget, and the checks of what a function returns. A failing trigger surfaces as AWS reports it:
// UserLambdaValidationException `<Trigger> failed with error <message>.` when the function threw,
// InvalidLambdaResponseException when its answer is unusable, UnexpectedLambdaException when it could not be invoked.
import { CognitoError, invalidParameter } from "./errors";
import { regionOfId } from "./ids";
import type { LambdaInvoker } from "./lambda-invoke";
import type { UserPoolRecord, UserRecord } from "./model";

/** The triggers a user pool can run, by their LambdaConfig member name. */
export const TRIGGER_NAMES = [
  "PreSignUp", "CustomMessage", "PostConfirmation", "PreAuthentication", "PostAuthentication", "DefineAuthChallenge",
  "CreateAuthChallenge", "VerifyAuthChallengeResponse", "PreTokenGeneration", "UserMigration",
] as const;
export type TriggerName = (typeof TRIGGER_NAMES)[number];

/** How long Cognito waits for a trigger. */
export const TRIGGER_TIMEOUT_MS = 5000;

const ARN_PATTERN = /^arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?$/;
const ARN_PATTERN_TEXT = "arn:[\\w+=/,.@-]+:[\\w+=/,.@-]+:([\\w+=/,.@-]*)?:[0-9]+:[\\w+=/,.@-]+(:[\\w+=/,.@-]+)?(:[\\w+=/,.@-]+)?";
const PRE_TOKEN_VERSIONS = ["V1_0", "V2_0", "V3_0"];
const SENDER_MEMBERS = ["CustomSMSSender", "CustomEmailSender"] as const;

const camel = (member: string) => member.charAt(0).toLowerCase() + member.slice(1);

function checkArn(value: unknown, where: string): string {
  if (typeof value !== "string") throw invalidParameter(`1 validation error detected: Value at '${where}' failed to satisfy constraint: Member must be a string`);
  if (value.length < 20 || value.length > 2048 || !ARN_PATTERN.test(value)) {
    throw invalidParameter(`1 validation error detected: Value '${value}' at '${where}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${ARN_PATTERN_TEXT}`);
  }
  return value;
}

/**
 * Validates a LambdaConfig as CreateUserPool / UpdateUserPool receive it and returns it as DescribeUserPool shows it
 * (PreTokenGeneration and PreTokenGenerationConfig.LambdaArn kept equal, version V1_0 unless stated).
 */
export function normalizeLambdaConfig(value: unknown): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) throw invalidParameter("LambdaConfig must be a structure.");
  const given = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [member, v] of Object.entries(given)) {
    if (v === undefined || v === null) continue;
    const where = `lambdaConfig.${camel(member)}`;
    if ((TRIGGER_NAMES as readonly string[]).includes(member)) {
      out[member] = checkArn(v, where);
    } else if (member === "PreTokenGenerationConfig") {
      if (typeof v !== "object" || Array.isArray(v)) throw invalidParameter("PreTokenGenerationConfig must be a structure.");
      const c = v as Record<string, unknown>;
      if (typeof c.LambdaVersion !== "string" || !PRE_TOKEN_VERSIONS.includes(c.LambdaVersion)) {
        throw invalidParameter(`1 validation error detected: Value '${String(c.LambdaVersion ?? "null")}' at '${where}.lambdaVersion' failed to satisfy constraint: Member must satisfy enum value set: [${PRE_TOKEN_VERSIONS.join(", ")}]`);
      }
      out[member] = { LambdaVersion: c.LambdaVersion, LambdaArn: checkArn(c.LambdaArn, `${where}.lambdaArn`) };
    } else if ((SENDER_MEMBERS as readonly string[]).includes(member)) {
      if (typeof v !== "object" || Array.isArray(v)) throw invalidParameter(`${member} must be a structure.`);
      const c = v as Record<string, unknown>;
      if (c.LambdaVersion !== "V1_0") throw invalidParameter(`1 validation error detected: Value '${String(c.LambdaVersion ?? "null")}' at '${where}.lambdaVersion' failed to satisfy constraint: Member must satisfy enum value set: [V1_0]`);
      out[member] = { LambdaVersion: "V1_0", LambdaArn: checkArn(c.LambdaArn, `${where}.lambdaArn`) };
    } else if (member === "KMSKeyID") {
      out[member] = checkArn(v, "lambdaConfig.kMSKeyID");
    } else {
      throw invalidParameter(`Unknown LambdaConfig member ${member}.`);
    }
  }
  const preToken = out.PreTokenGeneration as string | undefined;
  const preTokenConfig = out.PreTokenGenerationConfig as { LambdaArn: string; LambdaVersion: string } | undefined;
  if (preToken && preTokenConfig && preToken !== preTokenConfig.LambdaArn) {
    throw invalidParameter("The PreTokenGeneration and PreTokenGenerationConfig.LambdaArn values must be the same.");
  }
  if (preTokenConfig) out.PreTokenGeneration = preTokenConfig.LambdaArn;
  else if (preToken) out.PreTokenGenerationConfig = { LambdaArn: preToken, LambdaVersion: "V1_0" };
  if ((out.CustomSMSSender || out.CustomEmailSender) && !out.KMSKeyID) throw invalidParameter("KMSKeyID is required with a custom sender trigger.");
  return out;
}

/** The function configured for `trigger` on `pool`, if any. */
export function triggerArn(pool: UserPoolRecord, trigger: TriggerName): string | undefined {
  const config = pool.settings.LambdaConfig as Record<string, unknown> | undefined;
  const arn = config?.[trigger];
  return typeof arn === "string" ? arn : undefined;
}

/** The PreTokenGeneration event version of a pool: "1", "2" or "3". */
export function preTokenGenerationVersion(pool: UserPoolRecord): "1" | "2" | "3" {
  const config = (pool.settings.LambdaConfig as Record<string, unknown> | undefined)?.PreTokenGenerationConfig as { LambdaVersion?: string } | undefined;
  return config?.LambdaVersion === "V2_0" ? "2" : config?.LambdaVersion === "V3_0" ? "3" : "1";
}

/** The `request.userAttributes` of an event: the user's attributes, its sub and its status. */
export function eventUserAttributes(user: UserRecord): Record<string, string> {
  return { sub: user.sub, ...user.attributes, "cognito:user_status": user.status };
}

/** The caller of the operation that fires a trigger. */
export interface TriggerCaller {
  /** The app client of the operation, when there is one. */
  clientId?: string;
}

/** Runs triggers for one service. `invoker` is absent when the service has nowhere to invoke Lambda functions. */
export class TriggerRunner {
  private invoker: LambdaInvoker | undefined;
  private timeoutMs = TRIGGER_TIMEOUT_MS;

  constructor(
    private readonly region: string,
    private readonly log: (line: string) => void,
  ) {}

  /** Sets where functions are invoked and (for tests) how long a trigger may take. */
  configure(invoker: LambdaInvoker | undefined, timeoutMs = TRIGGER_TIMEOUT_MS): void {
    this.invoker = invoker;
    this.timeoutMs = timeoutMs;
  }

  /** Whether `pool` has `trigger` configured. */
  has(pool: UserPoolRecord, trigger: TriggerName): boolean {
    return triggerArn(pool, trigger) !== undefined;
  }

  /**
   * Runs `trigger` of `pool` with an AWS-shaped event and returns the function's `response` object, or undefined when
   * the pool has no such trigger. Throws the CognitoError AWS would give when the function fails.
   */
  async run(
    pool: UserPoolRecord,
    trigger: TriggerName,
    triggerSource: string,
    userName: string,
    caller: TriggerCaller,
    request: Record<string, unknown>,
    response: Record<string, unknown>,
    version = "1",
  ): Promise<Record<string, unknown> | undefined> {
    const arn = triggerArn(pool, trigger);
    if (!arn) return undefined;
    const event = {
      version,
      triggerSource,
      region: regionOfId(pool.Id) ?? this.region,
      userPoolId: pool.Id,
      userName,
      callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId: caller.clientId ?? "CLIENT_ID_NOT_APPLICABLE" },
      request,
      response,
    };
    const invoker = this.invoker;
    if (!invoker) {
      this.log(`[trigger] ${trigger} of pool ${pool.Id} is ${arn}, but this service has no Lambda endpoint (start it with --lambda-endpoint URL)`);
      throw new CognitoError("UnexpectedLambdaException", `${trigger} invocation failed due to error No Lambda endpoint is configured for this local service (start it with --lambda-endpoint URL).`);
    }
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => {
        abort.abort();
        resolve("timeout");
      }, this.timeoutMs);
    });
    let outcome: Awaited<ReturnType<LambdaInvoker["invoke"]>> | "timeout";
    try {
      outcome = await Promise.race([invoker.invoke(arn, event, abort.signal), timedOut]);
    } catch (e) {
      if (abort.signal.aborted) outcome = "timeout";
      else {
        const message = (e as Error)?.message ?? String(e);
        this.log(`[trigger] ${trigger} ${triggerSource} pool=${pool.Id} user=${userName}: invocation failed: ${message}`);
        throw new CognitoError("UnexpectedLambdaException", `${trigger} invocation failed due to error ${message}.`);
      }
    } finally {
      clearTimeout(timer);
    }
    if (outcome === "timeout") {
      this.log(`[trigger] ${trigger} ${triggerSource} pool=${pool.Id} user=${userName}: timed out after ${this.timeoutMs} ms`);
      throw new CognitoError("UnexpectedLambdaException", `${trigger} invocation failed due to error Socket timeout while invoking Lambda function.`);
    }
    if (outcome.functionError) {
      const p = outcome.payload as { errorMessage?: unknown } | null;
      const message = typeof p?.errorMessage === "string" ? p.errorMessage : typeof outcome.payload === "string" ? outcome.payload : "Unknown error";
      this.log(`[trigger] ${trigger} ${triggerSource} pool=${pool.Id} user=${userName}: failed with error ${message}`);
      throw new CognitoError("UserLambdaValidationException", `${trigger} failed with error ${message}.`);
    }
    const result = outcome.payload;
    if (typeof result !== "object" || result === null || Array.isArray(result)) throw unrecognizable(trigger);
    const answered = (result as Record<string, unknown>).response;
    if (answered === undefined || answered === null) return {};
    if (typeof answered !== "object" || Array.isArray(answered)) throw unrecognizable(trigger);
    this.log(`[trigger] ${trigger} ${triggerSource} pool=${pool.Id} user=${userName}: ok`);
    return answered as Record<string, unknown>;
  }
}

/** The error AWS gives for a trigger answer it cannot use. */
export function unrecognizable(trigger: TriggerName, detail?: string): CognitoError {
  return new CognitoError("InvalidLambdaResponseException", detail ? `Invalid ${trigger} response: ${detail}` : "Unrecognizable lambda output");
}

/** A boolean member of a trigger response (absent or null is `fallback`), or InvalidLambdaResponseException. */
export function responseBoolean(trigger: TriggerName, response: Record<string, unknown>, member: string, fallback = false): boolean {
  const v = response[member];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== "boolean") throw unrecognizable(trigger);
  return v;
}

/** An optional string member of a trigger response, or InvalidLambdaResponseException. */
export function responseString(trigger: TriggerName, response: Record<string, unknown>, member: string): string | undefined {
  const v = response[member];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw unrecognizable(trigger);
  return v;
}

/** An optional string map member of a trigger response, or InvalidLambdaResponseException. */
export function responseStringMap(trigger: TriggerName, response: Record<string, unknown>, member: string): Record<string, string> | undefined {
  const v = response[member];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "object" || Array.isArray(v)) throw unrecognizable(trigger);
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (x === null || x === undefined) continue;
    if (typeof x !== "string" && typeof x !== "number" && typeof x !== "boolean") throw unrecognizable(trigger);
    out[k] = String(x);
  }
  return out;
}

/** An optional string list member of a trigger response, or InvalidLambdaResponseException. */
export function responseStringList(trigger: TriggerName, response: Record<string, unknown>, member: string): string[] | undefined {
  const v = response[member];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) throw unrecognizable(trigger);
  return v as string[];
}
