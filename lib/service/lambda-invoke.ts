// How the local service calls a trigger's Lambda function: the `LambdaInvoker` contract, and its implementation over
// the AWS Lambda Invoke REST API (`POST /2015-03-31/functions/<name>/invocations`, SigV4-signed), which any local Lambda
// emulator speaks (the standalone service's `--lambda-endpoint`, and the simulator's per-trigger stand-ins).
import { signRequest } from "./sigv4-canonical";

/** What an invocation returned: the function's JSON result, or its error (`X-Amz-Function-Error`). */
export interface LambdaInvocation {
  /** The parsed JSON the function returned (or, on a function error, `{errorMessage, errorType}`). */
  payload: unknown;
  /** Set when the function threw: `Unhandled` (or `Handled`), as the Invoke API reports it. */
  functionError?: string;
}

/** Invokes the function `functionArn` synchronously with `event`. Throws when the function could not be invoked. */
export interface LambdaInvoker {
  invoke(functionArn: string, event: unknown, signal: AbortSignal): Promise<LambdaInvocation>;
}

/** Where the Invoke API of a function lives: one base URL for every function, or one per function ARN. */
export type LambdaEndpoint = string | ((functionArn: string) => string | undefined);

/** The region of a Lambda ARN (`arn:aws:lambda:<region>:<account>:function:<name>`), or us-east-1. */
function regionOf(functionArn: string): string {
  return functionArn.split(":")[3] || "us-east-1";
}

/**
 * A `LambdaInvoker` that POSTs to the Lambda Invoke REST API at `endpoint`, signed with SigV4 (credentials from the
 * environment, or local placeholders: emulators check the shape, not the secret).
 */
export function httpLambdaInvoker(endpoint: LambdaEndpoint): LambdaInvoker {
  const credentials = {
    accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? "local",
    secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? "local",
    ...(process.env.AWS_SESSION_TOKEN ? { sessionToken: process.env.AWS_SESSION_TOKEN } : {}),
  };
  return {
    async invoke(functionArn, event, signal) {
      const base = typeof endpoint === "string" ? endpoint : endpoint(functionArn);
      if (!base) throw new Error(`no Lambda endpoint serves ${functionArn}`);
      const url = new URL(`${base.replace(/\/+$/, "")}/2015-03-31/functions/${encodeURIComponent(functionArn)}/invocations`);
      const body = JSON.stringify(event);
      const headers = signRequest({
        method: "POST",
        url,
        headers: { host: url.host, "content-type": "application/json", "x-amz-invocation-type": "RequestResponse" },
        body,
        region: regionOf(functionArn),
        service: "lambda",
        credentials,
      });
      const res = await fetch(url, { method: "POST", headers, body, signal });
      const text = await res.text();
      if (res.status !== 200) {
        let message = text;
        try {
          const parsed = JSON.parse(text) as { message?: string; Message?: string };
          message = parsed.message ?? parsed.Message ?? text;
        } catch {
          // not JSON: keep the text
        }
        throw new Error(`Lambda Invoke answered ${res.status}${message ? `: ${message}` : ""}`);
      }
      let payload: unknown;
      try {
        payload = text === "" ? null : JSON.parse(text);
      } catch {
        payload = text;
      }
      const functionError = res.headers.get("x-amz-function-error") ?? undefined;
      return { payload, ...(functionError ? { functionError } : {}) };
    },
  };
}
