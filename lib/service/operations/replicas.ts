// cognito-idp operations on multi-Region replicas of a user pool (Create, List, Update, DeleteUserPoolReplica), with
// AWS's rules: Essentials or Plus plan, a replica Region other than the pool's own, at most one secondary replica, new
// replicas INACTIVE, only INACTIVE replicas deleted, Create and Delete only from the primary Region. A replica cannot
// run locally: the replicas are stored and returned, and every Region keeps being served from the one local directory.
import * as errors from "../errors";
import { ACCOUNT_ID } from "../ids";
import { requiredString, type Input } from "../input";
import type { UserPoolRecord } from "../model";
import { REGION_PATTERN, type OperationTable, type ServiceContext } from "../context";
import { pageAfter, readPageToken } from "../paging";
import { poolRecords } from "../pool-records";
import { registerTierFeature, requireTier } from "../tiers";
import { checkString, enumMember } from "../validation";
import { tagMap } from "./user-pools";

/** A secondary replica as stored. */
interface ReplicaRecord {
  UserPoolId: string;
  RegionName: string;
  Status: "INACTIVE" | "ACTIVE";
  UserPoolTags: Record<string, string>;
  /** Creation time (epoch seconds). */
  createdAt: number;
}

const COLLECTION = "userPoolReplicas";
/** AWS's feature name for replication in FeatureUnavailableInTierException. */
const FEATURE = "Multi-Region Replication";
/** "Each user directory can have at most one secondary replica in an additional Region." */
const MAX_SECONDARY_REPLICAS = 1;
const PAGE_SIZE = 60;

export function replicaOperations(ctx: ServiceContext): OperationTable {
  const replicas = poolRecords<ReplicaRecord>(ctx.state, COLLECTION);
  registerTierFeature(ctx.state, { name: FEATURE, minimum: "ESSENTIALS", inUse: (poolId) => replicas.ofPool(poolId).length > 0 });

  const replicaArn = (pool: UserPoolRecord, region: string) => `arn:aws:cognito-idp:${region}:${ACCOUNT_ID}:userpool/${pool.Id}`;
  const primary = (pool: UserPoolRecord) => {
    const region = ctx.regionOf(pool.Id);
    return { RegionName: region, Status: "ACTIVE", Role: "PRIMARY", UserPoolArn: replicaArn(pool, region) };
  };
  const wire = (pool: UserPoolRecord, r: ReplicaRecord, status: string = r.Status) => ({ RegionName: r.RegionName, Status: status, Role: "SECONDARY", UserPoolArn: replicaArn(pool, r.RegionName) });

  /** The RegionName member: AWS's length constraint, then the shape of a Region name. */
  function regionName(input: Input): string {
    const region = requiredString(input, "RegionName");
    checkString(region, "regionName", 5, 32);
    if (!REGION_PATTERN.test(region)) throw errors.invalidParameter(`${region} is not a valid AWS Region.`);
    return region;
  }
  /** Create and Delete are served by the primary Region only (the request's signing Region must not be a replica's). */
  function fromPrimaryRegion(pool: UserPoolRecord, operation: string): void {
    if (ctx.region !== ctx.regionOf(pool.Id) && replicas.get(pool.Id, ctx.region)) {
      throw errors.operationNotEnabled(`${operation} must be called from the primary Region of user pool ${pool.Id} (${ctx.regionOf(pool.Id)}).`);
    }
  }
  function requireReplica(pool: UserPoolRecord, region: string): ReplicaRecord {
    const found = replicas.get(pool.Id, region);
    if (!found) throw errors.resourceNotFound(`User pool ${pool.Id} has no replica in ${region}.`);
    return found;
  }

  return {
    CreateUserPoolReplica(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const region = regionName(input);
      const tags = tagMap(input, "UserPoolTags", false) ?? {};
      fromPrimaryRegion(pool, "CreateUserPoolReplica");
      requireTier(pool, "ESSENTIALS", FEATURE);
      if (region === ctx.regionOf(pool.Id)) throw errors.invalidParameter(`User pool ${pool.Id} is already in ${region}: a replica must be in another Region.`);
      if (replicas.get(pool.Id, region)) throw errors.invalidParameter(`User pool ${pool.Id} already has a replica in ${region}.`);
      if (replicas.ofPool(pool.Id).length >= MAX_SECONDARY_REPLICAS) throw errors.limitExceeded(`User pool ${pool.Id} already has a secondary replica: a user pool can have at most ${MAX_SECONDARY_REPLICAS}.`);
      const record: ReplicaRecord = { UserPoolId: pool.Id, RegionName: region, Status: "INACTIVE", UserPoolTags: tags, createdAt: ctx.now() };
      replicas.put(pool.Id, region, record);
      // AWS answers while the replica is still being made; locally it is made at once, and lists as INACTIVE.
      return { UserPoolReplica: wire(pool, record, "CREATING") };
    },
    ListUserPoolReplicas(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const all = [primary(pool), ...replicas.ofPool(pool.Id).map((r) => wire(pool, r))];
      const { page, nextToken } = pageAfter(all, (r) => [r.Role, r.RegionName], readPageToken(input, "NextToken"), PAGE_SIZE);
      return { UserPoolReplicas: page, ...(nextToken ? { NextToken: nextToken } : {}) };
    },
    UpdateUserPoolReplica(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const region = regionName(input);
      const status = enumMember(requiredString(input, "Status"), ["ACTIVE", "INACTIVE"] as const, "status");
      if (region === ctx.regionOf(pool.Id)) throw errors.invalidParameter(`${region} is the primary Region of user pool ${pool.Id}: only a secondary replica's status can be updated.`);
      const updated: ReplicaRecord = { ...requireReplica(pool, region), Status: status };
      replicas.put(pool.Id, region, updated);
      return { UserPoolReplica: wire(pool, updated) };
    },
    DeleteUserPoolReplica(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const region = regionName(input);
      fromPrimaryRegion(pool, "DeleteUserPoolReplica");
      if (region === ctx.regionOf(pool.Id)) throw errors.invalidParameter(`${region} is the primary Region of user pool ${pool.Id}: delete the user pool instead.`);
      const replica = requireReplica(pool, region);
      if (replica.Status !== "INACTIVE") throw errors.invalidParameter(`The replica of user pool ${pool.Id} in ${region} is ${replica.Status}: only an INACTIVE replica can be deleted.`);
      replicas.delete(pool.Id, region);
      return { UserPoolReplica: wire(pool, replica, "DELETING") };
    },
  };
}
