// cognito-idp operations on app clients: create (optionally with a secret), describe, list, update, delete.
import * as errors from "../errors";
import { newClientId, newClientSecret } from "../ids";
import { optionalBoolean, optionalNumber, optionalObject, optionalString, optionalStringList, requiredString, type Input } from "../input";
import { clientSecretId, withClientSecrets } from "../client-secrets";
import type { AppClientRecord, UserPoolRecord } from "../model";
import type { OperationTable, ServiceContext } from "../context";
import { pageAfter, readPageToken } from "../paging";
import { validateOAuthSettings } from "../oauth/client-settings";

/** GetClientToken's flow: machine-to-machine tokens for a client with a secret, and no user sign-in flow beside it. */
export const CLIENT_TOKEN_FLOW = "ALLOW_CLIENT_TOKEN_AUTH";
const ALL_FLOWS = [
  "ADMIN_NO_SRP_AUTH", "CUSTOM_AUTH_FLOW_ONLY", "USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_CUSTOM_AUTH",
  "ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_AUTH", CLIENT_TOKEN_FLOW,
];
/** What AWS enables when a client names no flow. */
const DEFAULT_FLOWS = ["ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"];
const UNIT_SECONDS = new Map<string, number>([["seconds", 1], ["minutes", 60], ["hours", 3600], ["days", 86400]]);

export function appClientOperations(ctx: ServiceContext): OperationTable {
  const { state } = ctx;
  return {
    CreateUserPoolClient(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const name = requiredString(input, "ClientName");
      const now = ctx.now();
      const oauthSettings = validateOAuthSettings(ctx, pool.Id, input, optionalBoolean(input, "GenerateSecret") === true);
      const clientId = newClientId();
      const settings = clientSettings(input);
      checkClientFlows(settings.ExplicitAuthFlows, optionalBoolean(input, "GenerateSecret") === true);
      checkClientAttributes(pool, input, "creating");
      let client: AppClientRecord = { UserPoolId: pool.Id, ClientId: clientId, ClientName: name, CreationDate: now, LastModifiedDate: now, ...settings };
      if (optionalBoolean(input, "GenerateSecret")) {
        client = withClientSecrets(client, [{ id: clientSecretId(clientId, ctx.nowMs()), value: newClientSecret(), createdAt: now }]);
      }
      client.settings = { ...client.settings, ...oauthSettings };
      state.putClient(client);
      return { UserPoolClient: describe(client) };
    },
    DescribeUserPoolClient(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      return { UserPoolClient: describe(ctx.requireClient(requiredString(input, "ClientId"), pool)) };
    },
    ListUserPoolClients(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const max = optionalNumber(input, "MaxResults") ?? 60;
      if (!Number.isInteger(max) || max < 1 || max > 60) throw errors.invalidParameter("MaxResults must be between 1 and 60.");
      const { page, nextToken: next } = pageAfter(state.clients(pool.Id), (c) => [c.CreationDate, c.ClientId], readPageToken(input, "NextToken"), max);
      return {
        UserPoolClients: page.map((c) => ({ ClientId: c.ClientId, UserPoolId: c.UserPoolId, ClientName: c.ClientName })),
        ...(next ? { NextToken: next } : {}),
      };
    },
    UpdateUserPoolClient(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const client = ctx.requireClient(requiredString(input, "ClientId"), pool);
      const oauthSettings = validateOAuthSettings(ctx, pool.Id, input, !!client.ClientSecret);
      const settings = clientSettings(input);
      checkClientFlows(settings.ExplicitAuthFlows, !!client.ClientSecret);
      checkClientAttributes(pool, input, "updating");
      const updated: AppClientRecord = { ...client, ClientName: optionalString(input, "ClientName") ?? client.ClientName, ...settings, LastModifiedDate: ctx.now() };
      updated.settings = { ...updated.settings, ...oauthSettings };
      state.putClient(updated);
      return { UserPoolClient: describe(updated) };
    },
    DeleteUserPoolClient(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const client = ctx.requireClient(requiredString(input, "ClientId"), pool);
      state.deleteClient(client.ClientId);
      return {};
    },
  };
}

type ClientSettings = Pick<AppClientRecord, "ExplicitAuthFlows" | "PreventUserExistenceErrors" | "accessTokenSeconds" | "idTokenSeconds" | "refreshTokenSeconds" | "EnableTokenRevocation" | "refreshTokenRotation" | "settings">;

