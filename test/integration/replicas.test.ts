// User pool feature plans (UserPoolTier on Create/Update/DescribeUserPool) and multi-Region replicas (Create, List,
// Update, DeleteUserPoolReplica) through the AWS SDK v3: AWS's plan rule, Region checks, one secondary replica, the
// status rules, and the refusal to move a pool with a replica to the Lite plan.
import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import {
  CognitoIdentityProviderClient, CreateUserPoolCommand, CreateUserPoolReplicaCommand, DeleteUserPoolReplicaCommand, DescribeUserPoolCommand,
  ListUserPoolReplicasCommand, UpdateUserPoolCommand, UpdateUserPoolReplicaCommand, type UserPoolTierType,
} from "@aws-sdk/client-cognito-identity-provider";
import { startTestService, TEST_CREDENTIALS, type TestService } from "../support/local-service";
import { rejectsWithAwsError } from "../support/aws-errors";

describe("user pool tiers and replicas", () => {
  let t: TestService;
  const createPool = async (tier?: UserPoolTierType) => (await t.idp.send(new CreateUserPoolCommand({ PoolName: "replicated", ...(tier ? { UserPoolTier: tier } : {}) }))).UserPool!;

  before(async () => {
    t = await startTestService();
  });
  after(() => t.stop());

  it("creates pools on ESSENTIALS by default, keeps a chosen tier and changes it on UpdateUserPool", async () => {
    const byDefault = await createPool();
    assert.equal(byDefault.UserPoolTier, "ESSENTIALS");
    const plus = await createPool("PLUS");
    assert.equal(plus.UserPoolTier, "PLUS");
    await t.idp.send(new UpdateUserPoolCommand({ UserPoolId: plus.Id!, UserPoolTier: "LITE" }));
    assert.equal((await t.idp.send(new DescribeUserPoolCommand({ UserPoolId: plus.Id! }))).UserPool?.UserPoolTier, "LITE");
    // An update that leaves the tier out keeps it.
    await t.idp.send(new UpdateUserPoolCommand({ UserPoolId: plus.Id!, MfaConfiguration: "OFF" }));
    assert.equal((await t.idp.send(new DescribeUserPoolCommand({ UserPoolId: plus.Id! }))).UserPool?.UserPoolTier, "LITE");
    await rejectsWithAwsError(
      t.idp.send(new CreateUserPoolCommand({ PoolName: "x", UserPoolTier: "GOLD" as UserPoolTierType })),
      "InvalidParameterException",
      "1 validation error detected: Value 'GOLD' at 'userPoolTier' failed to satisfy constraint: Member must satisfy enum value set: [LITE, ESSENTIALS, PLUS]",
    );
  });

  it("creates, lists, activates, deactivates and deletes a replica", async () => {
    const pool = await createPool();
    const replicaArn = pool.Arn!.replace(":us-east-1:", ":eu-west-1:");
    const created = await t.idp.send(new CreateUserPoolReplicaCommand({ UserPoolId: pool.Id!, RegionName: "eu-west-1", UserPoolTags: { team: "auth" } }));
    assert.deepEqual(created.UserPoolReplica, { RegionName: "eu-west-1", Status: "CREATING", Role: "SECONDARY", UserPoolArn: replicaArn });
    const listed = await t.idp.send(new ListUserPoolReplicasCommand({ UserPoolId: pool.Id! }));
    assert.deepEqual(listed.UserPoolReplicas, [
      { RegionName: "us-east-1", Status: "ACTIVE", Role: "PRIMARY", UserPoolArn: pool.Arn },
      { RegionName: "eu-west-1", Status: "INACTIVE", Role: "SECONDARY", UserPoolArn: replicaArn },
    ]);
    const activated = await t.idp.send(new UpdateUserPoolReplicaCommand({ UserPoolId: pool.Id!, RegionName: "eu-west-1", Status: "ACTIVE" }));
    assert.equal(activated.UserPoolReplica?.Status, "ACTIVE");
    await rejectsWithAwsError(t.idp.send(new DeleteUserPoolReplicaCommand({ UserPoolId: pool.Id!, RegionName: "eu-west-1" })), "InvalidParameterException", /only an INACTIVE replica can be deleted/);
    await t.idp.send(new UpdateUserPoolReplicaCommand({ UserPoolId: pool.Id!, RegionName: "eu-west-1", Status: "INACTIVE" }));
    const deleted = await t.idp.send(new DeleteUserPoolReplicaCommand({ UserPoolId: pool.Id!, RegionName: "eu-west-1" }));
    assert.equal(deleted.UserPoolReplica?.Status, "DELETING");
    const after = await t.idp.send(new ListUserPoolReplicasCommand({ UserPoolId: pool.Id! }));
    assert.deepEqual(after.UserPoolReplicas?.map((r) => r.Role), ["PRIMARY"]);
  });

  it("refuses replicas as AWS does", async () => {
    const pool = await createPool();
    await rejectsWithAwsError(t.idp.send(new CreateUserPoolReplicaCommand({ UserPoolId: pool.Id!, RegionName: "us-east-1" })), "InvalidParameterException", /another Region/);
    await rejectsWithAwsError(t.idp.send(new CreateUserPoolReplicaCommand({ UserPoolId: pool.Id!, RegionName: "eu" })), "InvalidParameterException", "1 validation error detected: Value 'eu' at 'regionName' failed to satisfy constraint: Member must have length greater than or equal to 5");
    await rejectsWithAwsError(t.idp.send(new CreateUserPoolReplicaCommand({ UserPoolId: pool.Id!, RegionName: "not a region" })), "InvalidParameterException", "not a region is not a valid AWS Region.");
    await rejectsWithAwsError(t.idp.send(new CreateUserPoolReplicaCommand({ UserPoolId: "us-east-1_missing00", RegionName: "eu-west-1" })), "ResourceNotFoundException");
    await rejectsWithAwsError(t.idp.send(new CreateUserPoolReplicaCommand({ UserPoolId: pool.Id!, RegionName: "eu-west-1", UserPoolTags: { "aws:x": "y" } })), "InvalidParameterException", /userPoolTags/);
    await t.idp.send(new CreateUserPoolReplicaCommand({ UserPoolId: pool.Id!, RegionName: "eu-west-1" }));
    await rejectsWithAwsError(t.idp.send(new CreateUserPoolReplicaCommand({ UserPoolId: pool.Id!, RegionName: "eu-west-1" })), "InvalidParameterException", /already has a replica in eu-west-1/);
    await rejectsWithAwsError(t.idp.send(new CreateUserPoolReplicaCommand({ UserPoolId: pool.Id!, RegionName: "ap-south-1" })), "LimitExceededException", /at most 1/);
    await rejectsWithAwsError(t.idp.send(new UpdateUserPoolReplicaCommand({ UserPoolId: pool.Id!, RegionName: "ap-south-1", Status: "ACTIVE" })), "ResourceNotFoundException");
    await rejectsWithAwsError(t.idp.send(new UpdateUserPoolReplicaCommand({ UserPoolId: pool.Id!, RegionName: "us-east-1", Status: "INACTIVE" })), "InvalidParameterException", /primary Region/);
    await rejectsWithAwsError(
      t.idp.send(new UpdateUserPoolReplicaCommand({ UserPoolId: pool.Id!, RegionName: "eu-west-1", Status: "DELETING" as "ACTIVE" })),
      "InvalidParameterException",
      "1 validation error detected: Value 'DELETING' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [ACTIVE, INACTIVE]",
    );
    // Create and Delete are served by the primary Region only.
    const fromReplicaRegion = new CognitoIdentityProviderClient({ endpoint: t.url, region: "eu-west-1", credentials: TEST_CREDENTIALS });
    try {
      await rejectsWithAwsError(fromReplicaRegion.send(new DeleteUserPoolReplicaCommand({ UserPoolId: pool.Id!, RegionName: "eu-west-1" })), "OperationNotEnabledException", /primary Region/);
      const listedThere = await fromReplicaRegion.send(new ListUserPoolReplicasCommand({ UserPoolId: pool.Id! }));
      assert.equal(listedThere.UserPoolReplicas?.length, 2);
    } finally {
      fromReplicaRegion.destroy();
    }
    // Moving to LITE is refused while the replica exists, with AWS's message.
    await rejectsWithAwsError(
      t.idp.send(new UpdateUserPoolCommand({ UserPoolId: pool.Id!, UserPoolTier: "LITE" })),
      "FeatureUnavailableInTierException",
      "The following features need to be disabled for the LITE pricing tier configured: Multi-Region Replication",
    );
    assert.equal((await t.idp.send(new DescribeUserPoolCommand({ UserPoolId: pool.Id! }))).UserPool?.UserPoolTier, "ESSENTIALS");
  });

  it("refuses a replica of a LITE pool with FeatureUnavailableInTierException", async () => {
    const lite = await createPool("LITE");
    await rejectsWithAwsError(
      t.idp.send(new CreateUserPoolReplicaCommand({ UserPoolId: lite.Id!, RegionName: "eu-west-1" })),
      "FeatureUnavailableInTierException",
      "The following features need to be disabled for the LITE pricing tier configured: Multi-Region Replication",
    );
    assert.deepEqual((await t.idp.send(new ListUserPoolReplicasCommand({ UserPoolId: lite.Id! }))).UserPoolReplicas?.map((r) => r.Role), ["PRIMARY"]);
  });
});
