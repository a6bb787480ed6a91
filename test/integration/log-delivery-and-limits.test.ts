// Log export settings (Set/GetLogDeliveryConfiguration) and provisioned API rate limits (Get/UpdateProvisionedLimit)
// through the AWS SDK v3: stored and returned, with AWS's validation, the Plus plan rule for userAuthEvents logs, and
// limits per Region and category between the default rate and the account's maximum.
import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import {
  CognitoIdentityProviderClient, CreateUserPoolCommand, DescribeUserPoolCommand, GetLogDeliveryConfigurationCommand, GetProvisionedLimitCommand,
  SetLogDeliveryConfigurationCommand, UpdateProvisionedLimitCommand, UpdateUserPoolCommand, type LogConfigurationType, type UserPoolTierType,
} from "@aws-sdk/client-cognito-identity-provider";
import { startTestService, TEST_CREDENTIALS, type TestService } from "../support/local-service";
import { rejectsWithAwsError } from "../support/aws-errors";

const LOG_GROUP = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vendedlogs/cognito";
const notifications: LogConfigurationType = { EventSource: "userNotification", LogLevel: "ERROR", CloudWatchLogsConfiguration: { LogGroupArn: LOG_GROUP } };
const authEventsToS3: LogConfigurationType = { EventSource: "userAuthEvents", LogLevel: "INFO", S3Configuration: { BucketArn: "arn:aws:s3:::cognito-activity" } };

