// cognito-idp managed login branding styles (Create, Describe, DescribeByClient, Update, DeleteManagedLoginBranding)
// with AWS's validation and plan rule: one style per app client, Essentials or Plus plan, UseCognitoProvidedValues
// only without Settings and Assets, image assets of AWS's categories and formats. A style's settings and images are
// stored so that the managed login pages can apply them (`brandingForClient`); an update keeps what it leaves out.
import { randomUUID } from "node:crypto";
import * as errors from "../errors";
import { optionalBoolean, requiredString, type Input } from "../input";
import type { AppClientRecord, UserPoolRecord } from "../model";
import type { OperationTable, ServiceContext } from "../context";
import { DEFAULT_BRANDING_SETTINGS, mergeBrandingSettings, type BrandingSettings } from "../branding-defaults";
import { poolRecords } from "../pool-records";
import { registerTierFeature, requireTier } from "../tiers";
import { checkString, constraintError, enumMember } from "../validation";

const ASSET_CATEGORIES = [
  "FAVICON_ICO", "FAVICON_SVG", "EMAIL_GRAPHIC", "SMS_GRAPHIC", "AUTH_APP_GRAPHIC", "PASSWORD_GRAPHIC", "PASSKEY_GRAPHIC", "PAGE_HEADER_LOGO",
  "PAGE_HEADER_BACKGROUND", "PAGE_FOOTER_LOGO", "PAGE_FOOTER_BACKGROUND", "PAGE_BACKGROUND", "FORM_BACKGROUND", "FORM_LOGO", "IDP_BUTTON_ICON",
] as const;
const COLOR_MODES = ["LIGHT", "DARK", "DYNAMIC"] as const;
const EXTENSIONS = ["ICO", "JPEG", "PNG", "SVG", "WEBP"] as const;
type AssetExtension = (typeof EXTENSIONS)[number];

/** An image of a style, its bytes as base64 (as on the wire). */
export interface BrandingAsset {
  Category: (typeof ASSET_CATEGORIES)[number];
  ColorMode: (typeof COLOR_MODES)[number];
  Extension: AssetExtension;
  Bytes?: string;
  ResourceId?: string;
}

interface BrandingRecord {
  ManagedLoginBrandingId: string;
  UserPoolId: string;
  ClientId: string;
  UseCognitoProvidedValues: boolean;
  /** The style's own settings (what it customizes). */
  Settings: BrandingSettings;
  Assets: BrandingAsset[];
  CreationDate: number;
  LastModifiedDate: number;
}

/** What the managed login pages apply for an app client: the settings over Cognito's defaults, and the images. */
export interface ClientBranding {
  managedLoginBrandingId: string;
  useCognitoProvidedValues: boolean;
  settings: BrandingSettings;
  assets: BrandingAsset[];
}

