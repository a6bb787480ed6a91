// cognito-idp self-service registration and recovery: SignUp, ConfirmSignUp, ResendConfirmationCode, ForgotPassword and
// ConfirmForgotPassword. Codes are six digits, written to the log and the local-only code route.
import * as errors from "../errors";
import { attributeList, optionalString, requiredString } from "../input";
import type { UserRecord } from "../model";
import type { OperationTable, ServiceContext } from "../context";
import { checkAliasesFree, newUser, passwordRecord } from "../user-records";
import { decoyDelivery, hidesUserExistence } from "../user-existence";

export function signUpOperations(ctx: ServiceContext): OperationTable {
  const { state } = ctx;
  return {
    SignUp(input) {
      const client = ctx.requireClient(requiredString(input, "ClientId"));
      const pool = ctx.requirePool(client.UserPoolId);
      const username = requiredString(input, "Username");
      const password = requiredString(input, "Password");
      if (pool.adminCreateUserOnly) throw errors.notAuthorized("SignUp is not permitted for this user pool");
      ctx.checkSecretHash(client, username, optionalString(input, "SecretHash"));
      ctx.checkPasswordPolicy(pool, password);
      const draft = newUser(ctx, pool, username, attributeList(input, "UserAttributes"), "UNCONFIRMED");
      // Existence is checked and the user stored in the same tick: concurrent SignUps of one name give one user.
      if (state.userByUsername(pool, draft.username)) throw errors.usernameExists("User already exists");
      checkAliasesFree(ctx, pool, draft, draft.attributes);
      const user: UserRecord = { ...draft, password: passwordRecord(pool, draft, password) };
      state.putUser(pool, user);
      const verify = pool.autoVerifiedAttributes.find((a) => user.attributes[a] !== undefined);
      const delivery = verify ? ctx.issueCode(pool, user, "SIGN_UP", verify) : undefined;
      return { UserConfirmed: false, UserSub: user.sub, ...(delivery ? { CodeDeliveryDetails: delivery } : {}) };
    },
    ConfirmSignUp(input) {
      const client = ctx.requireClient(requiredString(input, "ClientId"));
      const pool = ctx.requirePool(client.UserPoolId);
      const username = requiredString(input, "Username");
      const code = requiredString(input, "ConfirmationCode");
      ctx.checkSecretHash(client, username, optionalString(input, "SecretHash"));
      const user = state.findUser(pool, username);
      // Hiding user existence, an unknown name gets what a wrong code gets.
      if (!user && hidesUserExistence(client)) throw errors.codeMismatch("Invalid verification code provided, please try again.");
      if (!user) throw errors.userNotFound("User does not exist.");
      if (user.status !== "UNCONFIRMED") throw errors.notAuthorized(`User cannot be confirmed. Current status is ${user.status}`);
      const pending = state.pendingCode(pool.Id, user.username, "SIGN_UP");
      ctx.consumeCode(pool, user, "SIGN_UP", code);
      const attributes = { ...user.attributes };
      if (pending?.attribute) attributes[`${pending.attribute}_verified`] = "true";
      state.putUser(pool, { ...user, attributes, status: "CONFIRMED", lastModifiedAt: ctx.now() });
      return {};
    },
    ResendConfirmationCode(input) {
      const client = ctx.requireClient(requiredString(input, "ClientId"));
      const pool = ctx.requirePool(client.UserPoolId);
      const username = requiredString(input, "Username");
      ctx.checkSecretHash(client, username, optionalString(input, "SecretHash"));
      const user = state.findUser(pool, username);
      // Hiding user existence, an unknown name is "sent" a code to a simulated destination.
      if (!user && hidesUserExistence(client)) return { CodeDeliveryDetails: decoyDelivery(ctx, pool, username) };
      if (!user) throw errors.userNotFound("User does not exist.");
      if (user.status !== "UNCONFIRMED") throw errors.invalidParameter("User is already confirmed.");
      const attribute = pool.autoVerifiedAttributes.find((a) => user.attributes[a] !== undefined) ?? (user.attributes.email ? "email" : "phone_number");
      if (!user.attributes[attribute]) throw errors.invalidParameter("Cannot send a code: the user has no email or phone_number.");
      return { CodeDeliveryDetails: ctx.issueCode(pool, user, "SIGN_UP", attribute) };
    },
    ForgotPassword(input) {
      const client = ctx.requireClient(requiredString(input, "ClientId"));
      const pool = ctx.requirePool(client.UserPoolId);
      const username = requiredString(input, "Username");
      ctx.checkSecretHash(client, username, optionalString(input, "SecretHash"));
      const user = state.findUser(pool, username);
      if (!user) {
        if (hidesUserExistence(client)) return { CodeDeliveryDetails: decoyDelivery(ctx, pool, username) };
        throw errors.userNotFound("User does not exist.");
      }
      if (!user.enabled) throw errors.notAuthorized("User is disabled.");
      const attribute = user.attributes.email_verified === "true" ? "email" : user.attributes.phone_number_verified === "true" ? "phone_number" : undefined;
      if (!attribute) {
        // AWS sends the code to an unverified address only while the user is still UNCONFIRMED or RESET_REQUIRED.
        const fallback = user.attributes.email ? "email" : user.attributes.phone_number ? "phone_number" : undefined;
        if (!fallback || user.status === "CONFIRMED") throw errors.invalidParameter("Cannot reset password for the user as there is no registered/verified email or phone_number");
        return { CodeDeliveryDetails: ctx.issueCode(pool, user, "FORGOT_PASSWORD", fallback) };
      }
      return { CodeDeliveryDetails: ctx.issueCode(pool, user, "FORGOT_PASSWORD", attribute) };
    },
    ConfirmForgotPassword(input) {
      const client = ctx.requireClient(requiredString(input, "ClientId"));
      const pool = ctx.requirePool(client.UserPoolId);
      const username = requiredString(input, "Username");
      const code = requiredString(input, "ConfirmationCode");
      const password = requiredString(input, "Password");
      ctx.checkSecretHash(client, username, optionalString(input, "SecretHash"));
      const user = state.findUser(pool, username);
      if (!user && !hidesUserExistence(client)) throw errors.userNotFound("User does not exist.");
      ctx.checkPasswordPolicy(pool, password);
      // Hiding user existence, an unknown name gets what a wrong code gets.
      if (!user) throw errors.codeMismatch("Invalid verification code provided, please try again.");
      ctx.consumeCode(pool, user, "FORGOT_PASSWORD", code);
      state.putUser(pool, {
        ...user,
        password: passwordRecord(pool, user, password),
        status: user.status === "UNCONFIRMED" ? "UNCONFIRMED" : "CONFIRMED",
        failedSignIns: 0,
        lockedUntil: undefined,
        lastModifiedAt: ctx.now(),
      });
      return {};
    },
  };
}
