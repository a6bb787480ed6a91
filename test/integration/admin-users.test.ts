// Integration tests of the admin user operations and ListUsers: the real service on a free loopback port, driven by
// @aws-sdk/client-cognito-identity-provider, checking outputs, state changes seen through other operations, and every
// AWS error name and message.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  AdminConfirmSignUpCommand, AdminCreateUserCommand, AdminDeleteUserAttributesCommand, AdminDeleteUserCommand,
  AdminDisableUserCommand, AdminEnableUserCommand, AdminGetUserCommand, AdminInitiateAuthCommand, AdminListGroupsForUserCommand,
  AdminAddUserToGroupCommand, AdminResetUserPasswordCommand, AdminSetUserPasswordCommand, AdminUpdateUserAttributesCommand,
  AdminUserGlobalSignOutCommand, CreateGroupCommand, GetUserCommand, InitiateAuthCommand, ListUsersCommand, SignUpCommand,
  type AttributeType, type CognitoIdentityProviderClient, type UserType,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWithAwsError } from "../support/aws-errors";
import { createPoolAndClient, startTestService, type TestService } from "../support/local-service";

const TEMP_PASSWORD = "Temp#Pass1";
const PERMANENT_PASSWORD = "Perm#Pass22";
const MISSING_POOL = "us-east-1_Missing00";

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

const attr = (attributes: AttributeType[] | undefined, name: string) => attributes?.find((a) => a.Name === name)?.Value;

async function createUser(userPoolId: string, username: string, attributes: Record<string, string> = {}) {
  const res = await idp.send(new AdminCreateUserCommand({
    UserPoolId: userPoolId,
    Username: username,
    TemporaryPassword: TEMP_PASSWORD,
    MessageAction: "SUPPRESS",
    UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
  }));
  return res.User!;
}

async function confirmedUser(userPoolId: string, username: string, attributes: Record<string, string> = {}) {
  const user = await createUser(userPoolId, username, attributes);
  await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: username, Password: PERMANENT_PASSWORD, Permanent: true }));
  return user;
}

const getUser = (userPoolId: string, username: string) => idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }));

const adminSignIn = (userPoolId: string, clientId: string, username: string, password: string) =>
  idp.send(new AdminInitiateAuthCommand({ UserPoolId: userPoolId, ClientId: clientId, AuthFlow: "ADMIN_USER_PASSWORD_AUTH", AuthParameters: { USERNAME: username, PASSWORD: password } }));

const deliveriesTo = (userPoolId: string, username: string, purpose: string) =>
  t.logs.filter((l) => l.startsWith("[code]") && l.includes(`pool=${userPoolId} `) && l.includes(`user=${username} `) && l.includes(`purpose=${purpose} `));

