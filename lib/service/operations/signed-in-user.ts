// cognito-idp operations a signed-in user makes with an access token: GetUser, attribute changes and verification,
// ChangePassword, DeleteUser, GlobalSignOut and RevokeToken. Each verifies the token first (signature, expiry, use,
// revocation, user enabled).
import { isClientSecret } from "../client-secrets";
import * as errors from "../errors";
import { attributeList, optionalString, optionalStringList, optionalStringMap, requiredString } from "../input";
import type { OperationTable, ServiceContext } from "../context";
import { signOutEverywhere, verifyAccessToken } from "../sessions";
import { checkNotLockedOut, recordFailedSignIn } from "../sign-in-failures";
import { runCustomMessage } from "../trigger-hooks";
import { applyAttributeChanges, attributeView, deleteAttributes, mfaSettingList, passwordMatches, passwordRecord } from "../user-records";

export function signedInUserOperations(ctx: ServiceContext): OperationTable {
  const { state } = ctx;
  return {
    GetUser(input) {
      const { user } = verifyAccessToken(ctx, requiredString(input, "AccessToken"));
      const mfaList = mfaSettingList(user);
      return {
        Username: user.username,
        UserAttributes: attributeView(user),
        ...(user.mfa.smsEnabled ? { MFAOptions: [{ DeliveryMedium: "SMS", AttributeName: "phone_number" }] } : {}),
        ...(mfaList.length ? { UserMFASettingList: mfaList, PreferredMfaSetting: user.mfa.preferred ?? mfaList[0] } : {}),
      };
    },
    async UpdateUserAttributes(input) {
      const { pool, client, user } = verifyAccessToken(ctx, requiredString(input, "AccessToken"));
      const changes = attributeList(input, "UserAttributes");
      const clientMetadata = optionalStringMap(input, "ClientMetadata");
      if (changes.length === 0) throw errors.invalidParameter("UserAttributes must not be empty.");
      // An empty (or missing) Value removes the attribute, as on AWS (the cognito-user-pool wrapper relies on it).
      const { deliveries } = await applyAttributeChanges(ctx, pool, user, changes, client.ClientId, clientMetadata);
      return { CodeDeliveryDetailsList: deliveries };
    },
    DeleteUserAttributes(input) {
      const { pool, user } = verifyAccessToken(ctx, requiredString(input, "AccessToken"));
      const names = optionalStringList(input, "UserAttributeNames");
      if (!names) throw errors.invalidParameter("1 validation error detected: Value null at 'userAttributeNames' failed to satisfy constraint: Member must not be null");
      deleteAttributes(ctx, pool, user, names);
      return {};
    },
    async GetUserAttributeVerificationCode(input) {
      const { pool, client, user } = verifyAccessToken(ctx, requiredString(input, "AccessToken"));
      const attribute = requiredString(input, "AttributeName");
      const clientMetadata = optionalStringMap(input, "ClientMetadata");
      if (attribute !== "email" && attribute !== "phone_number") throw errors.invalidParameter(`Invalid attribute name ${attribute}: only email and phone_number can be verified.`);
      if (!user.attributes[attribute]) throw errors.invalidParameter(`The user has no ${attribute} to verify.`);
      const message = await runCustomMessage(ctx, pool, "VerifyUserAttribute", user, client.ClientId, clientMetadata);
      return { CodeDeliveryDetails: ctx.issueCode(pool, user, "VERIFY_ATTRIBUTE", attribute, message) };
    },
    VerifyUserAttribute(input) {
      const { pool, user } = verifyAccessToken(ctx, requiredString(input, "AccessToken"));
      const attribute = requiredString(input, "AttributeName");
      const code = requiredString(input, "Code");
      ctx.consumeCode(pool, user, "VERIFY_ATTRIBUTE", code, attribute);
      state.putUser(pool, { ...user, attributes: { ...user.attributes, [`${attribute}_verified`]: "true" }, lastModifiedAt: ctx.now() });
      return {};
    },
    ChangePassword(input) {
      const { pool, user } = verifyAccessToken(ctx, requiredString(input, "AccessToken"));
      const previous = optionalString(input, "PreviousPassword");
      const proposed = requiredString(input, "ProposedPassword");
      if (previous === undefined) throw errors.invalidParameter("PreviousPassword is required.");
      checkNotLockedOut(ctx, { pool, user });
      if (!passwordMatches(pool, user, previous)) {
        recordFailedSignIn(ctx, { pool, user });
        throw errors.notAuthorized("Incorrect username or password.");
      }
      ctx.checkPasswordPolicy(pool, proposed);
      state.putUser(pool, { ...user, password: passwordRecord(pool, user, proposed), failedSignIns: 0, lockedUntil: undefined, lastModifiedAt: ctx.now() });
      return {};
    },
    DeleteUser(input) {
      const { user } = verifyAccessToken(ctx, requiredString(input, "AccessToken"));
      state.deleteUser(user);
      return {};
    },
    GlobalSignOut(input) {
      const { pool, user } = verifyAccessToken(ctx, requiredString(input, "AccessToken"));
      signOutEverywhere(ctx, pool, user);
      return {};
    },
    RevokeToken(input) {
      const token = requiredString(input, "Token");
      const client = ctx.requireClient(requiredString(input, "ClientId"));
      if (client.ClientSecret && !isClientSecret(client, optionalString(input, "ClientSecret") ?? "")) throw errors.notAuthorized(`Unable to verify secret for client ${client.ClientId}`);
      if (!client.EnableTokenRevocation) throw new errors.CognitoError("UnsupportedOperationException", "Token revocation is not enabled for this client.");
      const session = state.sessionByRefreshToken(token);
      if (!session) {
        if (token.split(".").length === 3) throw errors.unsupportedTokenType("Only refresh tokens can be revoked.");
        throw errors.notAuthorized("Invalid token");
      }
      if (session.clientId !== client.ClientId) throw errors.notAuthorized("Invalid token");
      if (!session.revoked) state.putSession({ ...session, revoked: true });
      return {};
    },
  };
}
