// Integration tests of groups and memberships: CreateGroup, GetGroup, ListGroups, UpdateGroup, DeleteGroup,
// AdminAddUserToGroup, AdminRemoveUserFromGroup, AdminListGroupsForUser and ListUsersInGroup on the real service, with
// every AWS error name and message, paging, and the `cognito:groups` claim that memberships put in tokens.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  AdminAddUserToGroupCommand, AdminCreateUserCommand, AdminDeleteUserCommand, AdminInitiateAuthCommand,
  AdminListGroupsForUserCommand, AdminRemoveUserFromGroupCommand, AdminSetUserPasswordCommand, CreateGroupCommand,
  DeleteGroupCommand, GetGroupCommand, ListGroupsCommand, ListUsersInGroupCommand, UpdateGroupCommand,
  type CognitoIdentityProviderClient, type GroupType,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWithAwsError } from "../support/aws-errors";
import { createPoolAndClient, startTestService, type TestService } from "../support/local-service";

const MISSING_POOL = "us-east-1_Missing00";
const ROLE_ARN = "arn:aws:iam::123456789012:role/editors";
const PASSWORD = "Perm#Pass22";

let t: TestService;
let idp: CognitoIdentityProviderClient;

before(async () => {
  t = await startTestService();
  idp = t.idp;
});
after(async () => {
  await t.stop();
});

const rejects = rejectsWithAwsError;

async function createUser(userPoolId: string, username: string, attributes: Record<string, string> = {}) {
  const res = await idp.send(new AdminCreateUserCommand({
    UserPoolId: userPoolId,
    Username: username,
    TemporaryPassword: "Temp#Pass1",
    MessageAction: "SUPPRESS",
    UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
  }));
  return res.User!;
}

const createGroup = (UserPoolId: string, GroupName: string, extra: { Description?: string; RoleArn?: string; Precedence?: number } = {}) =>
  idp.send(new CreateGroupCommand({ UserPoolId, GroupName, ...extra }));
const addToGroup = (UserPoolId: string, Username: string, GroupName: string) => idp.send(new AdminAddUserToGroupCommand({ UserPoolId, Username, GroupName }));
const groupsOf = async (UserPoolId: string, Username: string) =>
  ((await idp.send(new AdminListGroupsForUserCommand({ UserPoolId, Username }))).Groups ?? []).map((g) => g.GroupName);
const membersOf = async (UserPoolId: string, GroupName: string) =>
  ((await idp.send(new ListUsersInGroupCommand({ UserPoolId, GroupName }))).Users ?? []).map((u) => u.Username);

function decodeClaims(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString("utf8")) as Record<string, unknown>;
}