describe("AdminCreateUser", () => {
  test("creates a FORCE_CHANGE_PASSWORD user with the given attributes and returns AWS's UserType", async () => {
    const { userPoolId } = await createPoolAndClient(idp);
    const before = Math.floor(Date.now() / 1000);
    const user = await createUser(userPoolId, "alice", { email: "alice@example.com", email_verified: "true", name: "Alice A" });
    assert.equal(user.Username, "alice");
    assert.equal(user.Enabled, true);
    assert.equal(user.UserStatus, "FORCE_CHANGE_PASSWORD");
    assert.ok(user.UserCreateDate instanceof Date && user.UserLastModifiedDate instanceof Date);
    assert.ok(user.UserCreateDate.getTime() / 1000 >= before - 1);
    assert.match(attr(user.Attributes, "sub") ?? "", /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(attr(user.Attributes, "email"), "alice@example.com");
    assert.equal(attr(user.Attributes, "email_verified"), "true", "email_verified is kept as given");
    assert.equal(attr(user.Attributes, "name"), "Alice A");
    assert.deepEqual(Object.keys(user).sort(), ["Attributes", "Enabled", "UserCreateDate", "UserLastModifiedDate", "UserStatus", "Username"]);
    assert.equal(deliveriesTo(userPoolId, "alice", "ADMIN_CREATE_USER").length, 0, "SUPPRESS sends no invitation");
  });

  test("email_verified is not set when not given", async () => {
    const { userPoolId } = await createPoolAndClient(idp);
    const user = await createUser(userPoolId, "bob", { email: "bob@example.com" });
    assert.equal(attr(user.Attributes, "email_verified"), undefined);
  });

  test("the temporary password signs in with a NEW_PASSWORD_REQUIRED challenge", async () => {
    const { userPoolId, clientId } = await createPoolAndClient(idp);
    await createUser(userPoolId, "carol");
    const res = await adminSignIn(userPoolId, clientId, "carol", TEMP_PASSWORD);
    assert.equal(res.ChallengeName, "NEW_PASSWORD_REQUIRED");
    assert.equal(res.AuthenticationResult, undefined);
  });

  test("without TemporaryPassword, generates one that meets the policy and delivers it to the desired medium", async () => {
    const { userPoolId, clientId } = await createPoolAndClient(idp, { Policies: { PasswordPolicy: { MinimumLength: 16, RequireSymbols: true, RequireNumbers: true, RequireUppercase: true, RequireLowercase: true } } });
    await idp.send(new AdminCreateUserCommand({
      UserPoolId: userPoolId,
      Username: "dave",
      DesiredDeliveryMediums: ["EMAIL"],
      UserAttributes: [{ Name: "email", Value: "dave@example.com" }, { Name: "phone_number", Value: "+15555550123" }],
    }));
    const lines = deliveriesTo(userPoolId, "dave", "ADMIN_CREATE_USER");
    assert.equal(lines.length, 1);
    assert.match(lines[0], / to=dave@example\.com /);
    const password = await t.latestCode(userPoolId, "dave", "ADMIN_CREATE_USER");
    assert.ok(password.length >= 16);
    assert.match(password, /[A-Z]/);
    assert.match(password, /[a-z]/);
    assert.match(password, /[0-9]/);
    assert.match(password, /[^A-Za-z0-9]/);
    const res = await adminSignIn(userPoolId, clientId, "dave", password);
    assert.equal(res.ChallengeName, "NEW_PASSWORD_REQUIRED");
  });

  test("delivers to both media when both are desired, by SMS by default", async () => {
    const { userPoolId } = await createPoolAndClient(idp);
    await idp.send(new AdminCreateUserCommand({
      UserPoolId: userPoolId,
      Username: "erin",
      TemporaryPassword: TEMP_PASSWORD,
      DesiredDeliveryMediums: ["EMAIL", "SMS"],
      UserAttributes: [{ Name: "email", Value: "erin@example.com" }, { Name: "phone_number", Value: "+15555550124" }],
    }));
    const lines = deliveriesTo(userPoolId, "erin", "ADMIN_CREATE_USER");
    assert.equal(lines.length, 2);
    assert.ok(lines.some((l) => l.includes("to=erin@example.com")) && lines.some((l) => l.includes("to=+15555550124")));
    assert.ok(lines.every((l) => l.endsWith(`code=${TEMP_PASSWORD}`)));

    await idp.send(new AdminCreateUserCommand({
      UserPoolId: userPoolId,
      Username: "frank",
      TemporaryPassword: TEMP_PASSWORD,
      UserAttributes: [{ Name: "email", Value: "frank@example.com" }, { Name: "phone_number", Value: "+15555550125" }],
    }));
    const frank = deliveriesTo(userPoolId, "frank", "ADMIN_CREATE_USER");
    assert.equal(frank.length, 1);
    assert.match(frank[0], / to=\+15555550125 /);
  });

  test("UsernameExistsException for an existing username", async () => {
    const { userPoolId } = await createPoolAndClient(idp);
    await createUser(userPoolId, "gina");
    await rejects(createUser(userPoolId, "gina"), "UsernameExistsException", "User account already exists");
  });

  test("usernames are case-insensitive when the pool says so", async () => {
    const { userPoolId } = await createPoolAndClient(idp, { UsernameConfiguration: { CaseSensitive: false } });
    await createUser(userPoolId, "Hank");
    await rejects(createUser(userPoolId, "hank"), "UsernameExistsException", "User account already exists");
    assert.equal((await getUser(userPoolId, "HANK")).Username, "Hank");
  });

  test("a temporary password that breaks the policy is refused", async () => {
    const { userPoolId } = await createPoolAndClient(idp);
    await rejects(
      idp.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: "ivy", TemporaryPassword: "short" })),
      "InvalidPasswordException",
      "Password did not conform with policy: Password not long enough",
    );
    await rejects(
      idp.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: "ivy", TemporaryPassword: "longenough1!" })),
      "InvalidPasswordException",
      "Password did not conform with policy: Password must have uppercase characters",
    );
    await rejects(getUser(userPoolId, "ivy"), "UserNotFoundException", "User does not exist.");
  });

  test("input validation errors", async () => {
    const { userPoolId } = await createPoolAndClient(idp);
    await rejects(
      idp.send(new AdminCreateUserCommand({ UserPoolId: MISSING_POOL, Username: "x" })),
      "ResourceNotFoundException",
      `User pool ${MISSING_POOL} does not exist.`,
    );
    await rejects(
      idp.send(new AdminCreateUserCommand({ UserPoolId: userPoolId } as never)),
      "InvalidParameterException",
      "1 validation error detected: Value null at 'username' failed to satisfy constraint: Member must not be null",
    );
    await rejects(
      idp.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: "has space" })),
      "InvalidParameterException",
      "Username should be a valid string without whitespace.",
    );
    await rejects(
      idp.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: "x", UserAttributes: [{ Name: "custom:nope", Value: "1" }] })),
      "InvalidParameterException",
      "Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema.",
    );
    await rejects(
      idp.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: "x", UserAttributes: [{ Name: "email", Value: "not-an-email" }] })),
      "InvalidParameterException",
      "Invalid email address format.",
    );
    await rejects(
      idp.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: "x", UserAttributes: [{ Name: "sub", Value: "00000000-0000-0000-0000-000000000000" }] })),
      "InvalidParameterException",
      "Cannot modify an immutable attribute: sub",
    );
    await rejects(
      idp.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: "x", MessageAction: "SHOUT" as never })),
      "InvalidParameterException",
      /at 'messageAction' failed to satisfy constraint/,
    );
    await rejects(
      idp.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: "x", DesiredDeliveryMediums: ["PIGEON" as never] })),
      "InvalidParameterException",
      /at 'desiredDeliveryMediums' failed to satisfy constraint/,
    );
  });

  test("required schema attributes may be left for the user to supply (AWS: in NEW_PASSWORD_REQUIRED)", async () => {
    const { userPoolId } = await createPoolAndClient(idp, { Schema: [{ Name: "email", AttributeDataType: "String", Required: true, Mutable: true }] });
    const jill = await createUser(userPoolId, "jill");
    assert.equal(attr(jill.Attributes, "email"), undefined);
    assert.equal(jill.UserStatus, "FORCE_CHANGE_PASSWORD");
    const jack = await createUser(userPoolId, "jack", { email: "jack@example.com" });
    assert.equal(attr(jack.Attributes, "email"), "jack@example.com");
  });

  test("email alias pools: email-shaped usernames are refused, aliases must be free unless ForceAliasCreation", async () => {
    const { userPoolId, clientId } = await createPoolAndClient(idp, { AliasAttributes: ["email", "preferred_username"] });
    await rejects(
      createUser(userPoolId, "kim@example.com"),
      "InvalidParameterException",
      "Username cannot be of email format, since user pool is configured for email alias.",
    );
    await confirmedUser(userPoolId, "kim", { email: "kim@example.com", email_verified: "true", preferred_username: "kimmy" });
    await rejects(createUser(userPoolId, "kim2", { email: "kim@example.com" }), "AliasExistsException", "An account with the given email already exists.");
    await rejects(createUser(userPoolId, "kim3", { preferred_username: "kimmy" }), "AliasExistsException", "An account with the given preferred_username already exists.");
    assert.equal((await getUser(userPoolId, "kim@example.com")).Username, "kim");

    await idp.send(new AdminCreateUserCommand({
      UserPoolId: userPoolId,
      Username: "kim4",
      TemporaryPassword: TEMP_PASSWORD,
      MessageAction: "SUPPRESS",
      ForceAliasCreation: true,
      UserAttributes: [{ Name: "email", Value: "kim@example.com" }, { Name: "email_verified", Value: "true" }],
    }));
    assert.equal((await getUser(userPoolId, "kim@example.com")).Username, "kim4", "the alias moved to the new user");
    const previous = await getUser(userPoolId, "kim");
    assert.equal(attr(previous.UserAttributes, "email_verified"), "false");
    const signIn = await adminSignIn(userPoolId, clientId, "kim@example.com", TEMP_PASSWORD);
    assert.equal(signIn.ChallengeName, "NEW_PASSWORD_REQUIRED");
  });

  test("email username pools: the username becomes a UUID and the email must be unique", async () => {
    const { userPoolId } = await createPoolAndClient(idp, { UsernameAttributes: ["email"] });
    const user = await createUser(userPoolId, "lee@example.com");
    assert.match(user.Username!, /^[0-9a-f-]{36}$/);
    assert.equal(user.Username, attr(user.Attributes, "sub"));
    assert.equal(attr(user.Attributes, "email"), "lee@example.com");
    await rejects(createUser(userPoolId, "lee@example.com"), "UsernameExistsException", "An account with the given email already exists.");
    await rejects(createUser(userPoolId, "not-an-email"), "InvalidParameterException", "Username should be an email.");
    assert.equal((await getUser(userPoolId, "lee@example.com")).Username, user.Username);
  });

  test("MessageAction RESEND issues a new temporary password to a FORCE_CHANGE_PASSWORD user", async () => {
    const { userPoolId, clientId } = await createPoolAndClient(idp);
    await createUser(userPoolId, "mia", { email: "mia@example.com" });
    const res = await idp.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: "mia", MessageAction: "RESEND", DesiredDeliveryMediums: ["EMAIL"] }));
    assert.equal(res.User?.Username, "mia");
    assert.equal(res.User?.UserStatus, "FORCE_CHANGE_PASSWORD");
    const password = await t.latestCode(userPoolId, "mia", "ADMIN_CREATE_USER");
    assert.notEqual(password, TEMP_PASSWORD);
    assert.equal((await adminSignIn(userPoolId, clientId, "mia", password)).ChallengeName, "NEW_PASSWORD_REQUIRED");
    await rejects(adminSignIn(userPoolId, clientId, "mia", TEMP_PASSWORD), "NotAuthorizedException", "Incorrect username or password.");

    await rejects(
      idp.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: "nobody", MessageAction: "RESEND" })),
      "UserNotFoundException",
      "User does not exist.",
    );
    await confirmedUser(userPoolId, "ned");
    await rejects(
      idp.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: "ned", MessageAction: "RESEND" })),
      "UnsupportedUserStateException",
      "Resend not possible. ned status is not FORCE_CHANGE_PASSWORD",
    );
  });
});

