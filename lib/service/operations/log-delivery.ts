// cognito-idp log export settings of a user pool (SetLogDeliveryConfiguration, GetLogDeliveryConfiguration), with
// AWS's validation: at most two configurations, one per event source; userNotification logs at ERROR level to a
// CloudWatch Logs group; userAuthEvents logs at INFO level to one of CloudWatch Logs, S3 or Data Firehose, only on the
// Plus plan. The settings are stored and returned: no logs are delivered from the local service.
import * as errors from "../errors";
import { optionalObject, requiredString, type Input } from "../input";
import type { OperationTable, ServiceContext } from "../context";
import { poolRecords } from "../pool-records";
import { registerTierFeature, requireTier } from "../tiers";
import { checkString, constraintError, enumMember } from "../validation";

type EventSource = "userNotification" | "userAuthEvents";

interface LogConfiguration {
  LogLevel: "ERROR" | "INFO";
  EventSource: EventSource;
  CloudWatchLogsConfiguration?: { LogGroupArn?: string };
  S3Configuration?: { BucketArn?: string };
  FirehoseConfiguration?: { StreamArn?: string };
}

interface LogDeliveryRecord {
  UserPoolId: string;
  LogConfigurations: LogConfiguration[];
}

const COLLECTION = "logDelivery";
/** AWS's feature name for user-activity log export in FeatureUnavailableInTierException. */
const FEATURE = "Log Export";
const MAX_CONFIGURATIONS = 2;
/** The service model's ArnType and S3ArnType patterns. */
const ARN = /^arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?$/;
const S3_ARN = /^arn:[\w+=/,.@-]+:[\w+=/,.@-]+:::[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?$/;

/** The destinations a configuration may name: member, ARN member, its constraints, the service its ARN must name, and what it is. */
const DESTINATIONS = [
  { member: "CloudWatchLogsConfiguration", arnMember: "LogGroupArn", min: 20, max: 2048, pattern: ARN, service: "logs", label: "a CloudWatch Logs log group" },
  { member: "S3Configuration", arnMember: "BucketArn", min: 3, max: 1024, pattern: S3_ARN, service: "s3", label: "an S3 bucket" },
  { member: "FirehoseConfiguration", arnMember: "StreamArn", min: 20, max: 2048, pattern: ARN, service: "firehose", label: "a Data Firehose stream" },
] as const;

/** One entry of LogConfigurations, validated (`index` is 1-based, as in AWS's messages). */
function logConfiguration(entry: unknown, index: number): LogConfiguration {
  if (!entry || typeof entry !== "object" || Array.isArray(entry)) throw errors.invalidParameter("LogConfigurations must be a list of log configurations.");
  const input = entry as Input;
  const where = `logConfigurations.${index}.member`;
  for (const member of ["LogLevel", "EventSource"]) {
    if (input[member] === undefined || input[member] === null) throw constraintError(null, `${where}.${member.charAt(0).toLowerCase()}${member.slice(1)}`, "Member must not be null");
  }
  const logLevel = enumMember(input.LogLevel, ["ERROR", "INFO"] as const, `${where}.logLevel`);
  const eventSource = enumMember(input.EventSource, ["userNotification", "userAuthEvents"] as const, `${where}.eventSource`);
  const config: LogConfiguration = { LogLevel: logLevel, EventSource: eventSource };
  const named: string[] = [];
  for (const d of DESTINATIONS) {
    const destination = optionalObject(input, d.member);
    if (!destination) continue;
    const arn = requiredString(destination, d.arnMember);
    const arnWhere = `${where}.${d.member.charAt(0).toLowerCase()}${d.member.slice(1)}.${d.arnMember.charAt(0).toLowerCase()}${d.arnMember.slice(1)}`;
    checkString(arn, arnWhere, d.min, d.max, d.pattern);
    if (arn.split(":")[2] !== d.service) throw errors.invalidParameter(`${d.arnMember} ${arn} is not the ARN of ${d.label}.`);
    (config as unknown as Record<string, unknown>)[d.member] = { [d.arnMember]: arn };
    named.push(d.member);
  }
  if (named.length !== 1) throw errors.invalidParameter(`A log configuration must have exactly one destination: CloudWatchLogsConfiguration, S3Configuration or FirehoseConfiguration (the ${eventSource} configuration has ${named.length}).`);
  if (eventSource === "userNotification") {
    if (logLevel !== "ERROR") throw errors.invalidParameter("userNotification logs can only be delivered at the ERROR log level.");
    if (named[0] !== "CloudWatchLogsConfiguration") throw errors.invalidParameter("userNotification logs can only be delivered to a CloudWatch Logs log group (CloudWatchLogsConfiguration).");
  } else if (logLevel !== "INFO") {
    throw errors.invalidParameter("userAuthEvents logs can only be delivered at the INFO log level.");
  }
  return config;
}

export function logDeliveryOperations(ctx: ServiceContext): OperationTable {
  const records = poolRecords<LogDeliveryRecord>(ctx.state, COLLECTION);
  const configurationsOf = (poolId: string) => records.get(poolId, "configuration")?.LogConfigurations ?? [];
  registerTierFeature(ctx.state, { name: FEATURE, minimum: "PLUS", inUse: (poolId) => configurationsOf(poolId).some((c) => c.EventSource === "userAuthEvents") });
  return {
    SetLogDeliveryConfiguration(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const list = input.LogConfigurations;
      if (list === undefined || list === null) throw errors.missingMember("LogConfigurations");
      if (!Array.isArray(list)) throw errors.invalidParameter("LogConfigurations must be a list of log configurations.");
      if (list.length > MAX_CONFIGURATIONS) throw constraintError("[...]", "logConfigurations", `Member must have length less than or equal to ${MAX_CONFIGURATIONS}`);
      const configurations = list.map((entry, i) => logConfiguration(entry, i + 1));
      const sources = configurations.map((c) => c.EventSource);
      if (new Set(sources).size !== sources.length) throw errors.invalidParameter("Each EventSource can have only one log configuration.");
      if (sources.includes("userAuthEvents")) requireTier(pool, "PLUS", FEATURE);
      const record: LogDeliveryRecord = { UserPoolId: pool.Id, LogConfigurations: configurations };
      // An empty list removes the pool's log export (as AWS documents for turning log export off).
      if (configurations.length === 0) records.delete(pool.Id, "configuration");
      else records.put(pool.Id, "configuration", record);
      return { LogDeliveryConfiguration: record };
    },
    GetLogDeliveryConfiguration(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      return { LogDeliveryConfiguration: { UserPoolId: pool.Id, LogConfigurations: configurationsOf(pool.Id) } };
    },
  };
}
