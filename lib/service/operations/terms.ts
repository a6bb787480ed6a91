// cognito-idp operations on an app client's terms documents (terms of use, privacy policy): CreateTerms, DescribeTerms,
// DescribeTermsByClient, ListTerms, UpdateTerms, DeleteTerms, with AWS's validation (TermsName terms-of-use or
// privacy-policy, unique per client; LINK source; NONE enforcement; 1 to 13 links keyed by cognito:<language>). The
// managed-login pages link them once a client has both (termsLinksFor).
import { randomUUID } from "node:crypto";
import * as errors from "../errors";
import { optionalNumber, optionalObject, optionalString, requiredString, type Input } from "../input";
import type { OperationTable, ServiceContext } from "../context";
import { pageAfter, readPageToken } from "../paging";
import { constraintError, enumMember } from "../validation";
import type { CognitoState } from "../state";

interface TermsRecord {
  TermsId: string;
  UserPoolId: string;
  ClientId: string;
  TermsName: "terms-of-use" | "privacy-policy";
  TermsSource: "LINK";
  Enforcement: "NONE";
  Links: Record<string, string>;
  CreationDate: number;
  LastModifiedDate: number;
}

const TERMS = "terms";
const TERMS_ID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$/;
const LANGUAGE_KEY = /^cognito:(default|dutch|english|french|spanish|german|bahasa-indonesia|italian|japanese|korean|portuguese-brazil|chinese-(simplified|traditional))$/;
const LINK_VALUE = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u;
const MAX_LINKS = 13;

const followed = new WeakSet<CognitoState>();
/** A pool's and a client's terms go with them. */
function followDeletions(state: CognitoState): void {
  if (followed.has(state)) return;
  followed.add(state);
  const dropWhere = (match: (t: TermsRecord) => boolean) => {
    for (const [key, t] of [...state.store.entries<TermsRecord>(TERMS)]) if (match(t)) state.store.delete(TERMS, key);
  };
  state.cascades.pool.push((poolId) => dropWhere((t) => t.UserPoolId === poolId));
  state.cascades.client.push((client) => dropWhere((t) => t.ClientId === client.ClientId));
}

const termsOfPool = (state: CognitoState, poolId: string) => [...state.store.entries<TermsRecord>(TERMS).values()].filter((t) => t.UserPoolId === poolId);

export function termsOperations(ctx: ServiceContext): OperationTable {
  const { state } = ctx;
  followDeletions(state);
  const existing = (input: Input): TermsRecord => {
    const termsId = termsIdOf(input);
    const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
    const terms = state.store.get<TermsRecord>(TERMS, termsId);
    if (!terms || terms.UserPoolId !== pool.Id) throw errors.resourceNotFound(`Terms ${termsId} do not exist in user pool ${pool.Id}.`);
    return terms;
  };
  const checkNameFree = (terms: Pick<TermsRecord, "UserPoolId" | "ClientId" | "TermsName" | "TermsId">) => {
    const taken = termsOfPool(state, terms.UserPoolId).some((t) => t.ClientId === terms.ClientId && t.TermsName === terms.TermsName && t.TermsId !== terms.TermsId);
    if (taken) throw new errors.CognitoError("TermsExistsException", `Terms named ${terms.TermsName} already exist for app client ${terms.ClientId}.`);
  };
  return {
    CreateTerms(input) {
      const termsName = termsNameOf(input, true)!;
      const source = termsSourceOf(input, true)!;
      const enforcement = enforcementOf(input, true)!;
      const links = linksOf(input) ?? {};
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const client = ctx.requireClient(requiredString(input, "ClientId"), pool);
      const now = ctx.now();
      const terms: TermsRecord = {
        TermsId: randomUUID(), UserPoolId: pool.Id, ClientId: client.ClientId, TermsName: termsName, TermsSource: source, Enforcement: enforcement,
        Links: links, CreationDate: now, LastModifiedDate: now,
      };
      checkNameFree(terms);
      state.store.put(TERMS, terms.TermsId, terms);
      return { Terms: terms };
    },
    DescribeTerms(input) {
      return { Terms: existing(input) };
    },
    DescribeTermsByClient(input) {
      const termsName = termsNameOf(input, true)!;
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const client = ctx.requireClient(requiredString(input, "ClientId"), pool);
      const terms = termsOfPool(state, pool.Id).find((t) => t.ClientId === client.ClientId && t.TermsName === termsName);
      if (!terms) throw errors.resourceNotFound(`Terms named ${termsName} do not exist for app client ${client.ClientId}.`);
      return { Terms: terms };
    },
    ListTerms(input) {
      const max = optionalNumber(input, "MaxResults") ?? 60;
      if (!Number.isInteger(max) || max < 1 || max > 60) {
        throw errors.invalidParameter(`1 validation error detected: Value '${max}' at 'maxResults' failed to satisfy constraint: Member must have value ${max < 1 ? "greater than or equal to 1" : "less than or equal to 60"}`);
      }
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const { page, nextToken } = pageAfter(termsOfPool(state, pool.Id), (t) => [t.CreationDate, t.TermsId], readPageToken(input, "NextToken"), max);
      return {
        Terms: page.map((t) => ({ TermsId: t.TermsId, TermsName: t.TermsName, Enforcement: t.Enforcement, CreationDate: t.CreationDate, LastModifiedDate: t.LastModifiedDate })),
        ...(nextToken ? { NextToken: nextToken } : {}),
      };
    },
    UpdateTerms(input) {
      const termsName = termsNameOf(input, false);
      const source = termsSourceOf(input, false);
      const enforcement = enforcementOf(input, false);
      const links = linksOf(input);
      const terms = existing(input);
      const updated: TermsRecord = {
        ...terms,
        ...(termsName ? { TermsName: termsName } : {}),
        ...(source ? { TermsSource: source } : {}),
        ...(enforcement ? { Enforcement: enforcement } : {}),
        ...(links ? { Links: links } : {}),
        LastModifiedDate: ctx.now(),
      };
      checkNameFree(updated);
      state.store.put(TERMS, updated.TermsId, updated);
      return { Terms: updated };
    },
    DeleteTerms(input) {
      const terms = existing(input);
      state.store.delete(TERMS, terms.TermsId);
      return {};
    },
  };
}