describe("AdminGetUser", () => {
  test("finds a user by username, alias or sub, with AdminGetUser's shape", async () => {
    const { userPoolId } = await createPoolAndClient(idp, { AliasAttributes: ["email"] });
    const created = await createUser(userPoolId, "olga", { email: "olga@example.com", email_verified: "true" });
    const sub = attr(created.Attributes, "sub")!;
    for (const name of ["olga", "olga@example.com", sub]) {
      const res = await getUser(userPoolId, name);
      assert.equal(res.Username, "olga");
      assert.equal(res.Enabled, true);
      assert.equal(res.UserStatus, "FORCE_CHANGE_PASSWORD");
      assert.equal(attr(res.UserAttributes, "sub"), sub);
      assert.ok(res.UserCreateDate instanceof Date);
      assert.equal(res.UserMFASettingList, undefined);
    }
  });

  test("errors: unknown user, unknown pool, missing member", async () => {
    const { userPoolId } = await createPoolAndClient(idp);
    await rejects(getUser(userPoolId, "ghost"), "UserNotFoundException", "User does not exist.");
    await rejects(getUser(MISSING_POOL, "ghost"), "ResourceNotFoundException", `User pool ${MISSING_POOL} does not exist.`);
    await rejects(
      idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId } as never)),
      "InvalidParameterException",
      "1 validation error detected: Value null at 'username' failed to satisfy constraint: Member must not be null",
    );
  });
});