describe("log delivery configuration", () => {
  let t: TestService;
  const createPool = async (tier: UserPoolTierType) => (await t.idp.send(new CreateUserPoolCommand({ PoolName: "logs", UserPoolTier: tier }))).UserPool!.Id!;
  const setLogs = (UserPoolId: string, LogConfigurations: LogConfigurationType[]) => t.idp.send(new SetLogDeliveryConfigurationCommand({ UserPoolId, LogConfigurations }));

  before(async () => {
    t = await startTestService();
  });
  after(() => t.stop());

  it("stores and returns both log configurations on a PLUS pool, and removes them with an empty list", async () => {
    const poolId = await createPool("PLUS");
    assert.deepEqual((await t.idp.send(new GetLogDeliveryConfigurationCommand({ UserPoolId: poolId }))).LogDeliveryConfiguration, { UserPoolId: poolId, LogConfigurations: [] });
    const set = await setLogs(poolId, [notifications, authEventsToS3]);
    assert.deepEqual(set.LogDeliveryConfiguration, { UserPoolId: poolId, LogConfigurations: [notifications, authEventsToS3] });
    const got = await t.idp.send(new GetLogDeliveryConfigurationCommand({ UserPoolId: poolId }));
    assert.deepEqual(got.LogDeliveryConfiguration?.LogConfigurations, [notifications, authEventsToS3]);
    // A later call replaces the whole configuration.
    const firehose: LogConfigurationType = { EventSource: "userAuthEvents", LogLevel: "INFO", FirehoseConfiguration: { StreamArn: "arn:aws:firehose:us-east-1:123456789012:deliverystream/activity" } };
    await setLogs(poolId, [firehose]);
    assert.deepEqual((await t.idp.send(new GetLogDeliveryConfigurationCommand({ UserPoolId: poolId }))).LogDeliveryConfiguration?.LogConfigurations, [firehose]);
    // userAuthEvents logs keep the pool on PLUS until they are removed.
    await rejectsWithAwsError(
      t.idp.send(new UpdateUserPoolCommand({ UserPoolId: poolId, UserPoolTier: "ESSENTIALS" })),
      "FeatureUnavailableInTierException",
      "The following features need to be disabled for the ESSENTIALS pricing tier configured: Log Export",
    );
    await setLogs(poolId, []);
    assert.deepEqual((await t.idp.send(new GetLogDeliveryConfigurationCommand({ UserPoolId: poolId }))).LogDeliveryConfiguration?.LogConfigurations, []);
    await t.idp.send(new UpdateUserPoolCommand({ UserPoolId: poolId, UserPoolTier: "ESSENTIALS" }));
    assert.equal((await t.idp.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool?.UserPoolTier, "ESSENTIALS");
  });

  it("takes userNotification logs on any plan but userAuthEvents logs only on PLUS", async () => {
    const lite = await createPool("LITE");
    await setLogs(lite, [notifications]);
    const essentials = await createPool("ESSENTIALS");
    await rejectsWithAwsError(setLogs(essentials, [authEventsToS3]), "FeatureUnavailableInTierException", "The following features need to be disabled for the ESSENTIALS pricing tier configured: Log Export");
    assert.deepEqual((await t.idp.send(new GetLogDeliveryConfigurationCommand({ UserPoolId: essentials }))).LogDeliveryConfiguration?.LogConfigurations, []);
  });

  it("refuses bad log configurations as AWS does, changing nothing", async () => {
    const poolId = await createPool("PLUS");
    await setLogs(poolId, [notifications]);
    const refusals: Array<[LogConfigurationType[], RegExp | string]> = [
      [[{ ...notifications, LogLevel: "INFO" }], /ERROR log level/],
      [[{ EventSource: "userNotification", LogLevel: "ERROR", S3Configuration: { BucketArn: "arn:aws:s3:::b" } }], /CloudWatch Logs/],
      [[{ ...authEventsToS3, LogLevel: "ERROR" }], /INFO log level/],
      [[{ EventSource: "userAuthEvents", LogLevel: "INFO" }], /exactly one destination/],
      [[{ ...authEventsToS3, CloudWatchLogsConfiguration: { LogGroupArn: LOG_GROUP } }], /exactly one destination/],
      [[notifications, notifications], "Each EventSource can have only one log configuration."],
      [[notifications, authEventsToS3, notifications], "1 validation error detected: Value '[...]' at 'logConfigurations' failed to satisfy constraint: Member must have length less than or equal to 2"],
      [[{ ...notifications, EventSource: "userSignIn" as "userNotification" }], "1 validation error detected: Value 'userSignIn' at 'logConfigurations.1.member.eventSource' failed to satisfy constraint: Member must satisfy enum value set: [userNotification, userAuthEvents]"],
      [[{ ...notifications, LogLevel: "DEBUG" as "ERROR" }], "1 validation error detected: Value 'DEBUG' at 'logConfigurations.1.member.logLevel' failed to satisfy constraint: Member must satisfy enum value set: [ERROR, INFO]"],
      [[{ ...notifications, CloudWatchLogsConfiguration: { LogGroupArn: "not-an-arn-of-anything" } }], /logConfigurations\.1\.member\.cloudWatchLogsConfiguration\.logGroupArn' failed to satisfy constraint: Member must satisfy regular expression pattern/],
      [[{ ...notifications, CloudWatchLogsConfiguration: { LogGroupArn: "arn:aws:sqs:us-east-1:123456789012:queue" } }], /is not the ARN of a CloudWatch Logs log group/],
      [[{ ...authEventsToS3, S3Configuration: { BucketArn: "arn:aws:s3:us-east-1:1:bucket" } }], /bucketArn' failed to satisfy constraint/],
    ];
    for (const [configurations, message] of refusals) await rejectsWithAwsError(setLogs(poolId, configurations), "InvalidParameterException", message);
    await rejectsWithAwsError(setLogs("us-east-1_missing00", [notifications]), "ResourceNotFoundException");
    await rejectsWithAwsError(t.idp.send(new GetLogDeliveryConfigurationCommand({ UserPoolId: "us-east-1_missing00" })), "ResourceNotFoundException");
    assert.deepEqual((await t.idp.send(new GetLogDeliveryConfigurationCommand({ UserPoolId: poolId }))).LogDeliveryConfiguration?.LogConfigurations, [notifications]);
  });
});

describe("provisioned limits", () => {
  let t: TestService;
  const definition = (Category: string) => ({ LimitClass: "API_CATEGORY" as const, Attributes: { Category } });

  before(async () => {
    t = await startTestService();
  });
  after(() => t.stop());

  it("returns AWS's default rate until one is provisioned, per Region", async () => {
    const before = await t.idp.send(new GetProvisionedLimitCommand({ LimitDefinition: definition("UserAuthentication") }));
    assert.deepEqual(before.Limit, { LimitDefinition: definition("UserAuthentication"), ProvisionedLimitValue: 120, FreeLimitValue: 120 });
    const updated = await t.idp.send(new UpdateProvisionedLimitCommand({ LimitDefinition: definition("UserAuthentication"), RequestedLimitValue: 300 }));
    assert.deepEqual(updated.Limit, { LimitDefinition: definition("UserAuthentication"), ProvisionedLimitValue: 300, FreeLimitValue: 120 });
    assert.equal((await t.idp.send(new GetProvisionedLimitCommand({ LimitDefinition: definition("UserAuthentication") }))).Limit?.ProvisionedLimitValue, 300);
    assert.equal((await t.idp.send(new GetProvisionedLimitCommand({ LimitDefinition: definition("UserCreation") }))).Limit?.ProvisionedLimitValue, 50);
    // Limits are account-level per Region: another Region keeps its default.
    const elsewhere = new CognitoIdentityProviderClient({ endpoint: t.url, region: "eu-west-1", credentials: TEST_CREDENTIALS });
    try {
      assert.equal((await elsewhere.send(new GetProvisionedLimitCommand({ LimitDefinition: definition("UserAuthentication") }))).Limit?.ProvisionedLimitValue, 120);
    } finally {
      elsewhere.destroy();
    }
    // Back to the default is allowed.
    await t.idp.send(new UpdateProvisionedLimitCommand({ LimitDefinition: definition("UserAuthentication"), RequestedLimitValue: 120 }));
    assert.equal((await t.idp.send(new GetProvisionedLimitCommand({ LimitDefinition: definition("UserAuthentication") }))).Limit?.ProvisionedLimitValue, 120);
  });

  it("refuses bad limits as AWS does, changing nothing", async () => {
    const update = (LimitDefinition: ReturnType<typeof definition>, RequestedLimitValue: number) => t.idp.send(new UpdateProvisionedLimitCommand({ LimitDefinition, RequestedLimitValue }));
    await rejectsWithAwsError(update(definition("UserCreation"), 49), "InvalidParameterException", /below the default limit of 50/);
    await rejectsWithAwsError(update(definition("UserCreation"), 501), "ServiceQuotaExceededException", /account-level maximum of 500/);
    await rejectsWithAwsError(update(definition("UserList"), 60), "InvalidParameterException", /not adjustable/);
    await rejectsWithAwsError(update(definition("UserSignIn"), 60), "InvalidParameterException", /Invalid Category UserSignIn/);
    await rejectsWithAwsError(update({ LimitClass: "RESOURCE" as "API_CATEGORY", Attributes: { Category: "UserCreation" } }, 60), "InvalidParameterException", "1 validation error detected: Value 'RESOURCE' at 'limitDefinition.limitClass' failed to satisfy constraint: Member must satisfy enum value set: [API_CATEGORY]");
    await rejectsWithAwsError(t.idp.send(new GetProvisionedLimitCommand({ LimitDefinition: { LimitClass: "API_CATEGORY", Attributes: { Category: "UserCreation", Pool: "x" } } })), "InvalidParameterException", /exactly one attribute/);
    await rejectsWithAwsError(t.idp.send(new GetProvisionedLimitCommand({} as never)), "InvalidParameterException", "1 validation error detected: Value null at 'limitDefinition' failed to satisfy constraint: Member must not be null");
    assert.equal((await t.idp.send(new GetProvisionedLimitCommand({ LimitDefinition: definition("UserCreation") }))).Limit?.ProvisionedLimitValue, 50);
  });
});