/**
 * The links the managed-login pages show for a client: its terms of use and privacy policy in `language` (else
 * `cognito:default`), only once it has both, as AWS displays them.
 */
export function termsLinksFor(ctx: ServiceContext, poolId: string, clientId: string, language = "english"): { termsOfUse: string; privacyPolicy: string } | undefined {
  const ofClient = termsOfPool(ctx.state, poolId).filter((t) => t.ClientId === clientId);
  const link = (name: TermsRecord["TermsName"]) => {
    const links = ofClient.find((t) => t.TermsName === name)?.Links;
    return links?.[`cognito:${language}`] ?? links?.["cognito:default"];
  };
  const termsOfUse = link("terms-of-use");
  const privacyPolicy = link("privacy-policy");
  return termsOfUse && privacyPolicy ? { termsOfUse, privacyPolicy } : undefined;
}

function termsIdOf(input: Input): string {
  const id = requiredString(input, "TermsId");
  if (!TERMS_ID.test(id)) {
    throw constraintError(id, "termsId", `Member must satisfy regular expression pattern: ${TERMS_ID.source}`);
  }
  return id;
}

function termsNameOf(input: Input, required: boolean): TermsRecord["TermsName"] | undefined {
  const name = required ? requiredString(input, "TermsName") : optionalString(input, "TermsName");
  if (name === undefined) return undefined;
  if (name !== "terms-of-use" && name !== "privacy-policy") {
    throw constraintError(name, "termsName", "Member must satisfy regular expression pattern: ^(terms-of-use|privacy-policy)$");
  }
  return name;
}

function termsSourceOf(input: Input, required: boolean): "LINK" | undefined {
  const value = required ? requiredString(input, "TermsSource") : optionalString(input, "TermsSource");
  return value === undefined ? undefined : enumMember(value, ["LINK"] as const, "termsSource");
}

function enforcementOf(input: Input, required: boolean): "NONE" | undefined {
  const value = required ? requiredString(input, "Enforcement") : optionalString(input, "Enforcement");
  return value === undefined ? undefined : enumMember(value, ["NONE"] as const, "enforcement");
}

function linksOf(input: Input): Record<string, string> | undefined {
  const links = optionalObject(input, "Links");
  if (!links) return undefined;
  const entries = Object.entries(links);
  if (entries.length < 1 || entries.length > MAX_LINKS) {
    throw errors.invalidParameter(`1 validation error detected: Value at 'links' failed to satisfy constraint: Member must have length between 1 and ${MAX_LINKS}`);
  }
  for (const [key, value] of entries) {
    if (!LANGUAGE_KEY.test(key)) {
      throw errors.invalidParameter(`1 validation error detected: Value '${key}' at 'links' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: ${LANGUAGE_KEY.source}]`);
    }
    if (typeof value !== "string" || value.length < 1 || value.length > 1024 || !LINK_VALUE.test(value)) {
      throw errors.invalidParameter(`1 validation error detected: Value at 'links.${key}' failed to satisfy constraint: Member must have length between 1 and 1024, Member must satisfy regular expression pattern: ^[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+$`);
    }
  }
  return links as Record<string, string>;
}