describe("AdminDeleteUser", () => {
  test("deletes the user, its group memberships and its alias", async () => {
    const { userPoolId } = await createPoolAndClient(idp, { AliasAttributes: ["email"] });
    await createUser(userPoolId, "paul", { email: "paul@example.com", email_verified: "true" });
    await idp.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: "staff" }));
    await idp.send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: "paul", GroupName: "staff" }));
    await idp.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: "paul@example.com" }));
    await rejects(getUser(userPoolId, "paul"), "UserNotFoundException", "User does not exist.");
    await rejects(getUser(userPoolId, "paul@example.com"), "UserNotFoundException", "User does not exist.");
    await rejects(idp.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: "paul" })), "UserNotFoundException", "User does not exist.");
    // The name and the alias are free again, and the new user starts with no groups.
    await createUser(userPoolId, "paul", { email: "paul@example.com" });
    const groups = await idp.send(new AdminListGroupsForUserCommand({ UserPoolId: userPoolId, Username: "paul" }));
    assert.deepEqual(groups.Groups, []);
  });

  test("unknown pool", async () => {
    await rejects(idp.send(new AdminDeleteUserCommand({ UserPoolId: MISSING_POOL, Username: "x" })), "ResourceNotFoundException", `User pool ${MISSING_POOL} does not exist.`);
  });
});

describe("AdminDisableUser and AdminEnableUser", () => {
  test("a disabled user cannot sign in until enabled again", async () => {
    const { userPoolId, clientId } = await createPoolAndClient(idp);
    await confirmedUser(userPoolId, "quinn");
    await idp.send(new AdminDisableUserCommand({ UserPoolId: userPoolId, Username: "quinn" }));
    assert.equal((await getUser(userPoolId, "quinn")).Enabled, false);
    await rejects(adminSignIn(userPoolId, clientId, "quinn", PERMANENT_PASSWORD), "NotAuthorizedException", "User is disabled.");
    await idp.send(new AdminDisableUserCommand({ UserPoolId: userPoolId, Username: "quinn" })); // idempotent
    await idp.send(new AdminEnableUserCommand({ UserPoolId: userPoolId, Username: "quinn" }));
    assert.equal((await getUser(userPoolId, "quinn")).Enabled, true);
    const res = await adminSignIn(userPoolId, clientId, "quinn", PERMANENT_PASSWORD);
    assert.ok(res.AuthenticationResult?.AccessToken);
  });

  test("errors: unknown user and pool", async () => {
    const { userPoolId } = await createPoolAndClient(idp);
    await rejects(idp.send(new AdminDisableUserCommand({ UserPoolId: userPoolId, Username: "ghost" })), "UserNotFoundException", "User does not exist.");
    await rejects(idp.send(new AdminEnableUserCommand({ UserPoolId: userPoolId, Username: "ghost" })), "UserNotFoundException", "User does not exist.");
    await rejects(idp.send(new AdminEnableUserCommand({ UserPoolId: MISSING_POOL, Username: "ghost" })), "ResourceNotFoundException", `User pool ${MISSING_POOL} does not exist.`);
  });
});

describe("AdminConfirmSignUp", () => {
  test("confirms an UNCONFIRMED user, and only such a user", async () => {
    const { userPoolId, clientId } = await createPoolAndClient(idp);
    await idp.send(new SignUpCommand({ ClientId: clientId, Username: "rose", Password: PERMANENT_PASSWORD, UserAttributes: [{ Name: "email", Value: "rose@example.com" }] }));
    assert.equal((await getUser(userPoolId, "rose")).UserStatus, "UNCONFIRMED");
    await rejects(adminSignIn(userPoolId, clientId, "rose", PERMANENT_PASSWORD), "UserNotConfirmedException", "User is not confirmed.");
    await idp.send(new AdminConfirmSignUpCommand({ UserPoolId: userPoolId, Username: "rose" }));
    assert.equal((await getUser(userPoolId, "rose")).UserStatus, "CONFIRMED");
    assert.ok((await adminSignIn(userPoolId, clientId, "rose", PERMANENT_PASSWORD)).AuthenticationResult?.IdToken);
    await rejects(
      idp.send(new AdminConfirmSignUpCommand({ UserPoolId: userPoolId, Username: "rose" })),
      "NotAuthorizedException",
      "User cannot be confirmed. Current status is CONFIRMED",
    );
    await createUser(userPoolId, "sam");
    await rejects(
      idp.send(new AdminConfirmSignUpCommand({ UserPoolId: userPoolId, Username: "sam" })),
      "NotAuthorizedException",
      "User cannot be confirmed. Current status is FORCE_CHANGE_PASSWORD",
    );
  });

  test("errors: unknown user and pool", async () => {
    const { userPoolId } = await createPoolAndClient(idp);
    await rejects(idp.send(new AdminConfirmSignUpCommand({ UserPoolId: userPoolId, Username: "ghost" })), "UserNotFoundException", "User does not exist.");
    await rejects(idp.send(new AdminConfirmSignUpCommand({ UserPoolId: MISSING_POOL, Username: "ghost" })), "ResourceNotFoundException", `User pool ${MISSING_POOL} does not exist.`);
  });
});

