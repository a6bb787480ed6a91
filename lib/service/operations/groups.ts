// cognito-idp operations on groups and their members: CreateGroup, GetGroup, ListGroups, UpdateGroup, DeleteGroup,
// AdminAddUserToGroup, AdminRemoveUserFromGroup, AdminListGroupsForUser and ListUsersInGroup.
import * as errors from "../errors";
import { optionalNumber, optionalString, requiredString, type Input } from "../input";
import type { GroupRecord, UserPoolRecord, UserRecord } from "../model";
import type { OperationTable, ServiceContext } from "../context";
import { pageAfter, readLimit, readPageToken } from "../paging";
import { listedUserView } from "../user-records";

const GROUP_NAME_PATTERN = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u;
const ROLE_ARN_PATTERN = /^arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?$/;

export function groupOperations(ctx: ServiceContext): OperationTable {
  const { state } = ctx;

  const requireGroup = (pool: UserPoolRecord, input: Input): GroupRecord => {
    const group = state.group(pool.Id, groupName(input));
    if (!group) throw errors.resourceNotFound("Group not found.");
    return group;
  };

  return {
    CreateGroup(input) {
      const name = groupName(input);
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const details = groupDetails(input);
      if (state.group(pool.Id, name)) throw errors.groupExists(`A group with the name ${name} already exists.`);
      const now = ctx.now();
      const group: GroupRecord = { UserPoolId: pool.Id, GroupName: name, ...details, CreationDate: now, LastModifiedDate: now };
      state.putGroup(group);
      return { Group: groupView(group) };
    },
    GetGroup(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      return { Group: groupView(requireGroup(pool, input)) };
    },
    ListGroups(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const limit = readLimit(input);
      const { page, nextToken } = pageAfter(state.groups(pool.Id), (g) => [g.GroupName], readPageToken(input, "NextToken"), limit);
      return { Groups: page.map(groupView), ...(nextToken ? { NextToken: nextToken } : {}) };
    },
    UpdateGroup(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const group = requireGroup(pool, input);
      const updated: GroupRecord = { ...group, ...groupDetails(input), LastModifiedDate: ctx.now() };
      state.putGroup(updated);
      return { Group: groupView(updated) };
    },
    DeleteGroup(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      state.deleteGroup(requireGroup(pool, input));
      return {};
    },
    AdminAddUserToGroup(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const user = ctx.requireUser(pool, requiredString(input, "Username"));
      const group = requireGroup(pool, input);
      if (!state.groupNamesOf(pool.Id, user.username).has(group.GroupName)) state.addToGroup(pool.Id, group.GroupName, user.username);
      return {};
    },
    AdminRemoveUserFromGroup(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const user = ctx.requireUser(pool, requiredString(input, "Username"));
      const group = requireGroup(pool, input);
      if (state.groupNamesOf(pool.Id, user.username).has(group.GroupName)) state.removeFromGroup(pool.Id, group.GroupName, user.username);
      return {};
    },
    AdminListGroupsForUser(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const user = ctx.requireUser(pool, requiredString(input, "Username"));
      const limit = readLimit(input);
      const groups = [...state.groupNamesOf(pool.Id, user.username)].map((name) => state.group(pool.Id, name)).filter((g): g is GroupRecord => !!g);
      const { page, nextToken } = pageAfter(groups, (g) => [g.GroupName], readPageToken(input, "NextToken"), limit);
      return { Groups: page.map(groupView), ...(nextToken ? { NextToken: nextToken } : {}) };
    },
    ListUsersInGroup(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const group = requireGroup(pool, input);
      const limit = readLimit(input);
      const members = membersOf(ctx, pool, group);
      const { page, nextToken } = pageAfter(members, (u) => userPageKey(ctx, pool, u), readPageToken(input, "NextToken"), limit);
      return { Users: page.map(listedUserView), ...(nextToken ? { NextToken: nextToken } : {}) };
    },
  };
}

/** The order users are listed in: creation time, then username. */
export function userPageKey(ctx: ServiceContext, pool: UserPoolRecord, user: UserRecord): [number, string] {
  return [user.createdAt, ctx.state.normalize(pool, user.username)];
}

function* membersOf(ctx: ServiceContext, pool: UserPoolRecord, group: GroupRecord): Iterable<UserRecord> {
  for (const username of ctx.state.usernamesInGroup(pool.Id, group.GroupName)) {
    const user = ctx.state.userByUsername(pool, username);
    if (user) yield user;
  }
}

function groupName(input: Input): string {
  const name = requiredString(input, "GroupName");
  if (name.length < 1 || name.length > 128) {
    throw errors.invalidParameter("1 validation error detected: Value at 'groupName' failed to satisfy constraint: Member must have length between 1 and 128");
  }
  if (!GROUP_NAME_PATTERN.test(name)) {
    throw errors.invalidParameter("1 validation error detected: Value at 'groupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+");
  }
  return name;
}

/** The optional members of CreateGroup/UpdateGroup that were given, validated as botocore's model has them. */
function groupDetails(input: Input): Partial<Pick<GroupRecord, "Description" | "RoleArn" | "Precedence">> {
  const details: Partial<Pick<GroupRecord, "Description" | "RoleArn" | "Precedence">> = {};
  const description = optionalString(input, "Description");
  if (description !== undefined) {
    if (description.length > 2048) throw errors.invalidParameter("1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 2048");
    details.Description = description;
  }
  const roleArn = optionalString(input, "RoleArn");
  if (roleArn !== undefined) {
    if (roleArn.length < 20 || roleArn.length > 2048 || !ROLE_ARN_PATTERN.test(roleArn)) {
      throw errors.invalidParameter(`1 validation error detected: Value '${roleArn}' at 'roleArn' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:[\\w+=/,.@-]+:[\\w+=/,.@-]+:([\\w+=/,.@-]*)?:[0-9]+:[\\w+=/,.@-]+(:[\\w+=/,.@-]+)?(:[\\w+=/,.@-]+)?`);
    }
    details.RoleArn = roleArn;
  }
  const precedence = optionalNumber(input, "Precedence");
  if (precedence !== undefined) {
    if (!Number.isInteger(precedence) || precedence < 0) {
      throw errors.invalidParameter(`1 validation error detected: Value '${precedence}' at 'precedence' failed to satisfy constraint: Member must have value greater than or equal to 0`);
    }
    details.Precedence = precedence;
  }
  return details;
}

/** A group as GroupType on the wire. */
export function groupView(group: GroupRecord) {
  return {
    GroupName: group.GroupName,
    UserPoolId: group.UserPoolId,
    ...(group.Description !== undefined ? { Description: group.Description } : {}),
    ...(group.RoleArn !== undefined ? { RoleArn: group.RoleArn } : {}),
    ...(group.Precedence !== undefined ? { Precedence: group.Precedence } : {}),
    LastModifiedDate: group.LastModifiedDate,
    CreationDate: group.CreationDate,
  };
}
