// The inflight client's transport to the local service (the simulator's Cognito): Cognito's JSON 1.1 protocol over
// fetch, SigV4-signed with the local placeholder credentials (the local service checks a signature's shape for its
// admin operations, not a secret). Loading the AWS SDK clients cost a test about a quarter of a second on its first
// call; against AWS, ./client.ts still uses them.
import { signRequest } from "../service/sigv4-canonical";

/** The two JSON 1.1 services the client calls: cognito-idp and cognito-identity. */
export type LocalService = "cognito-idp" | "cognito-identity";

const TARGET_PREFIX: Record<LocalService, string> = {
  "cognito-idp": "AWSCognitoIdentityProviderService",
  "cognito-identity": "AWSCognitoIdentityService",
};

/** Credentials the local service accepts for its signed (admin) operations. It checks no secret. */
const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

/** The error name of a JSON 1.1 error body's `__type` ("com.amazonaws...#NotAuthorizedException" -> "NotAuthorizedException"). */
function errorName(type: string | undefined, status: number): string {
  if (!type) return status >= 500 ? "InternalErrorException" : "CognitoError";
  return type.slice(type.lastIndexOf("#") + 1).split(":")[0]!;
}

/**
 * Calls `operation` of `service` at the local `endpoint` with `input`; resolves with the parsed output.
 * A Cognito error is thrown as an Error named after the exception, as the SDK throws it.
 */
export async function callLocal<T>(endpoint: string, region: string, service: LocalService, operation: string, input: object): Promise<T> {
  const url = new URL(endpoint.endsWith("/") ? endpoint : `${endpoint}/`);
  const body = JSON.stringify(input);
  const headers = signRequest({
    method: "POST",
    url,
    headers: {
      host: url.host,
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": `${TARGET_PREFIX[service]}.${operation}`,
    },
    body,
    region,
    service,
    credentials: LOCAL_CREDENTIALS,
  });
  delete headers.host; // fetch sets it
  const res = await fetch(url, { method: "POST", headers, body });
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text === "" ? {} : (JSON.parse(text) as Record<string, unknown>);
  } catch {
    if (res.ok) throw new Error(`CognitoError: ${operation} answered something that is not JSON`);
  }
  if (!res.ok) {
    const message = (parsed.message ?? parsed.Message ?? text) as string;
    const error = new Error(message);
    error.name = errorName(parsed.__type as string | undefined, res.status);
    throw error;
  }
  return parsed as T;
}