describe("AdminSetUserPassword", () => {
  test("Permanent true confirms the user with the new password; false makes it temporary", async () => {
    const { userPoolId, clientId } = await createPoolAndClient(idp);
    await createUser(userPoolId, "tara");
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: "tara", Password: PERMANENT_PASSWORD, Permanent: true }));
    assert.equal((await getUser(userPoolId, "tara")).UserStatus, "CONFIRMED");
    assert.ok((await adminSignIn(userPoolId, clientId, "tara", PERMANENT_PASSWORD)).AuthenticationResult?.AccessToken);
    await rejects(adminSignIn(userPoolId, clientId, "tara", TEMP_PASSWORD), "NotAuthorizedException", "Incorrect username or password.");

    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: "tara", Password: "Other#Temp3" }));
    assert.equal((await getUser(userPoolId, "tara")).UserStatus, "FORCE_CHANGE_PASSWORD");
    assert.equal((await adminSignIn(userPoolId, clientId, "tara", "Other#Temp3")).ChallengeName, "NEW_PASSWORD_REQUIRED");
  });

  test("a permanent password confirms an UNCONFIRMED user too", async () => {
    const { userPoolId, clientId } = await createPoolAndClient(idp);
    await idp.send(new SignUpCommand({ ClientId: clientId, Username: "uma", Password: PERMANENT_PASSWORD }));
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: "uma", Password: "Brand#New44", Permanent: true }));
    assert.equal((await getUser(userPoolId, "uma")).UserStatus, "CONFIRMED");
    assert.ok((await adminSignIn(userPoolId, clientId, "uma", "Brand#New44")).AuthenticationResult);
  });

  test("errors: policy, unknown user and pool, missing password", async () => {
    const { userPoolId } = await createPoolAndClient(idp);
    await createUser(userPoolId, "vic");
    await rejects(
      idp.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: "vic", Password: "nouppercase1!", Permanent: true })),
      "InvalidPasswordException",
      "Password did not conform with policy: Password must have uppercase characters",
    );
    await rejects(
      idp.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: "vic", Password: "NoSymbols123", Permanent: true })),
      "InvalidPasswordException",
      "Password did not conform with policy: Password must have symbol characters",
    );
    assert.equal((await getUser(userPoolId, "vic")).UserStatus, "FORCE_CHANGE_PASSWORD");
    await rejects(
      idp.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: "ghost", Password: PERMANENT_PASSWORD })),
      "UserNotFoundException",
      "User does not exist.",
    );
    await rejects(
      idp.send(new AdminSetUserPasswordCommand({ UserPoolId: MISSING_POOL, Username: "vic", Password: PERMANENT_PASSWORD })),
      "ResourceNotFoundException",
      `User pool ${MISSING_POOL} does not exist.`,
    );
    await rejects(
      idp.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: "vic" } as never)),
      "InvalidParameterException",
      "1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null",
    );
  });
});

describe("AdminUpdateUserAttributes", () => {
  test("sets and removes attributes", async () => {
    const { userPoolId } = await createPoolAndClient(idp, { Schema: [{ Name: "team", AttributeDataType: "String", Mutable: true }] });
    await createUser(userPoolId, "wendy", { name: "Wendy", given_name: "W" });
    const before = await getUser(userPoolId, "wendy");
    await idp.send(new AdminUpdateUserAttributesCommand({
      UserPoolId: userPoolId,
      Username: "wendy",
      UserAttributes: [{ Name: "name", Value: "Wendy Two" }, { Name: "custom:team", Value: "blue" }, { Name: "given_name" }],
    }));
    const after = await getUser(userPoolId, "wendy");
    assert.equal(attr(after.UserAttributes, "name"), "Wendy Two");
    assert.equal(attr(after.UserAttributes, "custom:team"), "blue");
    assert.equal(attr(after.UserAttributes, "given_name"), undefined);
    assert.equal(attr(after.UserAttributes, "sub"), attr(before.UserAttributes, "sub"));
  });

  test("a new email is unverified, and with AutoVerifiedAttributes a VERIFY_ATTRIBUTE code is sent to it", async () => {
    const { userPoolId } = await createPoolAndClient(idp, { AutoVerifiedAttributes: ["email"] });
    await createUser(userPoolId, "xena", { email: "xena@example.com", email_verified: "true", phone_number: "+15555550130", phone_number_verified: "true" });
    await idp.send(new AdminUpdateUserAttributesCommand({ UserPoolId: userPoolId, Username: "xena", UserAttributes: [{ Name: "email", Value: "xena2@example.com" }] }));
    let user = await getUser(userPoolId, "xena");
    assert.equal(attr(user.UserAttributes, "email"), "xena2@example.com");
    assert.equal(attr(user.UserAttributes, "email_verified"), "false");
    const lines = deliveriesTo(userPoolId, "xena", "VERIFY_ATTRIBUTE");
    assert.equal(lines.length, 1);
    assert.match(lines[0], / to=xena2@example\.com code=\d{6}$/);
    assert.match(await t.latestCode(userPoolId, "xena", "VERIFY_ATTRIBUTE"), /^\d{6}$/);

    // The phone number is not auto-verified in this pool: unverified, but no code.
    await idp.send(new AdminUpdateUserAttributesCommand({ UserPoolId: userPoolId, Username: "xena", UserAttributes: [{ Name: "phone_number", Value: "+15555550131" }] }));
    user = await getUser(userPoolId, "xena");
    assert.equal(attr(user.UserAttributes, "phone_number_verified"), "false");
    assert.equal(deliveriesTo(userPoolId, "xena", "VERIFY_ATTRIBUTE").length, 1);

    // An administrator may set the new value as verified: no code then.
    await idp.send(new AdminUpdateUserAttributesCommand({
      UserPoolId: userPoolId,
      Username: "xena",
      UserAttributes: [{ Name: "email", Value: "xena3@example.com" }, { Name: "email_verified", Value: "true" }],
    }));
    user = await getUser(userPoolId, "xena");
    assert.equal(attr(user.UserAttributes, "email"), "xena3@example.com");
    assert.equal(attr(user.UserAttributes, "email_verified"), "true");
    assert.equal(deliveriesTo(userPoolId, "xena", "VERIFY_ATTRIBUTE").length, 1);

    // Writing the same email again changes nothing about its verification.
    await idp.send(new AdminUpdateUserAttributesCommand({ UserPoolId: userPoolId, Username: "xena", UserAttributes: [{ Name: "email", Value: "xena3@example.com" }] }));
    assert.equal(attr((await getUser(userPoolId, "xena")).UserAttributes, "email_verified"), "true");
  });

  test("an alias held by another user is refused; a freed alias can be taken", async () => {
    const { userPoolId } = await createPoolAndClient(idp, { AliasAttributes: ["email"] });
    await createUser(userPoolId, "yan", { email: "yan@example.com", email_verified: "true" });
    await createUser(userPoolId, "zoe", { email: "zoe@example.com", email_verified: "true" });
    await rejects(
      idp.send(new AdminUpdateUserAttributesCommand({ UserPoolId: userPoolId, Username: "zoe", UserAttributes: [{ Name: "email", Value: "yan@example.com" }] })),
      "AliasExistsException",
      "An account with the given email already exists.",
    );
    await idp.send(new AdminUpdateUserAttributesCommand({ UserPoolId: userPoolId, Username: "yan", UserAttributes: [{ Name: "email", Value: "yan2@example.com" }, { Name: "email_verified", Value: "true" }] }));
    await rejects(getUser(userPoolId, "yan@example.com"), "UserNotFoundException", "User does not exist.");
    assert.equal((await getUser(userPoolId, "yan2@example.com")).Username, "yan");
    await idp.send(new AdminUpdateUserAttributesCommand({ UserPoolId: userPoolId, Username: "zoe", UserAttributes: [{ Name: "email", Value: "yan@example.com" }, { Name: "email_verified", Value: "true" }] }));
    assert.equal((await getUser(userPoolId, "yan@example.com")).Username, "zoe");
  });

  test("errors: schema, immutable, required, formats, unknown user and pool, missing member", async () => {
    const { userPoolId } = await createPoolAndClient(idp, {
      Schema: [
        { Name: "family_name", AttributeDataType: "String", Required: true, Mutable: true },
        { Name: "badge", AttributeDataType: "String", Mutable: false },
      ],
    });
    await createUser(userPoolId, "abe", { family_name: "Lincoln", "custom:badge": "16" });
    const update = (UserAttributes: AttributeType[], Username = "abe", UserPoolId = userPoolId) =>
      idp.send(new AdminUpdateUserAttributesCommand({ UserPoolId, Username, UserAttributes }));
    await rejects(update([{ Name: "custom:nope", Value: "1" }]), "InvalidParameterException", "Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema.");
    await rejects(update([{ Name: "sub", Value: "x" }]), "InvalidParameterException", "Cannot modify an immutable attribute: sub");
    await rejects(update([{ Name: "custom:badge", Value: "17" }]), "InvalidParameterException", "Cannot modify an immutable attribute: custom:badge");
    await rejects(update([{ Name: "family_name" }]), "InvalidParameterException", "Attributes did not conform to the schema: family_name: The attribute family_name is required");
    await rejects(update([{ Name: "email", Value: "nope" }]), "InvalidParameterException", "Invalid email address format.");
    await rejects(update([{ Name: "phone_number", Value: "5555" }]), "InvalidParameterException", "Invalid phone number format.");
    await rejects(update([{ Name: "email_verified", Value: "yes" }]), "InvalidParameterException", "Invalid value for email_verified: must be true or false.");
    await rejects(update([{ Name: "name", Value: "x" }], "ghost"), "UserNotFoundException", "User does not exist.");
    await rejects(update([{ Name: "name", Value: "x" }], "abe", MISSING_POOL), "ResourceNotFoundException", `User pool ${MISSING_POOL} does not exist.`);
    await rejects(
      idp.send(new AdminUpdateUserAttributesCommand({ UserPoolId: userPoolId, Username: "abe" } as never)),
      "InvalidParameterException",
      "1 validation error detected: Value null at 'userAttributes' failed to satisfy constraint: Member must not be null",
    );
    const unchanged = await getUser(userPoolId, "abe");
    assert.equal(attr(unchanged.UserAttributes, "family_name"), "Lincoln");
    assert.equal(attr(unchanged.UserAttributes, "custom:badge"), "16");
  });
});

