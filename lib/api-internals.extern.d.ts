export default interface extern {
  replaceRouteHandler: (api: Api, method: string, path: string, owner: string, guarded: (arg0: ApiRequest) => Promise<ApiResponse | void>) => void,
  routeHandler: (api: Api, method: string, path: string) => (arg0: ApiRequest) => Promise<ApiResponse | void>,
}
/** Trait marker for classes that can be depended upon.
The presence of this interface indicates that an object has
an `IDependable` implementation.

This interface can be used to take an (ordering) dependency on a set of
constructs. An ordering dependency implies that the resources represented by
those constructs are deployed before the resources depending ON them are
deployed. */
export interface IDependable {
}
/** A mixin is a reusable piece of functionality that can be applied to constructs to add behavior, properties, or modify existing functionality without inheritance. */
export interface IMixin {
  /** Applies the mixin functionality to the target construct. */
  readonly applyTo: (construct: IConstruct) => void;
  /** Determines whether this mixin can be applied to the given construct. */
  readonly supports: (construct: IConstruct) => boolean;
}
/** Represents a construct. */
export interface IConstruct extends IDependable {
  /** Applies one or more mixins to this construct.
  Mixins are applied in order. The list of constructs is captured at the
  start of the call, so constructs added by a mixin will not be visited.
  @returns This construct for chaining */
  readonly with: (mixins: (readonly (IMixin)[])) => IConstruct;
}
/** Represents the building block of the construct graph.
All constructs besides the root construct must be created within the scope of
another construct. */
export class Construct implements IConstruct {
  /** Returns a string representation of this construct. */
  readonly toString: () => string;
  /** Applies one or more mixins to this construct.
  Mixins are applied in order. The list of constructs is captured at the
  start of the call, so constructs added by a mixin will not be visited.
  Use multiple `with()` calls if subsequent mixins should apply to added
  constructs.
  @returns This construct for chaining */
  readonly with: (mixins: (readonly (IMixin)[])) => IConstruct;
}
/** Data that can be lifted into inflight. */
export interface ILiftable {
}
/** A resource that can run inflight code. */
export interface IInflightHost extends IResource {
  /** Adds an environment variable to the host. */
  readonly addEnvironment: (name: string, value: string) => void;
}
/** A liftable object that needs to be registered on the host as part of the lifting process.
This is generally used so the host can set up permissions
to access the lifted object inflight. */
export interface IHostedLiftable extends ILiftable {
  /** A hook called by the Wing compiler once for each inflight host that needs to use this object inflight.
  The list of requested inflight methods
  needed by the inflight host are given by `ops`.
  
  Any preflight class can implement this instance method to add permissions,
  environment variables, or other capabilities to the inflight host when
  one or more of its methods are called. */
  readonly onLift: (host: IInflightHost, ops: (readonly (string)[])) => void;
}
/** Abstract interface for `Resource`. */
export interface IResource extends IConstruct, IHostedLiftable {
  /** A hook called by the Wing compiler once for each inflight host that needs to use this object inflight.
  The list of requested inflight methods
  needed by the inflight host are given by `ops`.
  
  Any preflight class can implement this instance method to add permissions,
  environment variables, or other capabilities to the inflight host when
  one or more of its methods are called. */
  readonly onLift: (host: IInflightHost, ops: (readonly (string)[])) => void;
  /** Applies one or more mixins to this construct.
  Mixins are applied in order. The list of constructs is captured at the
  start of the call, so constructs added by a mixin will not be visited.
  @returns This construct for chaining */
  readonly with: (mixins: (readonly (IMixin)[])) => IConstruct;
}
/** Shared behavior between all Wing SDK resources. */
export class Resource extends Construct implements IResource {
  /** A hook called by the Wing compiler once for each inflight host that needs to use this resource inflight.
  You can override this method to perform additional logic like granting
  IAM permissions to the host based on what methods are being called. But
  you must call `super.bind(host, ops)` to ensure that the resource is
  actually bound. */
  readonly onLift: (host: IInflightHost, ops: (readonly (string)[])) => void;
}
/** Code that runs at runtime and implements your application's behavior.
For example, handling API requests, processing queue messages, etc.
Inflight code can be executed on various compute platforms in the cloud,
such as function services (such as AWS Lambda or Azure Functions),
containers (such as ECS or Kubernetes), VMs or even physical servers.

This data represents the code together with the bindings to preflight data required to run. */
export interface IInflight extends IHostedLiftable {
  /** A hook called by the Wing compiler once for each inflight host that needs to use this object inflight.
  The list of requested inflight methods
  needed by the inflight host are given by `ops`.
  
  Any preflight class can implement this instance method to add permissions,
  environment variables, or other capabilities to the inflight host when
  one or more of its methods are called. */
  readonly onLift: (host: IInflightHost, ops: (readonly (string)[])) => void;
}
/** A resource with an inflight "handle" method that can be passed to one of the `Api` request preflight methods. */
export interface IApiEndpointHandler extends IInflight {
  /** A hook called by the Wing compiler once for each inflight host that needs to use this object inflight.
  The list of requested inflight methods
  needed by the inflight host are given by `ops`.
  
  Any preflight class can implement this instance method to add permissions,
  environment variables, or other capabilities to the inflight host when
  one or more of its methods are called. */
  readonly onLift: (host: IInflightHost, ops: (readonly (string)[])) => void;
}
/** Represents a length of time. */
export class Duration implements ILiftable {
  /** Return the total number of days in this Duration.
  @returns the value of this `Duration` expressed in Days. */
  readonly days: number;
  /** Return the total number of hours in this Duration.
  @returns the value of this `Duration` expressed in Hours. */
  readonly hours: number;
  /** Return the total number of milliseconds in this Duration.
  @returns the value of this `Duration` expressed in Milliseconds. */
  readonly milliseconds: number;
  /** Return the total number of minutes in this Duration.
  @returns the value of this `Duration` expressed in Minutes. */
  readonly minutes: number;
  /** Return the total number of months in this Duration.
  @returns the value of this `Duration` expressed in Months. */
  readonly months: number;
  /** Return the total number of seconds in this Duration.
  @returns the value of this `Duration` expressed in Seconds. */
  readonly seconds: number;
  /** Return the total number of years in this Duration.
  @returns the value of this `Duration` expressed in Years. */
  readonly years: number;
}
/** Options for Api patch endpoint. */
export interface ApiConnectOptions {
  /** The maximum concurrent invocations that can run at one time. */
  readonly concurrency?: (number) | undefined;
  /** Environment variables to pass to the function. */
  readonly env?: (Readonly<Record<string, string>>) | undefined;
  /** Specifies the number of days that function logs will be kept.
  Setting negative value means logs will not expire. */
  readonly logRetentionDays?: (number) | undefined;
  /** The amount of memory to allocate to the function, in MB. */
  readonly memory?: (number) | undefined;
  /** The maximum amount of time the function can run. */
  readonly timeout?: (Duration) | undefined;
}
/** Options for Api put endpoint. */
export interface ApiDeleteOptions {
  /** The maximum concurrent invocations that can run at one time. */
  readonly concurrency?: (number) | undefined;
  /** Environment variables to pass to the function. */
  readonly env?: (Readonly<Record<string, string>>) | undefined;
  /** Specifies the number of days that function logs will be kept.
  Setting negative value means logs will not expire. */
  readonly logRetentionDays?: (number) | undefined;
  /** The amount of memory to allocate to the function, in MB. */
  readonly memory?: (number) | undefined;
  /** The maximum amount of time the function can run. */
  readonly timeout?: (Duration) | undefined;
}
/** Options for Api get endpoint. */
export interface ApiGetOptions {
  /** The maximum concurrent invocations that can run at one time. */
  readonly concurrency?: (number) | undefined;
  /** Environment variables to pass to the function. */
  readonly env?: (Readonly<Record<string, string>>) | undefined;
  /** Specifies the number of days that function logs will be kept.
  Setting negative value means logs will not expire. */
  readonly logRetentionDays?: (number) | undefined;
  /** The amount of memory to allocate to the function, in MB. */
  readonly memory?: (number) | undefined;
  /** The maximum amount of time the function can run. */
  readonly timeout?: (Duration) | undefined;
}
/** Options for Api patch endpoint. */
export interface ApiHeadOptions {
  /** The maximum concurrent invocations that can run at one time. */
  readonly concurrency?: (number) | undefined;
  /** Environment variables to pass to the function. */
  readonly env?: (Readonly<Record<string, string>>) | undefined;
  /** Specifies the number of days that function logs will be kept.
  Setting negative value means logs will not expire. */
  readonly logRetentionDays?: (number) | undefined;
  /** The amount of memory to allocate to the function, in MB. */
  readonly memory?: (number) | undefined;
  /** The maximum amount of time the function can run. */
  readonly timeout?: (Duration) | undefined;
}
/** Options for Api patch endpoint. */
export interface ApiOptionsOptions {
  /** The maximum concurrent invocations that can run at one time. */
  readonly concurrency?: (number) | undefined;
  /** Environment variables to pass to the function. */
  readonly env?: (Readonly<Record<string, string>>) | undefined;
  /** Specifies the number of days that function logs will be kept.
  Setting negative value means logs will not expire. */
  readonly logRetentionDays?: (number) | undefined;
  /** The amount of memory to allocate to the function, in MB. */
  readonly memory?: (number) | undefined;
  /** The maximum amount of time the function can run. */
  readonly timeout?: (Duration) | undefined;
}
/** Options for Api patch endpoint. */
export interface ApiPatchOptions {
  /** The maximum concurrent invocations that can run at one time. */
  readonly concurrency?: (number) | undefined;
  /** Environment variables to pass to the function. */
  readonly env?: (Readonly<Record<string, string>>) | undefined;
  /** Specifies the number of days that function logs will be kept.
  Setting negative value means logs will not expire. */
  readonly logRetentionDays?: (number) | undefined;
  /** The amount of memory to allocate to the function, in MB. */
  readonly memory?: (number) | undefined;
  /** The maximum amount of time the function can run. */
  readonly timeout?: (Duration) | undefined;
}
/** Options for Api post endpoint. */
export interface ApiPostOptions {
  /** The maximum concurrent invocations that can run at one time. */
  readonly concurrency?: (number) | undefined;
  /** Environment variables to pass to the function. */
  readonly env?: (Readonly<Record<string, string>>) | undefined;
  /** Specifies the number of days that function logs will be kept.
  Setting negative value means logs will not expire. */
  readonly logRetentionDays?: (number) | undefined;
  /** The amount of memory to allocate to the function, in MB. */
  readonly memory?: (number) | undefined;
  /** The maximum amount of time the function can run. */
  readonly timeout?: (Duration) | undefined;
}
/** Options for Api put endpoint. */
export interface ApiPutOptions {
  /** The maximum concurrent invocations that can run at one time. */
  readonly concurrency?: (number) | undefined;
  /** Environment variables to pass to the function. */
  readonly env?: (Readonly<Record<string, string>>) | undefined;
  /** Specifies the number of days that function logs will be kept.
  Setting negative value means logs will not expire. */
  readonly logRetentionDays?: (number) | undefined;
  /** The amount of memory to allocate to the function, in MB. */
  readonly memory?: (number) | undefined;
  /** The maximum amount of time the function can run. */
  readonly timeout?: (Duration) | undefined;
}
/** Functionality shared between all `Api` implementations. */
export class Api extends Resource {
  /** Add a inflight handler to the api for CONNECT requests on the given path. */
  readonly connect: (path: string, inflight: IApiEndpointHandler, props?: (ApiConnectOptions) | undefined) => void;
  /** Add a inflight handler to the api for DELETE requests on the given path. */
  readonly delete: (path: string, inflight: IApiEndpointHandler, props?: (ApiDeleteOptions) | undefined) => void;
  /** Add a inflight handler to the api for GET requests on the given path. */
  readonly get: (path: string, inflight: IApiEndpointHandler, props?: (ApiGetOptions) | undefined) => void;
  /** Add a inflight handler to the api for HEAD requests on the given path. */
  readonly head: (path: string, inflight: IApiEndpointHandler, props?: (ApiHeadOptions) | undefined) => void;
  /** Add a inflight handler to the api for OPTIONS requests on the given path. */
  readonly options: (path: string, inflight: IApiEndpointHandler, props?: (ApiOptionsOptions) | undefined) => void;
  /** Add a inflight handler to the api for PATCH requests on the given path. */
  readonly patch: (path: string, inflight: IApiEndpointHandler, props?: (ApiPatchOptions) | undefined) => void;
  /** Add a inflight handler to the api for POST requests on the given path. */
  readonly post: (path: string, inflight: IApiEndpointHandler, props?: (ApiPostOptions) | undefined) => void;
  /** Add a inflight handler to the api for PUT requests on the given path. */
  readonly put: (path: string, inflight: IApiEndpointHandler, props?: (ApiPutOptions) | undefined) => void;
  /** The base URL of the API endpoint. */
  readonly url: string;
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