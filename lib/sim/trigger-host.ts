// The simulator side of one Cognito trigger: a `cloud.Service` whose sandbox holds the user's trigger closure and serves
// it on loopback with the AWS Lambda Invoke REST API, then tells the local Cognito resource where it is. The service
// invokes it like any Lambda (lib/service/lambda-invoke.ts). The trigger lifts the `Cognito` (and anything else it uses)
// while the local Cognito lifts nothing of the trigger, so a trigger can use `auth` inflight without a cycle.
import * as http from "node:http";
import type { AddressInfo } from "node:net";

/** The inflight client of platform/sim.w `TriggerFunction`: the event in, the event with its response out. */
interface TriggerFunction {
  invoke(event: unknown): Promise<unknown>;
}

/** The inflight client of the local Cognito `sim.Resource`. */
interface LocalCognitoClient {
  call(method: string, args?: unknown[]): Promise<unknown>;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/** Starts the trigger's Lambda Invoke stand-in and registers it with the local Cognito as `trigger`. */
export async function startTriggerHost(
  trigger: string, lambdaVersion: string, fn: TriggerFunction, local: LocalCognitoClient,
): Promise<void> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) =>
        res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body ?? null));
      if (req.method !== "POST" || !INVOKE_PATH.test(req.url ?? "")) return send(404, { message: "Unknown path" });
      let event: Record<string, unknown>;
      try {
        event = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
      } catch {
        return send(400, { message: "The event is not JSON" });
      }
      fn.invoke(event).then(
        (result) => send(200, result),
        (e: unknown) => {
          const err = e as Error;
          send(200, { errorType: err?.name ?? "Error", errorMessage: err?.message ?? String(e) }, { "x-amz-function-error": "Unhandled" });
        },
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  running = server;
  await local.call("registerTrigger", [trigger, url, lambdaVersion]);
}

/** The server of this sandbox's trigger. */
let running: http.Server | undefined;

/** Stops the trigger's server (the service's stop handler). */
export async function stopTriggerHost(): Promise<void> {
  const server = running;
  running = undefined;
  if (!server) return;
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
