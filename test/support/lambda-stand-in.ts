// Test support: a small stand-in for the AWS Lambda Invoke REST API (`POST /2015-03-31/functions/<name>/invocations`),
// as local Lambda emulators serve it. Each function is a JS handler that gets the event and returns the whole event
// (Lambda's contract); a thrown error becomes `X-Amz-Function-Error: Unhandled` with `{errorMessage, errorType}`.
// It records every event and the Authorization header, so tests can check shapes and signing.
import * as http from "node:http";
import type { AddressInfo } from "node:net";

export type TestLambda = (event: any) => unknown | Promise<unknown>;

export interface LambdaStandIn {
  url: string;
  /** Handlers by function name (the last part of the ARN). */
  functions: Map<string, TestLambda>;
  /** Every invocation: the function name, its event and the request's Authorization header. */
  calls: Array<{ name: string; event: any; authorization: string | undefined }>;
  /** An ARN for a function name. */
  arn(name: string): string;
  close(): Promise<void>;
}

export async function startLambdaStandIn(): Promise<LambdaStandIn> {
  const functions = new Map<string, TestLambda>();
  const calls: LambdaStandIn["calls"] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(req.url ?? "");
      if (req.method !== "POST" || !match) {
        res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ message: "not found" }));
        return;
      }
      const name = decodeURIComponent(match[1]).split(":").pop() ?? "";
      const handler = functions.get(name);
      if (!handler) {
        res.writeHead(404, { "content-type": "application/json", "x-amzn-errortype": "ResourceNotFoundException" })
          .end(JSON.stringify({ Type: "User", message: `Function not found: ${name}` }));
        return;
      }
      const event = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      calls.push({ name, event: structuredClone(event), authorization: req.headers.authorization });
      try {
        const result = await handler(event);
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(result ?? null));
      } catch (e) {
        const err = e as Error;
        res.writeHead(200, { "content-type": "application/json", "x-amz-function-error": "Unhandled" })
          .end(JSON.stringify({ errorType: err.name ?? "Error", errorMessage: err.message ?? String(e) }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    functions,
    calls,
    arn: (name) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