/** RefreshTokenRotation {Feature: ENABLED|DISABLED, RetryGracePeriodSeconds: 0-60}, or undefined when not given. */
function refreshTokenRotationOf(input: Input): AppClientRecord["refreshTokenRotation"] {
  const given = optionalObject(input, "RefreshTokenRotation");
  if (!given) return undefined;
  const feature = given.Feature;
  if (feature !== "ENABLED" && feature !== "DISABLED") {
    throw errors.invalidParameter(`1 validation error detected: Value '${String(feature)}' at 'refreshTokenRotation.feature' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]`);
  }
  const grace = given.RetryGracePeriodSeconds;
  if (grace !== undefined && (typeof grace !== "number" || !Number.isInteger(grace) || grace < 0 || grace > 60)) {
    throw errors.invalidParameter("1 validation error detected: Value at 'refreshTokenRotation.retryGracePeriodSeconds' failed to satisfy constraint: Member must have value between 0 and 60");
  }
  return { Feature: feature, ...(grace !== undefined ? { RetryGracePeriodSeconds: grace } : {}) };
}

/** Settings of CreateUserPoolClient/UpdateUserPoolClient. As on AWS, an update resets what it leaves out to defaults. */
function clientSettings(input: Input): ClientSettings {
  const flows = optionalStringList(input, "ExplicitAuthFlows") ?? DEFAULT_FLOWS;
  for (const f of flows) if (!ALL_FLOWS.includes(f)) throw errors.invalidParameter(`1 validation error detected: Value '[${f}]' at 'explicitAuthFlows' failed to satisfy constraint`);
  const prevent = optionalString(input, "PreventUserExistenceErrors") ?? "LEGACY"; // the API's default (the console picks ENABLED)
  if (prevent !== "ENABLED" && prevent !== "LEGACY") throw errors.invalidParameter("PreventUserExistenceErrors must be ENABLED or LEGACY.");
  const units = optionalObject(input, "TokenValidityUnits") ?? {};
  const lifetime = (member: string, unitMember: string, defaultUnit: string, defaultValue: number, min: number, max: number) => {
    const value = optionalNumber(input, member) ?? defaultValue;
    const unit = typeof units[unitMember] === "string" ? (units[unitMember] as string) : defaultUnit;
    const factor = UNIT_SECONDS.get(unit);
    if (!factor) throw errors.invalidParameter(`1 validation error detected: Value '${unit}' at 'tokenValidityUnits.${unitMember.charAt(0).toLowerCase() + unitMember.slice(1)}' failed to satisfy constraint: Member must satisfy enum value set: [seconds, minutes, hours, days]`);
    const seconds = value * factor;
    if (seconds < min || seconds > max) throw errors.invalidParameter(`${member} must be between ${min} and ${max} seconds.`);
    return seconds;
  };
  const settings: Record<string, unknown> = {};
  for (const key of ["ReadAttributes", "WriteAttributes", "SupportedIdentityProviders", "CallbackURLs", "LogoutURLs", "DefaultRedirectURI", "AllowedOAuthFlows", "AllowedOAuthScopes", "AllowedOAuthFlowsUserPoolClient", "AnalyticsConfiguration", "EnablePropagateAdditionalUserContextData", "AuthSessionValidity", "TokenValidityUnits"]) {
    if (input[key] !== undefined) settings[key] = input[key];
  }
  return {
    ExplicitAuthFlows: flows,
    PreventUserExistenceErrors: prevent,
    accessTokenSeconds: lifetime("AccessTokenValidity", "AccessToken", "hours", 1, 300, 86400),
    idTokenSeconds: lifetime("IdTokenValidity", "IdToken", "hours", 1, 300, 86400),
    refreshTokenSeconds: lifetime("RefreshTokenValidity", "RefreshToken", "days", 30, 3600, 315360000),
    EnableTokenRevocation: optionalBoolean(input, "EnableTokenRevocation") ?? true,
    refreshTokenRotation: refreshTokenRotationOf(input),
    settings,
  };
}

