export default interface extern {
  authorize: (conn: CognitoConnection, iamAuth: boolean, req: ApiRequest) => Promise<ApiResponse | void>,
}
/** Where a backend's Cognito lives. `endpoint` is empty on AWS (the SDK's default endpoint). */
export interface CognitoConnection {
  /** The app client id (no secret). */
  readonly clientId: string;
  /** The service URL, or "" to use the AWS SDK's default endpoint for `region`. */
  readonly endpoint: string;
  /** The header that carries the ID token on protected routes. */
  readonly headerKey: string;
  /** The identity pool id. */
  readonly identityPoolId: string;
  /** The AWS region of the pools. */
  readonly region: string;
  /** The user pool id. */
  readonly userPoolId: string;
}
/** Allowed HTTP methods for a endpoint. */
export enum HttpMethod {
  GET = 0,
  HEAD = 1,
  POST = 2,
  PUT = 3,
  DELETE = 4,
  CONNECT = 5,
  OPTIONS = 6,
  PATCH = 7,
}
/** Shape of a request to an inflight handler. */
export interface ApiRequest {
  /** The request's body. */
  readonly body?: (string) | undefined;
  /** The request's headers. */
  readonly headers?: (Readonly<Record<string, string>>) | undefined;
  /** The request's HTTP method. */
  readonly method: HttpMethod;
  /** The request's path. */
  readonly path: string;
  /** The request's query string values. */
  readonly query: Readonly<Record<string, string>>;
  /** The path variables. */
  readonly vars: Readonly<Record<string, string>>;
}
/** Shape of a response from a inflight handler. */
export interface ApiResponse {
  /** The response's body. */
  readonly body?: (string) | undefined;
  /** The response's headers. */
  readonly headers?: (Readonly<Record<string, string>>) | undefined;
  /** The response's status code. */
  readonly status?: (number) | undefined;
}