describe("CreateGroup and GetGroup", () => {
  test("creates a group with AWS's GroupType and reads it back", async () => {
    const { userPoolId } = await createPoolAndClient(idp);
    const before = Math.floor(Date.now() / 1000);
    const created = (await createGroup(userPoolId, "editors", { Description: "People who edit", RoleArn: ROLE_ARN, Precedence: 3 })).Group!;
    assert.equal(created.GroupName, "editors");
    assert.equal(created.UserPoolId, userPoolId);
    assert.equal(created.Description, "People who edit");
    assert.equal(created.RoleArn, ROLE_ARN);
    assert.equal(created.Precedence, 3);
    assert.ok(created.CreationDate instanceof Date && created.LastModifiedDate instanceof Date);
    assert.ok(created.CreationDate.getTime() / 1000 >= before - 1);
    const read = (await idp.send(new GetGroupCommand({ UserPoolId: userPoolId, GroupName: "editors" }))).Group!;
    assert.deepEqual(read, created);

    const bare = (await createGroup(userPoolId, "readers")).Group!;
    assert.deepEqual(Object.keys(bare).sort(), ["CreationDate", "GroupName", "LastModifiedDate", "UserPoolId"]);
  });

  test("group names are case-sensitive and may hold symbols", async () => {
    const { userPoolId } = await createPoolAndClient(idp);
    await createGroup(userPoolId, "Admins");
    await createGroup(userPoolId, "admins");
    await createGroup(userPoolId, "team:ops/eu-1");
    const names = ((await idp.send(new ListGroupsCommand({ UserPoolId: userPoolId }))).Groups ?? []).map((g) => g.GroupName);
    assert.deepEqual(names, ["Admins", "admins", "team:ops/eu-1"]);
  });

  test("errors: duplicate name, invalid members, unknown pool and group", async () => {
    const { userPoolId } = await createPoolAndClient(idp);
    await createGroup(userPoolId, "dupe");
    await rejects(createGroup(userPoolId, "dupe"), "GroupExistsException", "A group with the name dupe already exists.");
    await rejects(createGroup(MISSING_POOL, "g"), "ResourceNotFoundException", `User pool ${MISSING_POOL} does not exist.`);
    await rejects(createGroup(userPoolId, "has space"), "InvalidParameterException", /at 'groupName' failed to satisfy constraint: Member must satisfy regular expression pattern/);
    await rejects(createGroup(userPoolId, "x".repeat(129)), "InvalidParameterException", /at 'groupName' failed to satisfy constraint: Member must have length between 1 and 128/);
    await rejects(createGroup(userPoolId, "g", { Precedence: -1 }), "InvalidParameterException", "1 validation error detected: Value '-1' at 'precedence' failed to satisfy constraint: Member must have value greater than or equal to 0");
    await rejects(createGroup(userPoolId, "g", { RoleArn: "not-an-arn-at-all-really" }), "InvalidParameterException", /Value 'not-an-arn-at-all-really' at 'roleArn' failed to satisfy constraint/);
    await rejects(createGroup(userPoolId, "g", { Description: "d".repeat(2049) }), "InvalidParameterException", /at 'description' failed to satisfy constraint: Member must have length less than or equal to 2048/);
    await rejects(
      idp.send(new CreateGroupCommand({ UserPoolId: userPoolId } as never)),
      "InvalidParameterException",
      "1 validation error detected: Value null at 'groupName' failed to satisfy constraint: Member must not be null",
    );
    await rejects(idp.send(new GetGroupCommand({ UserPoolId: userPoolId, GroupName: "nope" })), "ResourceNotFoundException", "Group not found.");
    await rejects(idp.send(new GetGroupCommand({ UserPoolId: MISSING_POOL, GroupName: "nope" })), "ResourceNotFoundException", `User pool ${MISSING_POOL} does not exist.`);
    // A group of one pool is not visible from another.
    const other = await createPoolAndClient(idp);
    await rejects(idp.send(new GetGroupCommand({ UserPoolId: other.userPoolId, GroupName: "dupe" })), "ResourceNotFoundException", "Group not found.");
  });
});

describe("ListGroups", () => {
  test("pages through every group once, by name", async () => {
    const { userPoolId } = await createPoolAndClient(idp);
    const names = ["delta", "alpha", "echo", "charlie", "bravo"];
    for (const n of names) await createGroup(userPoolId, n);
    const seen: GroupType[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const res = await idp.send(new ListGroupsCommand({ UserPoolId: userPoolId, Limit: 2, NextToken: token }));
      assert.ok((res.Groups ?? []).length <= 2);
      seen.push(...(res.Groups ?? []));
      token = res.NextToken;
      pages++;
    } while (token);
    assert.equal(pages, 3);
    assert.deepEqual(seen.map((g) => g.GroupName), [...names].sort());
    assert.ok(seen.every((g) => g.UserPoolId === userPoolId));
    const all = await idp.send(new ListGroupsCommand({ UserPoolId: userPoolId }));
    assert.equal(all.Groups?.length, 5);
    assert.equal(all.NextToken, undefined);
  });

  test("an empty pool lists no groups", async () => {
    const { userPoolId } = await createPoolAndClient(idp);
    assert.deepEqual((await idp.send(new ListGroupsCommand({ UserPoolId: userPoolId }))).Groups, []);
  });

  test("errors: limit, token, unknown pool", async () => {
    const { userPoolId } = await createPoolAndClient(idp);
    await rejects(idp.send(new ListGroupsCommand({ UserPoolId: userPoolId, Limit: 61 })), "InvalidParameterException", "1 validation error detected: Value '61' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60");
    await rejects(idp.send(new ListGroupsCommand({ UserPoolId: userPoolId, NextToken: "bogus" })), "InvalidParameterException", "Invalid pagination token.");
    await rejects(idp.send(new ListGroupsCommand({ UserPoolId: MISSING_POOL })), "ResourceNotFoundException", `User pool ${MISSING_POOL} does not exist.`);
  });
});

