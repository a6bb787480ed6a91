// Managed login branding styles (Create, Describe, DescribeByClient, Update, DeleteManagedLoginBranding) through the
// AWS SDK v3: one style per app client, AWS's validation of Settings and Assets, the Essentials plan rule,
// ReturnMergedResources, updates that keep what they leave out, and what the managed login pages read
// (brandingForClient).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import {
  CreateManagedLoginBrandingCommand, CreateUserPoolClientCommand, CreateUserPoolCommand, DeleteManagedLoginBrandingCommand,
  DeleteUserPoolClientCommand, DescribeManagedLoginBrandingByClientCommand, DescribeManagedLoginBrandingCommand, UpdateManagedLoginBrandingCommand,
  UpdateUserPoolCommand, type AssetType, type UserPoolTierType,
} from "@aws-sdk/client-cognito-identity-provider";
import { startTestService, type TestService } from "../support/local-service";
import { rejectsWithAwsError } from "../support/aws-errors";
import { ServiceContext } from "../../lib/service/context";
import { CognitoState } from "../../lib/service/state";
import { DurableStore } from "../../lib/service/store";
import { brandingForClient } from "../../lib/service/operations/managed-login-branding";

/** A 1x1 PNG. */
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>');
const logo: AssetType = { Category: "FORM_LOGO", ColorMode: "LIGHT", Extension: "PNG", Bytes: PNG };

