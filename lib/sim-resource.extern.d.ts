export default interface extern {
  startLocalCognito: (ctx: IResourceContext$Inflight, config: SimPoolConfig) => Promise<IResource$Inflight>,
}
/** Log level. */
export enum LogLevel {
  VERBOSE = 0,
  INFO = 1,
  WARNING = 2,
  ERROR = 3,
}
/** Context for implementing a simulator resource. */
export interface IResourceContext$Inflight {
  /** Log a message at the current point in time.
  Defaults to `info` level. */
  readonly log: (message: string, level?: (LogLevel) | undefined) => Promise<void>;
  /** Resolves a token value.
  All tokens must be resolved during the
  constructor of the resource. */
  readonly resolveToken: (name: string, value: string) => Promise<void>;
  /** The directory for the resource's state. */
  readonly statedir: () => Promise<string>;
}
/** The pools the local service builds for one `Cognito` (the inflight side is lib/sim-resource.ts). */
export interface SimPoolConfig {
  /** Whether the identity pool hands out credentials to unauthenticated identities. */
  readonly allowUnauthenticatedIdentities: boolean;
  /** Attributes verified automatically on sign-up. */
  readonly autoVerifiedAttributes: (readonly (string)[]);
  /** The user pool name (also used for the client and the identity pool). */
  readonly name: string;
  /** The region in the pool ids and token issuer. */
  readonly region: string;
  /** Extra schema attributes, in the AWS `SchemaAttributeType` shape. */
  readonly schema?: (Readonly<any>) | undefined;
  /** Attributes a user may sign in with instead of a username. */
  readonly usernameAttributes: (readonly (string)[]);
}
/** Contract that a resource backend must implement. */
export interface IResource$Inflight {
  /** Runs when the resource is stopped. */
  readonly onStop: () => Promise<void>;
}