// The passkey operations of a signed-in user (access token with aws.cognito.signin.user.admin): StartWebAuthnRegistration,
// CompleteWebAuthnRegistration, ListWebAuthnCredentials (paged) and DeleteWebAuthnCredential. The WebAuthn ceremonies and
// the passkey records are ../webauthn.ts.
import * as errors from "../errors";
import { requiredString } from "../input";
import type { OperationTable, ServiceContext } from "../context";
import { pageAfter, readLimit, readPageToken } from "../paging";
import { verifyAccessToken } from "../sessions";
import { completeRegistration, MAX_PASSKEYS_PER_USER, passkeysOf, passkeysOfUser, startRegistration, type PasskeyRecord } from "../webauthn";

/** ListWebAuthnCredentials' description of a passkey. */
function describe(passkey: PasskeyRecord) {
  return {
    CredentialId: passkey.credentialId,
    FriendlyCredentialName: passkey.friendlyName,
    RelyingPartyId: passkey.relyingPartyId,
    ...(passkey.authenticatorAttachment ? { AuthenticatorAttachment: passkey.authenticatorAttachment } : {}),
    AuthenticatorTransports: passkey.transports,
    CreatedAt: passkey.createdAt,
  };
}

export function webAuthnCredentialOperations(ctx: ServiceContext): OperationTable {
  // The store's index must follow every change from the start (also those of operations that never list passkeys).
  passkeysOf(ctx);
  return {
    async StartWebAuthnRegistration(input) {
      const { pool, user, client } = verifyAccessToken(ctx, requiredString(input, "AccessToken"));
      return { CredentialCreationOptions: await startRegistration(ctx, pool, user, client.ClientId) };
    },
    async CompleteWebAuthnRegistration(input) {
      const accessToken = requiredString(input, "AccessToken");
      if (input.Credential === undefined || input.Credential === null) throw errors.missingMember("Credential");
      const { pool, user, client } = verifyAccessToken(ctx, accessToken);
      await completeRegistration(ctx, pool, user, client.ClientId, input.Credential);
      return {};
    },
    ListWebAuthnCredentials(input) {
      const { pool, user } = verifyAccessToken(ctx, requiredString(input, "AccessToken"));
      const limit = readLimit(input, "MaxResults", MAX_PASSKEYS_PER_USER);
      const after = readPageToken(input, "NextToken");
      const { page, nextToken } = pageAfter(passkeysOfUser(ctx, pool, user), (p) => [p.createdAt, p.credentialId], after, limit);
      return { Credentials: page.map(describe), ...(nextToken ? { NextToken: nextToken } : {}) };
    },
    DeleteWebAuthnCredential(input) {
      const { pool, user } = verifyAccessToken(ctx, requiredString(input, "AccessToken"));
      const credentialId = requiredString(input, "CredentialId");
      const store = passkeysOf(ctx);
      const passkey = store.get(pool.Id, credentialId);
      if (!passkey || passkey.username !== user.username || passkey.sub !== user.sub) throw errors.resourceNotFound("Credential not found.");
      store.delete(passkey);
      return {};
    },
  };
}
