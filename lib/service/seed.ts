// Seed files for the standalone service: pools, app clients, groups and users to create at start, applied through the
// service's own wire API with the AWS SDK, and idempotent (a pool that already exists by name is left as it is).
import {
  AdminAddUserToGroupCommand, AdminCreateUserCommand, AdminSetUserPasswordCommand, CognitoIdentityProviderClient, CreateGroupCommand,
  CreateUserPoolClientCommand, CreateUserPoolCommand, ListUserPoolClientsCommand, ListUserPoolsCommand,
  type CreateUserPoolClientCommandInput, type CreateUserPoolCommandInput,
} from "@aws-sdk/client-cognito-identity-provider";

export interface SeedUser {
  Username: string;
  /** A permanent password: the user is CONFIRMED. */
  Password?: string;
  Attributes?: Record<string, string>;
  Groups?: string[];
}

export interface SeedPool extends Omit<CreateUserPoolCommandInput, "PoolName"> {
  PoolName: string;
  Clients?: Array<Omit<CreateUserPoolClientCommandInput, "UserPoolId">>;
  Groups?: string[];
  Users?: SeedUser[];
}

export interface SeedFile {
  UserPools: SeedPool[];
}

/** Creates what the seed names and returns one line per pool and client with their ids. */
export async function applySeed(url: string, region: string, seed: SeedFile): Promise<string[]> {
  const idp = new CognitoIdentityProviderClient({ endpoint: url, region, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  const lines: string[] = [];
  try {
    const existing = (await idp.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools ?? [];
    for (const { Clients = [], Groups = [], Users = [], ...poolInput } of seed.UserPools ?? []) {
      const found = existing.find((p) => p.Name === poolInput.PoolName);
      if (found) {
        const clients = (await idp.send(new ListUserPoolClientsCommand({ UserPoolId: found.Id, MaxResults: 60 }))).UserPoolClients ?? [];
        lines.push(`pool ${poolInput.PoolName}: ${found.Id} (existing)`);
        for (const c of clients) lines.push(`  client ${c.ClientName}: ${c.ClientId}`);
        continue;
      }
      const pool = await idp.send(new CreateUserPoolCommand(poolInput));
      const UserPoolId = pool.UserPool!.Id!;
      lines.push(`pool ${poolInput.PoolName}: ${UserPoolId}`);
      for (const clientInput of Clients) {
        const c = await idp.send(new CreateUserPoolClientCommand({ ...clientInput, UserPoolId }));
        lines.push(`  client ${clientInput.ClientName}: ${c.UserPoolClient!.ClientId}`);
      }
      for (const GroupName of Groups) await idp.send(new CreateGroupCommand({ UserPoolId, GroupName }));
      for (const user of Users) {
        const UserAttributes = Object.entries(user.Attributes ?? {}).map(([Name, Value]) => ({ Name, Value }));
        await idp.send(new AdminCreateUserCommand({ UserPoolId, Username: user.Username, UserAttributes, MessageAction: "SUPPRESS" }));
        if (user.Password) await idp.send(new AdminSetUserPasswordCommand({ UserPoolId, Username: user.Username, Password: user.Password, Permanent: true }));
        for (const GroupName of user.Groups ?? []) await idp.send(new AdminAddUserToGroupCommand({ UserPoolId, Username: user.Username, GroupName }));
      }
    }
  } finally {
    idp.destroy();
  }
  return lines;
}