describe("AdminDeleteUserAttributes", () => {
  test("removes attributes; removing email removes email_verified", async () => {
    const { userPoolId } = await createPoolAndClient(idp);
    await createUser(userPoolId, "bea", { name: "Bea", email: "bea@example.com", email_verified: "true", locale: "en" });
    await idp.send(new AdminDeleteUserAttributesCommand({ UserPoolId: userPoolId, Username: "bea", UserAttributeNames: ["name", "email"] }));
    const user = await getUser(userPoolId, "bea");
    assert.equal(attr(user.UserAttributes, "name"), undefined);
    assert.equal(attr(user.UserAttributes, "email"), undefined);
    assert.equal(attr(user.UserAttributes, "email_verified"), undefined);
    assert.equal(attr(user.UserAttributes, "locale"), "en");
  });

  test("errors: unknown, immutable and required attributes, unknown user and pool, missing member", async () => {
    const { userPoolId } = await createPoolAndClient(idp, { Schema: [{ Name: "given_name", AttributeDataType: "String", Required: true, Mutable: true }] });
    await createUser(userPoolId, "cal", { given_name: "Cal" });
    const del = (UserAttributeNames: string[], Username = "cal", UserPoolId = userPoolId) =>
      idp.send(new AdminDeleteUserAttributesCommand({ UserPoolId, Username, UserAttributeNames }));
    await rejects(del(["custom:nope"]), "InvalidParameterException", "Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema.");
    await rejects(del(["sub"]), "InvalidParameterException", "Cannot modify an immutable attribute: sub");
    await rejects(del(["given_name"]), "InvalidParameterException", "Attributes did not conform to the schema: given_name: The attribute given_name is required");
    await rejects(del(["name"], "ghost"), "UserNotFoundException", "User does not exist.");
    await rejects(del(["name"], "cal", MISSING_POOL), "ResourceNotFoundException", `User pool ${MISSING_POOL} does not exist.`);
    await rejects(
      idp.send(new AdminDeleteUserAttributesCommand({ UserPoolId: userPoolId, Username: "cal" } as never)),
      "InvalidParameterException",
      "1 validation error detected: Value null at 'userAttributeNames' failed to satisfy constraint: Member must not be null",
    );
    assert.equal(attr((await getUser(userPoolId, "cal")).UserAttributes, "given_name"), "Cal");
  });
});

