// cognito-idp operations on a confidential app client's secrets, for rotation without downtime: AddUserPoolClientSecret
// (a generated or given secret; at most two active), ListUserPoolClientSecrets (ids and dates, never the values) and
// DeleteUserPoolClientSecret (never the last one). Every active secret authenticates the client (../client-secrets.ts).
import * as errors from "../errors";
import { newClientSecret } from "../ids";
import { optionalString, requiredString, type Input } from "../input";
import type { AppClientRecord } from "../model";
import type { OperationTable, ServiceContext } from "../context";
import { clientSecretId, clientSecretsOf, withClientSecrets } from "../client-secrets";

/** Active secrets a client may have at once (AWS's limit). */
export const MAX_CLIENT_SECRETS = 2;
const GIVEN_SECRET = /^[\w+]+$/;

export function clientSecretOperations(ctx: ServiceContext): OperationTable {
  const { state } = ctx;
  const confidentialClient = (input: Input): AppClientRecord => {
    const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
    const client = ctx.requireClient(requiredString(input, "ClientId"), pool);
    if (!client.ClientSecret) throw errors.invalidParameter(`Client ${client.ClientId} does not have a client secret.`);
    return client;
  };
  return {
    AddUserPoolClientSecret(input) {
      const given = optionalString(input, "ClientSecret");
      if (given !== undefined) checkGivenSecret(given);
      const client = confidentialClient(input);
      const secrets = clientSecretsOf(client);
      if (secrets.length >= MAX_CLIENT_SECRETS) throw errors.limitExceeded(`An app client can have at most ${MAX_CLIENT_SECRETS} client secrets.`);
      if (given !== undefined && secrets.some((s) => s.value === given)) throw errors.invalidParameter("The client secret is already a secret of this app client.");
      // Ids carry the creation time in milliseconds; two secrets never share one.
      const createdMs = Math.max(ctx.nowMs(), ...secrets.map((s) => Number(s.id.slice(s.id.lastIndexOf("-") + 1)) + 1));
      const secret = { id: clientSecretId(client.ClientId, createdMs), value: given ?? newClientSecret(), createdAt: Math.floor(createdMs / 1000) };
      state.putClient({ ...withClientSecrets(client, [...secrets, secret]), LastModifiedDate: ctx.now() });
      // The value is shown once, and only when Cognito made it.
      return { ClientSecretDescriptor: { ClientSecretId: secret.id, ...(given === undefined ? { ClientSecretValue: secret.value } : {}), ClientSecretCreateDate: secret.createdAt } };
    },
    ListUserPoolClientSecrets(input) {
      optionalString(input, "NextToken");
      const client = confidentialClient(input);
      return { ClientSecrets: clientSecretsOf(client).map((s) => ({ ClientSecretId: s.id, ClientSecretCreateDate: s.createdAt })) };
    },
    DeleteUserPoolClientSecret(input) {
      const secretId = requiredString(input, "ClientSecretId");
      if (secretId.length < 1 || secretId.length > 128) {
        throw errors.invalidParameter("1 validation error detected: Value at 'clientSecretId' failed to satisfy constraint: Member must have length between 1 and 128");
      }
      const client = confidentialClient(input);
      const secrets = clientSecretsOf(client);
      if (!secrets.some((s) => s.id === secretId)) throw errors.resourceNotFound(`Client secret ${secretId} does not exist for client ${client.ClientId}.`);
      if (secrets.length === 1) throw errors.invalidParameter("The last client secret of an app client can not be deleted.");
      state.putClient({ ...withClientSecrets(client, secrets.filter((s) => s.id !== secretId)), LastModifiedDate: ctx.now() });
      return {};
    },
  };
}

/** A secret the caller chooses: 24 to 64 word characters or `+` (AWS's ClientSecretType). */
function checkGivenSecret(secret: string): void {
  if (secret.length < 24 || secret.length > 64) {
    throw errors.invalidParameter("1 validation error detected: Value at 'clientSecret' failed to satisfy constraint: Member must have length between 24 and 64");
  }
  if (!GIVEN_SECRET.test(secret)) {
    throw errors.invalidParameter("1 validation error detected: Value at 'clientSecret' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+]+");
  }
}