/** ALLOW_CLIENT_TOKEN_AUTH (GetClientToken) needs a client secret and is the client's only flow, as on AWS. */
function checkClientFlows(flows: string[], hasSecret: boolean): void {
  if (!flows.includes(CLIENT_TOKEN_FLOW)) return;
  if (!hasSecret) throw errors.invalidParameter(`${CLIENT_TOKEN_FLOW} can be selected only for an app client with a client secret.`);
  if (flows.some((f) => f !== CLIENT_TOKEN_FLOW)) throw errors.invalidParameter(`${CLIENT_TOKEN_FLOW} can not be selected along with other authentication flows.`);
}

/**
 * ReadAttributes and WriteAttributes name attributes of the pool's schema; a client can not write `sub`, and a client
 * that names its write attributes must be able to write the pool's required ones. AWS's messages.
 */
function checkClientAttributes(pool: UserPoolRecord, input: Input, doing: "creating" | "updating"): void {
  const names = new Set(pool.schema.map((a) => a.Name));
  const read = optionalStringList(input, "ReadAttributes");
  if (read?.some((name) => !names.has(name))) throw errors.invalidParameter(`Invalid read attributes specified while ${doing} a client`);
  const write = optionalStringList(input, "WriteAttributes");
  if (!write) return;
  const required = pool.schema.filter((a) => a.Required && a.Name !== "sub").map((a) => a.Name);
  if (write.some((name) => !names.has(name) || name === "sub") || required.some((name) => !write.includes(name))) {
    throw errors.invalidParameter(`Invalid write attributes specified while ${doing} a client`);
  }
}

/** Whether the client allows a flow, accepting the legacy names AWS still honours. */
export function clientAllowsFlow(client: AppClientRecord, flow: "USER_PASSWORD_AUTH" | "USER_SRP_AUTH" | "REFRESH_TOKEN_AUTH" | "ADMIN_USER_PASSWORD_AUTH" | "CUSTOM_AUTH" | "USER_AUTH"): boolean {
  const flows = client.ExplicitAuthFlows;
  if (flow === "USER_AUTH") return flows.includes("ALLOW_USER_AUTH");
  if (flow === "REFRESH_TOKEN_AUTH") return true; // AWS always allows refresh
  if (flow === "ADMIN_USER_PASSWORD_AUTH") return flows.includes("ALLOW_ADMIN_USER_PASSWORD_AUTH") || flows.includes("ADMIN_NO_SRP_AUTH");
  if (flow === "USER_PASSWORD_AUTH") return flows.includes("ALLOW_USER_PASSWORD_AUTH") || flows.includes("USER_PASSWORD_AUTH");
  if (flow === "USER_SRP_AUTH") return flows.includes("ALLOW_USER_SRP_AUTH") || !flows.some((f) => f.startsWith("ALLOW_"));
  return flows.includes("ALLOW_CUSTOM_AUTH");
}

function describe(c: AppClientRecord) {
  const given = c.settings.TokenValidityUnits as Record<string, string> | undefined;
  const units = given ?? {};
  const inUnit = (seconds: number, unit: string | undefined, fallback: string) => seconds / (UNIT_SECONDS.get(unit ?? fallback) ?? 1);
  return {
    ...c.settings,
    UserPoolId: c.UserPoolId,
    ClientName: c.ClientName,
    ClientId: c.ClientId,
    ...(c.ClientSecret ? { ClientSecret: c.ClientSecret } : {}),
    LastModifiedDate: c.LastModifiedDate,
    CreationDate: c.CreationDate,
    RefreshTokenValidity: inUnit(c.refreshTokenSeconds, units.RefreshToken, "days"),
    AccessTokenValidity: inUnit(c.accessTokenSeconds, units.AccessToken, "hours"),
    IdTokenValidity: inUnit(c.idTokenSeconds, units.IdToken, "hours"),
    // Reported only for a client that set them, as on AWS (the Terraform provider counts the block).
    ...(given ? { TokenValidityUnits: { AccessToken: units.AccessToken ?? "hours", IdToken: units.IdToken ?? "hours", RefreshToken: units.RefreshToken ?? "days" } } : {}),
    ExplicitAuthFlows: c.ExplicitAuthFlows,
    PreventUserExistenceErrors: c.PreventUserExistenceErrors,
    EnableTokenRevocation: c.EnableTokenRevocation,
    AllowedOAuthFlowsUserPoolClient: c.settings.AllowedOAuthFlowsUserPoolClient ?? false,
    ...(c.refreshTokenRotation ? { RefreshTokenRotation: c.refreshTokenRotation } : {}),
  };
}