describe("AdminResetUserPassword", () => {
  test("sets RESET_REQUIRED and sends a FORGOT_PASSWORD code", async () => {
    const { userPoolId, clientId } = await createPoolAndClient(idp);
    await confirmedUser(userPoolId, "dina", { email: "dina@example.com", email_verified: "true" });
    await idp.send(new AdminResetUserPasswordCommand({ UserPoolId: userPoolId, Username: "dina" }));
    assert.equal((await getUser(userPoolId, "dina")).UserStatus, "RESET_REQUIRED");
    const lines = deliveriesTo(userPoolId, "dina", "FORGOT_PASSWORD");
    assert.equal(lines.length, 1);
    assert.match(lines[0], / to=dina@example\.com code=\d{6}$/);
    assert.match(await t.latestCode(userPoolId, "dina", "FORGOT_PASSWORD"), /^\d{6}$/);
    await rejects(adminSignIn(userPoolId, clientId, "dina", PERMANENT_PASSWORD), "PasswordResetRequiredException", "Password reset required for the user");
  });

  test("errors: unknown user and pool", async () => {
    const { userPoolId } = await createPoolAndClient(idp);
    await rejects(idp.send(new AdminResetUserPasswordCommand({ UserPoolId: userPoolId, Username: "ghost" })), "UserNotFoundException", "User does not exist.");
    await rejects(idp.send(new AdminResetUserPasswordCommand({ UserPoolId: MISSING_POOL, Username: "ghost" })), "ResourceNotFoundException", `User pool ${MISSING_POOL} does not exist.`);
  });
});

describe("AdminUserGlobalSignOut", () => {
  test("revokes every access and refresh token of the user", async () => {
    const { userPoolId, clientId } = await createPoolAndClient(idp);
    await confirmedUser(userPoolId, "eve");
    const first = (await adminSignIn(userPoolId, clientId, "eve", PERMANENT_PASSWORD)).AuthenticationResult!;
    const second = (await adminSignIn(userPoolId, clientId, "eve", PERMANENT_PASSWORD)).AuthenticationResult!;
    assert.equal((await idp.send(new GetUserCommand({ AccessToken: first.AccessToken }))).Username, "eve");
    await idp.send(new AdminUserGlobalSignOutCommand({ UserPoolId: userPoolId, Username: "eve" }));
    for (const tokens of [first, second]) {
      await rejects(idp.send(new GetUserCommand({ AccessToken: tokens.AccessToken })), "NotAuthorizedException", "Access Token has been revoked");
      await rejects(
        idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken! } })),
        "NotAuthorizedException",
        /Refresh Token has been revoked|Invalid Refresh Token/,
      );
    }
    // Signing in again works.
    const fresh = (await adminSignIn(userPoolId, clientId, "eve", PERMANENT_PASSWORD)).AuthenticationResult!;
    assert.equal((await idp.send(new GetUserCommand({ AccessToken: fresh.AccessToken }))).Username, "eve");
  });

  test("errors: unknown user and pool", async () => {
    const { userPoolId } = await createPoolAndClient(idp);
    await rejects(idp.send(new AdminUserGlobalSignOutCommand({ UserPoolId: userPoolId, Username: "ghost" })), "UserNotFoundException", "User does not exist.");
    await rejects(idp.send(new AdminUserGlobalSignOutCommand({ UserPoolId: MISSING_POOL, Username: "ghost" })), "ResourceNotFoundException", `User pool ${MISSING_POOL} does not exist.`);
  });
});

