// DeleteUserPool removes what belongs to the pool: its resource servers, domain, identity providers, branding style,
// replicas, log export settings, UI customization and app clients. Checked through the AWS SDK v3 (the domain is free
// again) and in the durable state afterwards (no record of the pool is left in any collection); another pool's records
// and the account-level provisioned limits stay.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import {
  CreateIdentityProviderCommand, CreateManagedLoginBrandingCommand, CreateResourceServerCommand, CreateUserPoolClientCommand, CreateUserPoolCommand,
  CreateUserPoolDomainCommand, CreateUserPoolReplicaCommand, DeleteUserPoolCommand, DescribeResourceServerCommand, DescribeUserPoolDomainCommand,
  GetProvisionedLimitCommand, SetLogDeliveryConfigurationCommand, SetUICustomizationCommand, UpdateProvisionedLimitCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { startTestService, type TestService } from "../support/local-service";
import { DurableStore } from "../../lib/service/store";

/** Creates a pool with one of everything that belongs to a pool; `domain` is its prefix domain. */
async function furnishedPool(t: TestService, domain: string): Promise<{ userPoolId: string; clientId: string }> {
  const userPoolId = (await t.idp.send(new CreateUserPoolCommand({ PoolName: domain, UserPoolTier: "PLUS" }))).UserPool!.Id!;
  const clientId = (await t.idp.send(new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: "web" }))).UserPoolClient!.ClientId!;
  await t.idp.send(new CreateResourceServerCommand({ UserPoolId: userPoolId, Identifier: "https://api.example.com", Name: "api", Scopes: [{ ScopeName: "read", ScopeDescription: "Read" }] }));
  await t.idp.send(new CreateUserPoolDomainCommand({ UserPoolId: userPoolId, Domain: domain }));
  await t.idp.send(new CreateIdentityProviderCommand({
    UserPoolId: userPoolId, ProviderName: "Corp", ProviderType: "OIDC",
    ProviderDetails: { client_id: "cid", client_secret: "secret", attributes_request_method: "GET", oidc_issuer: "https://idp.example.com", authorize_scopes: "openid",
      authorize_url: "https://idp.example.com/authorize", token_url: "https://idp.example.com/token", attributes_url: "https://idp.example.com/userinfo", jwks_uri: "https://idp.example.com/jwks" },
  }));
  await t.idp.send(new CreateManagedLoginBrandingCommand({ UserPoolId: userPoolId, ClientId: clientId, Settings: { categories: { global: { colorSchemeMode: "DARK" } } } }));
  await t.idp.send(new CreateUserPoolReplicaCommand({ UserPoolId: userPoolId, RegionName: "eu-west-1" }));
  await t.idp.send(new SetLogDeliveryConfigurationCommand({
    UserPoolId: userPoolId, LogConfigurations: [{ EventSource: "userAuthEvents", LogLevel: "INFO", S3Configuration: { BucketArn: "arn:aws:s3:::activity" } }],
  }));
  await t.idp.send(new SetUICustomizationCommand({ UserPoolId: userPoolId, CSS: ".banner-customizable { background-color: black; }" }));
  return { userPoolId, clientId };
}

describe("deleting a user pool", () => {
  it("removes its resource servers, domain, identity providers, branding, replicas and log settings, and nothing of other pools", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cognito-pool-deletion-"));
    const collections = ["resourceServers", "identityProviders", "managedLoginBranding", "managedLoginBrandingByClient", "userPoolReplicas", "logDelivery", "poolSettings", "clients"];
    try {
      const t = await startTestService({ dataDir });
      let deleted: { userPoolId: string };
      let kept: { userPoolId: string };
      try {
        deleted = await furnishedPool(t, "deleted-pool-domain");
        kept = await furnishedPool(t, "kept-pool-domain");
        await t.idp.send(new UpdateProvisionedLimitCommand({ LimitDefinition: { LimitClass: "API_CATEGORY", Attributes: { Category: "UserRead" } }, RequestedLimitValue: 200 }));
        await t.idp.send(new DeleteUserPoolCommand({ UserPoolId: deleted.userPoolId }));

        // The domain is free for another pool.
        assert.deepEqual((await t.idp.send(new DescribeUserPoolDomainCommand({ Domain: "deleted-pool-domain" }))).DomainDescription, {});
        await t.idp.send(new CreateUserPoolDomainCommand({ UserPoolId: (await t.idp.send(new CreateUserPoolCommand({ PoolName: "reuse" }))).UserPool!.Id!, Domain: "deleted-pool-domain" }));
        // The other pool keeps its records, and the account keeps its limits.
        assert.equal((await t.idp.send(new DescribeResourceServerCommand({ UserPoolId: kept.userPoolId, Identifier: "https://api.example.com" }))).ResourceServer?.Name, "api");
        assert.equal((await t.idp.send(new GetProvisionedLimitCommand({ LimitDefinition: { LimitClass: "API_CATEGORY", Attributes: { Category: "UserRead" } } }))).Limit?.ProvisionedLimitValue, 200);
      } finally {
        await t.stop();
      }

      const store = await DurableStore.open(dataDir);
      try {
        for (const collection of collections) {
          const texts = [...store.texts(collection)].map(([key, text]) => `${key} ${text}`);
          assert.deepEqual(texts.filter((entry) => entry.includes(deleted.userPoolId)), [], `${collection} keeps records of the deleted pool`);
          assert.ok(texts.some((entry) => entry.includes(kept.userPoolId)), `${collection} lost the other pool's records`);
        }
      } finally {
        await store.close();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