describe("UpdateGroup", () => {
  test("changes only the given members", async () => {
    const { userPoolId } = await createPoolAndClient(idp);
    const created = (await createGroup(userPoolId, "ops", { Description: "old", Precedence: 5, RoleArn: ROLE_ARN })).Group!;
    const updated = (await idp.send(new UpdateGroupCommand({ UserPoolId: userPoolId, GroupName: "ops", Description: "new" }))).Group!;
    assert.equal(updated.Description, "new");
    assert.equal(updated.Precedence, 5);
    assert.equal(updated.RoleArn, ROLE_ARN);
    assert.deepEqual(updated.CreationDate, created.CreationDate);
    const again = (await idp.send(new UpdateGroupCommand({ UserPoolId: userPoolId, GroupName: "ops", Precedence: 0 }))).Group!;
    assert.equal(again.Precedence, 0);
    assert.equal(again.Description, "new");
    assert.deepEqual((await idp.send(new GetGroupCommand({ UserPoolId: userPoolId, GroupName: "ops" }))).Group, again);
  });

  test("errors: unknown group and pool, invalid members", async () => {
    const { userPoolId } = await createPoolAndClient(idp);
    await createGroup(userPoolId, "ops");
    await rejects(idp.send(new UpdateGroupCommand({ UserPoolId: userPoolId, GroupName: "nope", Description: "x" })), "ResourceNotFoundException", "Group not found.");
    await rejects(idp.send(new UpdateGroupCommand({ UserPoolId: MISSING_POOL, GroupName: "ops" })), "ResourceNotFoundException", `User pool ${MISSING_POOL} does not exist.`);
    await rejects(idp.send(new UpdateGroupCommand({ UserPoolId: userPoolId, GroupName: "ops", Precedence: -5 })), "InvalidParameterException", /at 'precedence' failed to satisfy constraint/);
    await rejects(idp.send(new UpdateGroupCommand({ UserPoolId: userPoolId, GroupName: "ops", RoleArn: "arn:bad" })), "InvalidParameterException", /at 'roleArn' failed to satisfy constraint/);
  });
});

describe("DeleteGroup", () => {
  test("deletes the group and every membership in it", async () => {
    const { userPoolId } = await createPoolAndClient(idp);
    await createUser(userPoolId, "ann");
    await createGroup(userPoolId, "temp");
    await createGroup(userPoolId, "keep");
    await addToGroup(userPoolId, "ann", "temp");
    await addToGroup(userPoolId, "ann", "keep");
    await idp.send(new DeleteGroupCommand({ UserPoolId: userPoolId, GroupName: "temp" }));
    await rejects(idp.send(new GetGroupCommand({ UserPoolId: userPoolId, GroupName: "temp" })), "ResourceNotFoundException", "Group not found.");
    assert.deepEqual(await groupsOf(userPoolId, "ann"), ["keep"]);
    // A new group of the same name starts empty.
    await createGroup(userPoolId, "temp");
    assert.deepEqual(await membersOf(userPoolId, "temp"), []);
  });

  test("errors: unknown group and pool", async () => {
    const { userPoolId } = await createPoolAndClient(idp);
    await rejects(idp.send(new DeleteGroupCommand({ UserPoolId: userPoolId, GroupName: "nope" })), "ResourceNotFoundException", "Group not found.");
    await rejects(idp.send(new DeleteGroupCommand({ UserPoolId: MISSING_POOL, GroupName: "nope" })), "ResourceNotFoundException", `User pool ${MISSING_POOL} does not exist.`);
  });
});