describe("ListUsers", () => {
  async function listAll(input: { UserPoolId: string; Limit?: number; Filter?: string }): Promise<{ users: UserType[]; pages: number }> {
    const users: UserType[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const res = await idp.send(new ListUsersCommand({ ...input, PaginationToken: token }));
      users.push(...(res.Users ?? []));
      token = res.PaginationToken;
      pages++;
    } while (token && pages < 1000);
    return { users, pages };
  }

  test("pages through every user exactly once, in creation order", async () => {
    const { userPoolId } = await createPoolAndClient(idp);
    const names = Array.from({ length: 7 }, (_, i) => `user${i}`);
    for (const n of names) await createUser(userPoolId, n, { email: `${n}@example.com` });
    const first = await idp.send(new ListUsersCommand({ UserPoolId: userPoolId, Limit: 3 }));
    assert.equal(first.Users?.length, 3);
    assert.ok(first.PaginationToken);
    const { users, pages } = await listAll({ UserPoolId: userPoolId, Limit: 3 });
    assert.equal(pages, 3);
    assert.deepEqual(users.map((u) => u.Username), names);
    const u = users[0];
    assert.deepEqual(Object.keys(u).sort(), ["Attributes", "Enabled", "UserCreateDate", "UserLastModifiedDate", "UserStatus", "Username"]);
    assert.equal(attr(u.Attributes, "email"), "user0@example.com");
    const all = await idp.send(new ListUsersCommand({ UserPoolId: userPoolId }));
    assert.equal(all.Users?.length, 7);
    assert.equal(all.PaginationToken, undefined);
  });

  test("pagination neither repeats nor skips users when others change between pages", async () => {
    const { userPoolId } = await createPoolAndClient(idp);
    for (let i = 0; i < 6; i++) await createUser(userPoolId, `p${i}`);
    const page1 = await idp.send(new ListUsersCommand({ UserPoolId: userPoolId, Limit: 2 }));
    assert.deepEqual(page1.Users?.map((u) => u.Username), ["p0", "p1"]);
    // Changing a listed user, deleting the last listed one and adding a new one must not disturb the walk.
    await idp.send(new AdminUpdateUserAttributesCommand({ UserPoolId: userPoolId, Username: "p0", UserAttributes: [{ Name: "name", Value: "changed" }] }));
    await idp.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: "p1" }));
    await createUser(userPoolId, "p6");
    const rest: string[] = [];
    let token = page1.PaginationToken;
    while (token) {
      const res = await idp.send(new ListUsersCommand({ UserPoolId: userPoolId, Limit: 2, PaginationToken: token }));
      rest.push(...(res.Users ?? []).map((u) => u.Username!));
      token = res.PaginationToken;
    }
    assert.deepEqual(rest, ["p2", "p3", "p4", "p5", "p6"]);
  });

  test("AttributesToGet returns only the named attributes", async () => {
    const { userPoolId } = await createPoolAndClient(idp);
    await createUser(userPoolId, "fay", { email: "fay@example.com", name: "Fay" });
    const res = await idp.send(new ListUsersCommand({ UserPoolId: userPoolId, AttributesToGet: ["email"] }));
    assert.deepEqual(res.Users?.[0].Attributes, [{ Name: "email", Value: "fay@example.com" }]);
    const none = await idp.send(new ListUsersCommand({ UserPoolId: userPoolId, AttributesToGet: [] }));
    assert.deepEqual(none.Users?.[0].Attributes, []);
    assert.equal(none.Users?.[0].Username, "fay");
  });

  test("filters with = and ^= on the searchable attributes", async () => {
    const { userPoolId } = await createPoolAndClient(idp);
    const gus = await confirmedUser(userPoolId, "gus", { email: "gus@example.com", given_name: "Gus", family_name: "Grey", phone_number: "+15555550140", preferred_username: "gg" });
    await createUser(userPoolId, "gwen", { email: "gwen@example.org", given_name: "Gwen", family_name: "Grey", name: "Gwen Grey" });
    await createUser(userPoolId, "hal", { email: "hal@example.com", name: "Hal" });
    await idp.send(new AdminDisableUserCommand({ UserPoolId: userPoolId, Username: "hal" }));
    const names = async (Filter: string) => (await listAll({ UserPoolId: userPoolId, Filter })).users.map((u) => u.Username).sort();
    assert.deepEqual(await names('username = "gus"'), ["gus"]);
    assert.deepEqual(await names('username ^= "g"'), ["gus", "gwen"]);
    assert.deepEqual(await names('email = "gwen@example.org"'), ["gwen"]);
    assert.deepEqual(await names('email ^= "g"'), ["gus", "gwen"]);
    assert.deepEqual(await names('email ^= "hal@"'), ["hal"]);
    assert.deepEqual(await names('phone_number = "+15555550140"'), ["gus"]);
    assert.deepEqual(await names('name ^= "Gwen"'), ["gwen"]);
    assert.deepEqual(await names('given_name = "Gus"'), ["gus"]);
    assert.deepEqual(await names('family_name = "Grey"'), ["gus", "gwen"]);
    assert.deepEqual(await names('preferred_username = "gg"'), ["gus"]);
    assert.deepEqual(await names('cognito:user_status = "CONFIRMED"'), ["gus"]);
    assert.deepEqual(await names('cognito:user_status = "force_change_password"'), ["gwen", "hal"]);
    assert.deepEqual(await names('status = "Disabled"'), ["hal"]);
    assert.deepEqual(await names('status = "Enabled"'), ["gus", "gwen"]);
    assert.deepEqual(await names(`sub = "${attr(gus.Attributes, "sub")}"`), ["gus"]);
    assert.deepEqual(await names('sub = "00000000-0000-0000-0000-000000000000"'), []);
    assert.deepEqual(await names('email = "nobody@example.com"'), []);
    assert.deepEqual(await names('name = "Gwen \\"G\\" Grey"'), []);
    assert.deepEqual(await names(""), ["gus", "gwen", "hal"]);
    // The limit counts matching users only.
    const paged = await listAll({ UserPoolId: userPoolId, Filter: 'family_name = "Grey"', Limit: 1 });
    assert.deepEqual(paged.users.map((u) => u.Username), ["gus", "gwen"]);
  });

  test("errors: bad filters, limits, tokens and attributes, unknown pool", async () => {
    const { userPoolId } = await createPoolAndClient(idp);
    const list = (input: Partial<{ Filter: string; Limit: number; PaginationToken: string; AttributesToGet: string[] }>, UserPoolId = userPoolId) =>
      idp.send(new ListUsersCommand({ UserPoolId, ...input }));
    await rejects(list({ Filter: "email" }), "InvalidParameterException", "Error while parsing filter.");
    await rejects(list({ Filter: 'email = gus@example.com' }), "InvalidParameterException", "Error while parsing filter.");
    await rejects(list({ Filter: 'email = "unterminated' }), "InvalidParameterException", "Error while parsing filter.");
    await rejects(list({ Filter: 'email != "x"' }), "InvalidParameterException", "Error while parsing filter.");
    await rejects(list({ Filter: 'custom:team = "x"' }), "InvalidParameterException", "Invalid search attribute: custom:team");
    await rejects(list({ Filter: 'address = "x"' }), "InvalidParameterException", "Invalid search attribute: address");
    await rejects(list({ Limit: 61 }), "InvalidParameterException", "1 validation error detected: Value '61' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60");
    await rejects(list({ PaginationToken: "bogus" }), "InvalidParameterException", "Invalid pagination token.");
    await rejects(list({ AttributesToGet: ["custom:nope"] }), "InvalidParameterException", "One or more requested attributes do not exist: custom:nope");
    await rejects(list({}, MISSING_POOL), "ResourceNotFoundException", `User pool ${MISSING_POOL} does not exist.`);
  });
});
