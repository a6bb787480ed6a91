// An app client's secrets: a confidential client has one or two active secrets (AddUserPoolClientSecret adds the
// second, for rotation without downtime), and every one of them authenticates the client wherever a secret is checked
// (SECRET_HASH, ClientSecret members, the OAuth endpoints' client authentication).
import { timingSafeEqual } from "node:crypto";
import type { AppClientRecord, ClientSecretRecord } from "./model";

/** The id AWS gives a secret: `<client-id>--<epoch-create-time>` (milliseconds). */
export function clientSecretId(clientId: string, createdAtMs: number): string {
  return `${clientId}--${createdAtMs}`;
}

/** The client's active secrets, oldest first (a record of an earlier version has only ClientSecret). */
export function clientSecretsOf(client: AppClientRecord): ClientSecretRecord[] {
  if (client.secrets) return client.secrets;
  if (!client.ClientSecret) return [];
  return [{ id: clientSecretId(client.ClientId, client.CreationDate * 1000), value: client.ClientSecret, createdAt: client.CreationDate }];
}

/** The client with `secrets` as its active secrets: ClientSecret is the oldest of them. */
export function withClientSecrets(client: AppClientRecord, secrets: ClientSecretRecord[]): AppClientRecord {
  return { ...client, secrets, ClientSecret: secrets[0]?.value };
}

/** True when `given` is one of the client's active secrets (compared in constant time). */
export function isClientSecret(client: AppClientRecord, given: string): boolean {
  const bytes = Buffer.from(given);
  let found = false;
  for (const secret of clientSecretsOf(client)) {
    const expected = Buffer.from(secret.value);
    if (expected.length === bytes.length && timingSafeEqual(expected, bytes)) found = true;
  }
  return found;
}