describe("managed login branding", () => {
  let t: TestService;
  async function poolAndClient(tier: UserPoolTierType = "ESSENTIALS") {
    const userPoolId = (await t.idp.send(new CreateUserPoolCommand({ PoolName: "branded", UserPoolTier: tier }))).UserPool!.Id!;
    const clientId = (await t.idp.send(new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: "web" }))).UserPoolClient!.ClientId!;
    return { userPoolId, clientId };
  }

  before(async () => {
    t = await startTestService();
  });
  after(() => t.stop());

  it("creates a style for a client, describes it by id and by client, and merges Cognito's defaults on request", async () => {
    const { userPoolId, clientId } = await poolAndClient();
    const settings = { components: { primaryButton: { lightMode: { defaults: { backgroundColor: "d13212ff" } } } } };
    const created = await t.idp.send(new CreateManagedLoginBrandingCommand({ UserPoolId: userPoolId, ClientId: clientId, Settings: settings, Assets: [logo] }));
    const style = created.ManagedLoginBranding!;
    assert.match(style.ManagedLoginBrandingId!, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(style.UserPoolId, userPoolId);
    assert.equal(style.UseCognitoProvidedValues, false);
    assert.deepEqual(style.Settings, settings);
    assert.deepEqual(style.Assets?.map((a) => [a.Category, a.ColorMode, a.Extension, Buffer.from(a.Bytes!).equals(PNG)]), [["FORM_LOGO", "LIGHT", "PNG", true]]);
    assert.ok(style.CreationDate instanceof Date);

    const byId = await t.idp.send(new DescribeManagedLoginBrandingCommand({ UserPoolId: userPoolId, ManagedLoginBrandingId: style.ManagedLoginBrandingId }));
    assert.deepEqual(byId.ManagedLoginBranding?.Settings, settings);
    const byClient = await t.idp.send(new DescribeManagedLoginBrandingByClientCommand({ UserPoolId: userPoolId, ClientId: clientId }));
    assert.equal(byClient.ManagedLoginBranding?.ManagedLoginBrandingId, style.ManagedLoginBrandingId);

    const merged = await t.idp.send(new DescribeManagedLoginBrandingByClientCommand({ UserPoolId: userPoolId, ClientId: clientId, ReturnMergedResources: true }));
    const m = merged.ManagedLoginBranding!.Settings as { components: { primaryButton: { lightMode: { defaults: { backgroundColor: string; textColor: string } } } }; categories: { global: { colorSchemeMode: string } } };
    assert.equal(m.components.primaryButton.lightMode.defaults.backgroundColor, "d13212ff"); // the style's own value wins
    assert.equal(m.components.primaryButton.lightMode.defaults.textColor, "ffffffff"); // Cognito's default fills the rest
    assert.equal(m.categories.global.colorSchemeMode, "LIGHT");
  });

  it("updates a style keeping what the update leaves out, resets it with UseCognitoProvidedValues, and deletes it", async () => {
    const { userPoolId, clientId } = await poolAndClient("PLUS");
    const id = (await t.idp.send(new CreateManagedLoginBrandingCommand({
      UserPoolId: userPoolId, ClientId: clientId, Settings: { categories: { global: { colorSchemeMode: "DARK" } } }, Assets: [logo],
    }))).ManagedLoginBranding!.ManagedLoginBrandingId!;
    const favicon: AssetType = { Category: "FAVICON_SVG", ColorMode: "DYNAMIC", Extension: "SVG", Bytes: SVG, ResourceId: "favicon 1" };
    const updated = await t.idp.send(new UpdateManagedLoginBrandingCommand({
      UserPoolId: userPoolId, ManagedLoginBrandingId: id, Settings: { components: { form: { borderRadius: 16 } } }, Assets: [favicon],
    }));
    assert.deepEqual(updated.ManagedLoginBranding?.Settings, { categories: { global: { colorSchemeMode: "DARK" } }, components: { form: { borderRadius: 16 } } });
    assert.deepEqual(updated.ManagedLoginBranding?.Assets?.map((a) => `${a.Category}/${a.ColorMode}`), ["FORM_LOGO/LIGHT", "FAVICON_SVG/DYNAMIC"]);
    // An asset of the same category and color mode replaces the stored one.
    const darker = { ...logo, Extension: "SVG" as const, Bytes: SVG };
    const replaced = await t.idp.send(new UpdateManagedLoginBrandingCommand({ UserPoolId: userPoolId, ManagedLoginBrandingId: id, Assets: [darker] }));
    assert.deepEqual(replaced.ManagedLoginBranding?.Assets?.map((a) => `${a.Category}/${a.Extension}`), ["FAVICON_SVG/SVG", "FORM_LOGO/SVG"]);

    const reset = await t.idp.send(new UpdateManagedLoginBrandingCommand({ UserPoolId: userPoolId, ManagedLoginBrandingId: id, UseCognitoProvidedValues: true }));
    assert.equal(reset.ManagedLoginBranding?.UseCognitoProvidedValues, true);
    assert.equal(reset.ManagedLoginBranding?.Settings, undefined);
    assert.deepEqual(reset.ManagedLoginBranding?.Assets, []);

    await t.idp.send(new DeleteManagedLoginBrandingCommand({ UserPoolId: userPoolId, ManagedLoginBrandingId: id }));
    await rejectsWithAwsError(t.idp.send(new DescribeManagedLoginBrandingCommand({ UserPoolId: userPoolId, ManagedLoginBrandingId: id })), "ResourceNotFoundException");
    await rejectsWithAwsError(t.idp.send(new DescribeManagedLoginBrandingByClientCommand({ UserPoolId: userPoolId, ClientId: clientId })), "ResourceNotFoundException");
    // The client can have a new style once the old one is gone.
    await t.idp.send(new CreateManagedLoginBrandingCommand({ UserPoolId: userPoolId, ClientId: clientId, UseCognitoProvidedValues: true }));
  });

  it("refuses bad styles as AWS does, changing nothing", async () => {
    const { userPoolId, clientId } = await poolAndClient();
    const create = (input: Partial<ConstructorParameters<typeof CreateManagedLoginBrandingCommand>[0]>) =>
      t.idp.send(new CreateManagedLoginBrandingCommand({ UserPoolId: userPoolId, ClientId: clientId, ...input }));
    await rejectsWithAwsError(create({ UseCognitoProvidedValues: true, Settings: {} }), "InvalidParameterException", "When UseCognitoProvidedValues is true, Settings and Assets must not be provided.");
    await rejectsWithAwsError(create({ UseCognitoProvidedValues: true, Assets: [logo] }), "InvalidParameterException", "When UseCognitoProvidedValues is true, Settings and Assets must not be provided.");
    await rejectsWithAwsError(create({ Settings: ["not", "an", "object"] }), "InvalidParameterException", "Settings must be a JSON object.");
    await rejectsWithAwsError(create({ ClientId: "nosuchclient" }), "ResourceNotFoundException", "User pool client nosuchclient does not exist.");
    await rejectsWithAwsError(create({ ClientId: "bad/client" }), "InvalidParameterException", /at 'clientId' failed to satisfy constraint: Member must satisfy regular expression pattern/);
    await rejectsWithAwsError(create({ UserPoolId: "us-east-1_missing00" }), "ResourceNotFoundException");
    await rejectsWithAwsError(create({ Assets: [{ ...logo, Category: "HERO_IMAGE" as "FORM_LOGO" }] }), "InvalidParameterException", /at 'assets\.1\.member\.category' failed to satisfy constraint: Member must satisfy enum value set: \[FAVICON_ICO/);
    await rejectsWithAwsError(create({ Assets: [{ ...logo, ColorMode: "SEPIA" as "LIGHT" }] }), "InvalidParameterException", "1 validation error detected: Value 'SEPIA' at 'assets.1.member.colorMode' failed to satisfy constraint: Member must satisfy enum value set: [LIGHT, DARK, DYNAMIC]");
    await rejectsWithAwsError(create({ Assets: [{ ...logo, Extension: "GIF" as "PNG" }] }), "InvalidParameterException", "1 validation error detected: Value 'GIF' at 'assets.1.member.extension' failed to satisfy constraint: Member must satisfy enum value set: [ICO, JPEG, PNG, SVG, WEBP]");
    await rejectsWithAwsError(create({ Assets: [{ ...logo, Extension: "JPEG" }] }), "InvalidParameterException", "The FORM_LOGO asset (LIGHT) is not a valid JPEG file.");
    await rejectsWithAwsError(create({ Assets: [{ Category: "FAVICON_ICO", ColorMode: "LIGHT", Extension: "PNG", Bytes: PNG }] }), "InvalidParameterException", "The FAVICON_ICO asset must be a ICO file, not PNG.");
    await rejectsWithAwsError(create({ Assets: [logo, logo] }), "InvalidParameterException", "Assets has more than one FORM_LOGO asset for color mode LIGHT.");
    await rejectsWithAwsError(create({ Assets: [{ ...logo, ResourceId: "no/slashes" }] }), "InvalidParameterException", /at 'assets\.1\.member\.resourceId' failed to satisfy constraint: Member must satisfy regular expression pattern/);
    await rejectsWithAwsError(create({ Assets: Array.from({ length: 41 }, () => logo) }), "InvalidParameterException", "1 validation error detected: Value '[...]' at 'assets' failed to satisfy constraint: Member must have length less than or equal to 40");
    const big = Buffer.concat([PNG, Buffer.alloc(1_000_001 - PNG.length)]);
    await rejectsWithAwsError(create({ Assets: [{ ...logo, Bytes: big }] }), "InvalidParameterException", "1 validation error detected: Value '[...]' at 'assets.1.member.bytes' failed to satisfy constraint: Member must have length less than or equal to 1000000");
    await rejectsWithAwsError(t.idp.send(new DescribeManagedLoginBrandingByClientCommand({ UserPoolId: userPoolId, ClientId: clientId })), "ResourceNotFoundException", `App client ${clientId} has no managed login branding style.`);

    // One style per client.
    const id = (await create({ UseCognitoProvidedValues: true })).ManagedLoginBranding!.ManagedLoginBrandingId!;
    await rejectsWithAwsError(create({ UseCognitoProvidedValues: true }), "ManagedLoginBrandingExistsException", `App client ${clientId} already has a managed login branding style.`);
    await rejectsWithAwsError(t.idp.send(new DescribeManagedLoginBrandingCommand({ UserPoolId: userPoolId, ManagedLoginBrandingId: "not-a-uuid" })), "InvalidParameterException", /at 'managedLoginBrandingId' failed to satisfy constraint/);
    await rejectsWithAwsError(t.idp.send(new DeleteManagedLoginBrandingCommand({ UserPoolId: userPoolId, ManagedLoginBrandingId: "6f0e8f3c-5d7a-4b1e-9c2d-3a4b5c6d7e8f" })), "ResourceNotFoundException");
    await rejectsWithAwsError(t.idp.send(new UpdateManagedLoginBrandingCommand({ UserPoolId: userPoolId, ManagedLoginBrandingId: id, UseCognitoProvidedValues: true, Settings: {} })), "InvalidParameterException", /UseCognitoProvidedValues/);
    await rejectsWithAwsError(t.idp.send(new UpdateManagedLoginBrandingCommand({ UserPoolId: userPoolId })), "InvalidParameterException", "1 validation error detected: Value null at 'managedLoginBrandingId' failed to satisfy constraint: Member must not be null");
    const still = await t.idp.send(new DescribeManagedLoginBrandingCommand({ UserPoolId: userPoolId, ManagedLoginBrandingId: id }));
    assert.equal(still.ManagedLoginBranding?.UseCognitoProvidedValues, true);
    assert.deepEqual(still.ManagedLoginBranding?.Assets, []);
  });

  it("takes a style of up to 2 MB, as AWS's request-size limit allows", async () => {
    const { userPoolId, clientId } = await poolAndClient();
    const large = Buffer.concat([PNG, Buffer.alloc(990_000)]);
    const created = await t.idp.send(new CreateManagedLoginBrandingCommand({ UserPoolId: userPoolId, ClientId: clientId, Assets: [{ ...logo, Bytes: large }] }));
    assert.equal(created.ManagedLoginBranding?.Assets?.[0].Bytes?.length, large.length);
    // Larger requests are refused before they are read, as any request over 1 MB is for the other operations.
    const post = (operation: string, bytes: number) => fetch(t.url, {
      method: "POST", body: "x".repeat(bytes), headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": `AWSCognitoIdentityProviderService.${operation}` },
    });
    assert.equal((await post("UpdateManagedLoginBranding", 2 * 1024 * 1024 + 1)).status, 413);
    assert.equal((await post("UpdateUserPool", 1024 * 1024 + 1)).status, 413);
    assert.equal((await post("UpdateManagedLoginBranding", 1024 * 1024 + 1)).status, 400); // read, then refused as unsigned and unparsable
  });

  it("refuses branding on the LITE plan and keeps a branded pool off it, with AWS's message", async () => {
    const lite = await poolAndClient("LITE");
    const message = "The following features need to be disabled for the LITE pricing tier configured: Managed Login Branding";
    await rejectsWithAwsError(t.idp.send(new CreateManagedLoginBrandingCommand({ UserPoolId: lite.userPoolId, ClientId: lite.clientId, UseCognitoProvidedValues: true })), "FeatureUnavailableInTierException", message);
    const branded = await poolAndClient();
    await t.idp.send(new CreateManagedLoginBrandingCommand({ UserPoolId: branded.userPoolId, ClientId: branded.clientId, UseCognitoProvidedValues: true }));
    await rejectsWithAwsError(t.idp.send(new UpdateUserPoolCommand({ UserPoolId: branded.userPoolId, UserPoolTier: "LITE" })), "FeatureUnavailableInTierException", message);
  });

  it("gives the managed login pages a client's settings over Cognito's defaults, and drops the style with its client", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cognito-branding-"));
    let own = await startTestService({ dataDir });
    try {
      const userPoolId = (await own.idp.send(new CreateUserPoolCommand({ PoolName: "branded" }))).UserPool!.Id!;
      const clientId = (await own.idp.send(new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: "web" }))).UserPoolClient!.ClientId!;
      await own.idp.send(new CreateManagedLoginBrandingCommand({
        UserPoolId: userPoolId, ClientId: clientId, Settings: { components: { pageBackground: { lightMode: { color: "112233ff" } } } }, Assets: [logo],
      }));
      await own.stop();
      // Read back from the durable state, as the page renderer does.
      const store = await DurableStore.open(dataDir);
      try {
        const ctx = new ServiceContext(new CognitoState(store), "us-east-1", () => undefined);
        const branding = brandingForClient(ctx, userPoolId, clientId)!;
        const components = branding.settings.components as { pageBackground: { lightMode: { color: string } }; primaryButton: { lightMode: { defaults: { backgroundColor: string } } } };
        assert.equal(components.pageBackground.lightMode.color, "112233ff");
        assert.equal(components.primaryButton.lightMode.defaults.backgroundColor, "0972d3ff");
        assert.equal(Buffer.from(branding.assets[0].Bytes!, "base64").equals(PNG), true);
        assert.equal(brandingForClient(ctx, userPoolId, "otherclient"), undefined);
      } finally {
        await store.close();
      }
      own = await startTestService({ dataDir });
      await own.idp.send(new DeleteUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: clientId }));
      await own.stop();
      const reopened = await DurableStore.open(dataDir);
      try {
        const ctx = new ServiceContext(new CognitoState(reopened), "us-east-1", () => undefined);
        assert.equal(brandingForClient(ctx, userPoolId, clientId), undefined);
        assert.equal(reopened.size("managedLoginBranding") + reopened.size("managedLoginBrandingByClient"), 0);
      } finally {
        await reopened.close();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