describe("AdminAddUserToGroup and AdminRemoveUserFromGroup", () => {
  test("adds by username, alias or sub; both are idempotent", async () => {
    const { userPoolId } = await createPoolAndClient(idp, { AliasAttributes: ["email"] });
    const user = await createUser(userPoolId, "bo", { email: "bo@example.com", email_verified: "true" });
    const sub = user.Attributes!.find((a) => a.Name === "sub")!.Value!;
    for (const g of ["a", "b", "c"]) await createGroup(userPoolId, g);
    await addToGroup(userPoolId, "bo", "a");
    await addToGroup(userPoolId, "bo@example.com", "b");
    await addToGroup(userPoolId, sub, "c");
    await addToGroup(userPoolId, "bo", "a");
    assert.deepEqual(await groupsOf(userPoolId, "bo"), ["a", "b", "c"]);
    assert.deepEqual(await membersOf(userPoolId, "a"), ["bo"]);

    await idp.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: userPoolId, Username: "bo@example.com", GroupName: "b" }));
    await idp.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: userPoolId, Username: "bo", GroupName: "b" }));
    assert.deepEqual(await groupsOf(userPoolId, "bo"), ["a", "c"]);
    assert.deepEqual(await membersOf(userPoolId, "b"), []);
  });

  test("memberships appear in the cognito:groups claim of both tokens", async () => {
    const { userPoolId, clientId } = await createPoolAndClient(idp);
    await createUser(userPoolId, "cy");
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: "cy", Password: PASSWORD, Permanent: true }));
    await createGroup(userPoolId, "admins");
    await createGroup(userPoolId, "staff");
    await addToGroup(userPoolId, "cy", "admins");
    await addToGroup(userPoolId, "cy", "staff");
    const signIn = () => idp.send(new AdminInitiateAuthCommand({ UserPoolId: userPoolId, ClientId: clientId, AuthFlow: "ADMIN_USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "cy", PASSWORD } }));
    const tokens = (await signIn()).AuthenticationResult!;
    for (const jwt of [tokens.IdToken!, tokens.AccessToken!]) {
      assert.deepEqual([...(decodeClaims(jwt)["cognito:groups"] as string[])].sort(), ["admins", "staff"]);
    }
    await idp.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: userPoolId, Username: "cy", GroupName: "admins" }));
    await idp.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: userPoolId, Username: "cy", GroupName: "staff" }));
    const after = (await signIn()).AuthenticationResult!;
    assert.equal(decodeClaims(after.IdToken!)["cognito:groups"], undefined);
  });

  test("deleting a user removes it from its groups", async () => {
    const { userPoolId } = await createPoolAndClient(idp);
    await createUser(userPoolId, "di");
    await createUser(userPoolId, "ed");
    await createGroup(userPoolId, "g");
    await addToGroup(userPoolId, "di", "g");
    await addToGroup(userPoolId, "ed", "g");
    await idp.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: "di" }));
    assert.deepEqual(await membersOf(userPoolId, "g"), ["ed"]);
  });

  test("errors: unknown user, group and pool", async () => {
    const { userPoolId } = await createPoolAndClient(idp);
    await createUser(userPoolId, "fi");
    await createGroup(userPoolId, "g");
    await rejects(addToGroup(userPoolId, "ghost", "g"), "UserNotFoundException", "User does not exist.");
    await rejects(addToGroup(userPoolId, "fi", "nope"), "ResourceNotFoundException", "Group not found.");
    await rejects(addToGroup(MISSING_POOL, "fi", "g"), "ResourceNotFoundException", `User pool ${MISSING_POOL} does not exist.`);
    const remove = (UserPoolId: string, Username: string, GroupName: string) => idp.send(new AdminRemoveUserFromGroupCommand({ UserPoolId, Username, GroupName }));
    await rejects(remove(userPoolId, "ghost", "g"), "UserNotFoundException", "User does not exist.");
    await rejects(remove(userPoolId, "fi", "nope"), "ResourceNotFoundException", "Group not found.");
    await rejects(remove(MISSING_POOL, "fi", "g"), "ResourceNotFoundException", `User pool ${MISSING_POOL} does not exist.`);
    await rejects(
      idp.send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: "fi" } as never)),
      "InvalidParameterException",
      "1 validation error detected: Value null at 'groupName' failed to satisfy constraint: Member must not be null",
    );
  });
});