const STYLES = "managedLoginBranding";
/** `<poolId>/<clientId>` → the client's style id. */
const STYLE_OF_CLIENT = "managedLoginBrandingByClient";
/** AWS's feature name for managed login branding in FeatureUnavailableInTierException. */
const FEATURE = "Managed Login Branding";
const MAX_ASSETS = 40;
const MAX_ASSET_BYTES = 1_000_000;
const CLIENT_ID_PATTERN = /^[\w+]+$/;
const BRANDING_ID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[4][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$/;
const RESOURCE_ID_PATTERN = /^[\w\- ]+$/;
/** The categories that take one file format only. */
const CATEGORY_EXTENSION: Partial<Record<BrandingAsset["Category"], AssetExtension>> = { FAVICON_ICO: "ICO", FAVICON_SVG: "SVG" };

const stylesOf = (ctx: ServiceContext) => poolRecords<BrandingRecord>(ctx.state, STYLES);
const styleIdsOf = (ctx: ServiceContext) => poolRecords<string>(ctx.state, STYLE_OF_CLIENT);

/** The branding style of an app client, for the managed login pages; undefined when it has none. */
export function brandingForClient(ctx: ServiceContext, poolId: string, clientId: string): ClientBranding | undefined {
  const id = styleIdsOf(ctx).get(poolId, clientId);
  const style = id === undefined ? undefined : stylesOf(ctx).get(poolId, id);
  if (!style) return undefined;
  return {
    managedLoginBrandingId: style.ManagedLoginBrandingId,
    useCognitoProvidedValues: style.UseCognitoProvidedValues,
    settings: mergeBrandingSettings(DEFAULT_BRANDING_SETTINGS, style.Settings),
    assets: style.Assets,
  };
}

/** Whether `bytes` hold a file of format `extension` (by its signature; an SVG by its root element). */
function looksLike(extension: AssetExtension, bytes: Buffer): boolean {
  switch (extension) {
    case "PNG":
      return bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    case "JPEG":
      return bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
    case "ICO":
      return bytes.subarray(0, 4).equals(Buffer.from([0, 0, 1, 0]));
    case "WEBP":
      return bytes.toString("latin1", 0, 4) === "RIFF" && bytes.toString("latin1", 8, 12) === "WEBP";
    case "SVG":
      return /<svg[\s>]/.test(bytes.toString("utf8", 0, 4096));
  }
}

/** The Assets member, validated; undefined when absent. */
function readAssets(input: Input): BrandingAsset[] | undefined {
  const raw = input.Assets;
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw errors.invalidParameter("Assets must be a list of assets.");
  if (raw.length > MAX_ASSETS) throw constraintError("[...]", "assets", `Member must have length less than or equal to ${MAX_ASSETS}`);
  const seen = new Set<string>();
  return raw.map((entry, i) => {
    if (!entry || typeof entry !== "object" || Array.isArray(entry)) throw errors.invalidParameter("Assets must be a list of assets.");
    const asset = entry as Input;
    const where = `assets.${i + 1}.member`;
    for (const member of ["Category", "ColorMode", "Extension"]) {
      if (asset[member] === undefined || asset[member] === null) throw constraintError(null, `${where}.${member.charAt(0).toLowerCase()}${member.slice(1)}`, "Member must not be null");
    }
    const out: BrandingAsset = {
      Category: enumMember(asset.Category, ASSET_CATEGORIES, `${where}.category`),
      ColorMode: enumMember(asset.ColorMode, COLOR_MODES, `${where}.colorMode`),
      Extension: enumMember(asset.Extension, EXTENSIONS, `${where}.extension`),
    };
    const only = CATEGORY_EXTENSION[out.Category];
    if (only && out.Extension !== only) throw errors.invalidParameter(`The ${out.Category} asset must be a ${only} file, not ${out.Extension}.`);
    if (asset.Bytes !== undefined && asset.Bytes !== null) {
      if (typeof asset.Bytes !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(asset.Bytes) || asset.Bytes.length % 4 !== 0) {
        throw errors.serialization(`Value at '${where}.bytes' is not valid base64.`);
      }
      const bytes = Buffer.from(asset.Bytes, "base64");
      if (bytes.length > MAX_ASSET_BYTES) throw constraintError("[...]", `${where}.bytes`, `Member must have length less than or equal to ${MAX_ASSET_BYTES}`);
      if (!looksLike(out.Extension, bytes)) throw errors.invalidParameter(`The ${out.Category} asset (${out.ColorMode}) is not a valid ${out.Extension} file.`);
      out.Bytes = asset.Bytes;
    }
    if (asset.ResourceId !== undefined && asset.ResourceId !== null) {
      if (typeof asset.ResourceId !== "string") throw errors.invalidParameter("ResourceId must be a string.");
      checkString(asset.ResourceId, `${where}.resourceId`, 1, 40, RESOURCE_ID_PATTERN);
      out.ResourceId = asset.ResourceId;
    }
    const slot = `${out.Category}/${out.ColorMode}`;
    if (seen.has(slot)) throw errors.invalidParameter(`Assets has more than one ${out.Category} asset for color mode ${out.ColorMode}.`);
    seen.add(slot);
    return out;
  });
}

/** The Settings member (a JSON document, which must be an object); undefined when absent. */
function readSettings(input: Input): BrandingSettings | undefined {
  const value = input.Settings;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw errors.invalidParameter("Settings must be a JSON object.");
  return value as BrandingSettings;
}

/** UseCognitoProvidedValues, refused together with Settings or Assets, as AWS documents. */
function readUseCognitoProvidedValues(input: Input, settings: unknown, assets: unknown): boolean {
  const useDefaults = optionalBoolean(input, "UseCognitoProvidedValues") ?? false;
  if (useDefaults && (settings !== undefined || assets !== undefined)) {
    throw errors.invalidParameter("When UseCognitoProvidedValues is true, Settings and Assets must not be provided.");
  }
  return useDefaults;
}

/** `given` assets replace the stored ones of the same category and color mode; the others stay. */
function mergeAssets(stored: BrandingAsset[], given: BrandingAsset[]): BrandingAsset[] {
  const slot = (a: BrandingAsset) => `${a.Category}/${a.ColorMode}`;
  const replaced = new Set(given.map(slot));
  return [...stored.filter((a) => !replaced.has(slot(a))), ...given];
}

export function managedLoginBrandingOperations(ctx: ServiceContext): OperationTable {
  const styles = stylesOf(ctx);
  const styleIds = styleIdsOf(ctx);
  registerTierFeature(ctx.state, { name: FEATURE, minimum: "ESSENTIALS", inUse: (poolId) => styleIds.ofPool(poolId).length > 0 });
  // A deleted app client takes its style with it.
  ctx.state.cascades.client.push((client: AppClientRecord) => {
    const id = styleIds.get(client.UserPoolId, client.ClientId);
    if (id === undefined) return;
    styles.delete(client.UserPoolId, id);
    styleIds.delete(client.UserPoolId, client.ClientId);
  });

  const wire = (style: BrandingRecord, merged: boolean) => {
    const settings = merged ? mergeBrandingSettings(DEFAULT_BRANDING_SETTINGS, style.Settings) : style.Settings;
    return {
      ManagedLoginBranding: {
        ManagedLoginBrandingId: style.ManagedLoginBrandingId,
        UserPoolId: style.UserPoolId,
        UseCognitoProvidedValues: style.UseCognitoProvidedValues,
        ...(Object.keys(settings).length > 0 ? { Settings: settings } : {}),
        Assets: style.Assets,
        CreationDate: style.CreationDate,
        LastModifiedDate: style.LastModifiedDate,
      },
    };
  };
  function readClientId(input: Input, pool: UserPoolRecord): string {
    const clientId = requiredString(input, "ClientId");
    checkString(clientId, "clientId", 1, 128, CLIENT_ID_PATTERN);
    return ctx.requireClient(clientId, pool).ClientId;
  }
  function requireStyle(input: Input): { pool: UserPoolRecord; style: BrandingRecord } {
    const poolId = requiredString(input, "UserPoolId");
    const id = requiredString(input, "ManagedLoginBrandingId");
    checkString(id, "managedLoginBrandingId", 1, 36, BRANDING_ID_PATTERN);
    const pool = ctx.requirePool(poolId);
    const style = styles.get(pool.Id, id.toLowerCase());
    if (!style) throw errors.resourceNotFound(`Managed login branding ${id} does not exist in user pool ${pool.Id}.`);
    return { pool, style };
  }

  return {
    CreateManagedLoginBranding(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const clientId = readClientId(input, pool);
      const settings = readSettings(input);
      const assets = readAssets(input);
      const useDefaults = readUseCognitoProvidedValues(input, settings, assets);
      requireTier(pool, "ESSENTIALS", FEATURE);
      if (styleIds.get(pool.Id, clientId) !== undefined) {
        throw errors.managedLoginBrandingExists(`App client ${clientId} already has a managed login branding style.`);
      }
      const now = ctx.now();
      const style: BrandingRecord = {
        ManagedLoginBrandingId: randomUUID(), UserPoolId: pool.Id, ClientId: clientId, UseCognitoProvidedValues: useDefaults,
        Settings: settings ?? {}, Assets: assets ?? [], CreationDate: now, LastModifiedDate: now,
      };
      styles.put(pool.Id, style.ManagedLoginBrandingId, style);
      styleIds.put(pool.Id, clientId, style.ManagedLoginBrandingId);
      return wire(style, false);
    },
    DescribeManagedLoginBranding(input) {
      const merged = optionalBoolean(input, "ReturnMergedResources") ?? false;
      return wire(requireStyle(input).style, merged);
    },
    DescribeManagedLoginBrandingByClient(input) {
      const merged = optionalBoolean(input, "ReturnMergedResources") ?? false;
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const clientId = readClientId(input, pool);
      const id = styleIds.get(pool.Id, clientId);
      const style = id === undefined ? undefined : styles.get(pool.Id, id);
      if (!style) throw errors.resourceNotFound(`App client ${clientId} has no managed login branding style.`);
      return wire(style, merged);
    },
    UpdateManagedLoginBranding(input) {
      const { pool, style } = requireStyle(input);
      const settings = readSettings(input);
      const assets = readAssets(input);
      const useDefaults = readUseCognitoProvidedValues(input, settings, assets);
      requireTier(pool, "ESSENTIALS", FEATURE);
      // Back to Cognito's defaults, or the given settings and images over the stored ones.
      const updated: BrandingRecord = useDefaults
        ? { ...style, UseCognitoProvidedValues: true, Settings: {}, Assets: [], LastModifiedDate: ctx.now() }
        : {
            ...style,
            UseCognitoProvidedValues: false,
            Settings: settings ? mergeBrandingSettings(style.Settings, settings) : style.Settings,
            Assets: assets ? mergeAssets(style.Assets, assets) : style.Assets,
            LastModifiedDate: ctx.now(),
          };
      styles.put(pool.Id, style.ManagedLoginBrandingId, updated);
      return wire(updated, false);
    },
    DeleteManagedLoginBranding(input) {
      const { pool, style } = requireStyle(input);
      styles.delete(pool.Id, style.ManagedLoginBrandingId);
      styleIds.delete(pool.Id, style.ClientId);
      return {};
    },
  };
}