describe("AdminListGroupsForUser", () => {
  test("pages through the user's groups with their details", async () => {
    const { userPoolId } = await createPoolAndClient(idp);
    await createUser(userPoolId, "gil");
    for (const [i, g] of ["g1", "g2", "g3", "g4", "g5"].entries()) {
      await createGroup(userPoolId, g, { Precedence: i, Description: `group ${g}` });
      if (g !== "g3") await addToGroup(userPoolId, "gil", g);
    }
    const seen: GroupType[] = [];
    let token: string | undefined;
    do {
      const res = await idp.send(new AdminListGroupsForUserCommand({ UserPoolId: userPoolId, Username: "gil", Limit: 3, NextToken: token }));
      seen.push(...(res.Groups ?? []));
      token = res.NextToken;
    } while (token);
    assert.deepEqual(seen.map((g) => g.GroupName), ["g1", "g2", "g4", "g5"]);
    assert.equal(seen[2].Precedence, 3);
    assert.equal(seen[2].Description, "group g4");
    assert.equal(seen[2].UserPoolId, userPoolId);
  });

  test("errors: unknown user and pool, limit", async () => {
    const { userPoolId } = await createPoolAndClient(idp);
    await createUser(userPoolId, "hu");
    await rejects(idp.send(new AdminListGroupsForUserCommand({ UserPoolId: userPoolId, Username: "ghost" })), "UserNotFoundException", "User does not exist.");
    await rejects(idp.send(new AdminListGroupsForUserCommand({ UserPoolId: MISSING_POOL, Username: "hu" })), "ResourceNotFoundException", `User pool ${MISSING_POOL} does not exist.`);
    await rejects(idp.send(new AdminListGroupsForUserCommand({ UserPoolId: userPoolId, Username: "hu", Limit: 100 })), "InvalidParameterException", /Value '100' at 'limit'/);
  });
});

describe("ListUsersInGroup", () => {
  test("pages through the members with ListUsers' user shape", async () => {
    const { userPoolId } = await createPoolAndClient(idp);
    await createGroup(userPoolId, "crew");
    const names = ["m0", "m1", "m2", "m3", "m4", "m5", "m6"];
    for (const n of names) {
      await createUser(userPoolId, n, { email: `${n}@example.com` });
      if (n !== "m3") await addToGroup(userPoolId, n, "crew");
    }
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const res = await idp.send(new ListUsersInGroupCommand({ UserPoolId: userPoolId, GroupName: "crew", Limit: 2, NextToken: token }));
      for (const u of res.Users ?? []) {
        assert.deepEqual(Object.keys(u).sort(), ["Attributes", "Enabled", "UserCreateDate", "UserLastModifiedDate", "UserStatus", "Username"]);
        assert.equal(u.Attributes?.find((a) => a.Name === "email")?.Value, `${u.Username}@example.com`);
        seen.push(u.Username!);
      }
      token = res.NextToken;
      pages++;
    } while (token);
    assert.equal(pages, 3);
    assert.deepEqual(seen, names.filter((n) => n !== "m3"));
  });

  test("errors: unknown group and pool, limit, token", async () => {
    const { userPoolId } = await createPoolAndClient(idp);
    await createGroup(userPoolId, "crew");
    await rejects(idp.send(new ListUsersInGroupCommand({ UserPoolId: userPoolId, GroupName: "nope" })), "ResourceNotFoundException", "Group not found.");
    await rejects(idp.send(new ListUsersInGroupCommand({ UserPoolId: MISSING_POOL, GroupName: "crew" })), "ResourceNotFoundException", `User pool ${MISSING_POOL} does not exist.`);
    await rejects(idp.send(new ListUsersInGroupCommand({ UserPoolId: userPoolId, GroupName: "crew", Limit: 61 })), "InvalidParameterException", /Value '61' at 'limit'/);
    await rejects(idp.send(new ListUsersInGroupCommand({ UserPoolId: userPoolId, GroupName: "crew", NextToken: "bogus" })), "InvalidParameterException", "Invalid pagination token.");
  });
});
