// cognito-idp operations on resource servers (Create, Describe, List, Update, DeleteResourceServer) with AWS's
// validation, and the lookups the OAuth side needs: the custom scopes (`<identifier>/<scope name>`) a pool defines.
// Resource servers live in their own collection of the durable store, keyed by pool id and identifier, and go with
// their pool.
import * as errors from "../errors";
import { optionalNumber, requiredString, type Input } from "../input";
import type { OperationTable, ServiceContext } from "../context";
import { pageAfter, readPageToken } from "../paging";
import { poolRecords } from "../pool-records";
import { constraintError as validation } from "../validation";

/** One custom scope of a resource server. */
export interface ResourceServerScope {
  ScopeName: string;
  ScopeDescription: string;
}

/** A resource server as stored and as DescribeResourceServer returns it. */
export interface ResourceServerRecord {
  UserPoolId: string;
  Identifier: string;
  Name: string;
  Scopes: ResourceServerScope[];
  /** Creation time (epoch seconds), for stable paging; not part of the wire shape. */
  createdAt: number;
}

const COLLECTION = "resourceServers";
const IDENTIFIER_PATTERN = /^[\x21\x23-\x5B\x5D-\x7E]{1,256}$/;
const NAME_PATTERN = /^[\w\s+=,.@-]{1,256}$/;
const SCOPE_NAME_PATTERN = /^[\x21\x23-\x2E\x30-\x5B\x5D-\x7E]{1,256}$/;
/** AWS's quotas: 100 scopes per resource server, 25 resource servers per pool. */
const MAX_SCOPES = 100;
const MAX_RESOURCE_SERVERS = 25;

/** The resource servers, under `<poolId>/<identifier>`, deleted with their pool. */
const serversOf = (ctx: ServiceContext) => poolRecords<ResourceServerRecord>(ctx.state, COLLECTION);

/** Every resource server of a pool. */
export function resourceServersOf(ctx: ServiceContext, poolId: string): ResourceServerRecord[] {
  return serversOf(ctx).ofPool(poolId);
}

/** The custom scopes a pool defines, as `<identifier>/<scope name>`. */
export function customScopesOf(ctx: ServiceContext, poolId: string): Set<string> {
  const scopes = new Set<string>();
  for (const server of resourceServersOf(ctx, poolId)) for (const s of server.Scopes) scopes.add(`${server.Identifier}/${s.ScopeName}`);
  return scopes;
}


function checkIdentifier(identifier: string): void {
  if (!IDENTIFIER_PATTERN.test(identifier)) {
    throw validation(identifier, "identifier", "Member must satisfy regular expression pattern: [\\x21\\x23-\\x5B\\x5D-\\x7E]+");
  }
}

function readName(input: Input): string {
  const name = requiredString(input, "Name");
  if (!NAME_PATTERN.test(name)) throw validation(name, "name", "Member must satisfy regular expression pattern: [\\w\\s+=,.@-]+");
  return name;
}

/** The `Scopes` member: at most 100, each with a valid name and a 1-256 character description, no duplicates. */
function readScopes(input: Input): ResourceServerScope[] {
  const raw = input.Scopes;
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw errors.invalidParameter("Scopes must be a list of scopes.");
  if (raw.length > MAX_SCOPES) throw validation("[...]", "scopes", `Member must have length less than or equal to ${MAX_SCOPES}`);
  const seen = new Set<string>();
  return raw.map((entry, index) => {
    if (!entry || typeof entry !== "object" || Array.isArray(entry)) throw errors.invalidParameter("Scopes must be a list of scopes.");
    const { ScopeName, ScopeDescription } = entry as Record<string, unknown>;
    const where = `scopes.${index + 1}.member`;
    if (ScopeName === undefined || ScopeName === null) throw errors.invalidParameter(`1 validation error detected: Value null at '${where}.scopeName' failed to satisfy constraint: Member must not be null`);
    if (ScopeDescription === undefined || ScopeDescription === null) throw errors.invalidParameter(`1 validation error detected: Value null at '${where}.scopeDescription' failed to satisfy constraint: Member must not be null`);
    if (typeof ScopeName !== "string" || !SCOPE_NAME_PATTERN.test(ScopeName)) {
      throw validation(ScopeName, `${where}.scopeName`, "Member must satisfy regular expression pattern: [\\x21\\x23-\\x2E\\x30-\\x5B\\x5D-\\x7E]+");
    }
    if (typeof ScopeDescription !== "string" || ScopeDescription.length < 1 || ScopeDescription.length > 256) {
      throw validation(ScopeDescription, `${where}.scopeDescription`, "Member must have length between 1 and 256");
    }
    if (seen.has(ScopeName)) throw errors.invalidParameter(`Duplicate scope name ${ScopeName} in the resource server.`);
    seen.add(ScopeName);
    return { ScopeName, ScopeDescription };
  });
}

const wire = (r: ResourceServerRecord) => ({ UserPoolId: r.UserPoolId, Identifier: r.Identifier, Name: r.Name, Scopes: r.Scopes });

export function resourceServerOperations(ctx: ServiceContext): OperationTable {
  const servers = serversOf(ctx);
  const requireServer = (poolId: string, identifier: string): ResourceServerRecord => {
    checkIdentifier(identifier);
    const found = servers.get(poolId, identifier);
    if (!found) throw errors.resourceNotFound(`Resource server ${identifier} does not exist.`);
    return found;
  };
  return {
    CreateResourceServer(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const identifier = requiredString(input, "Identifier");
      checkIdentifier(identifier);
      const name = readName(input);
      const scopes = readScopes(input);
      if (servers.get(pool.Id, identifier)) throw errors.invalidParameter(`${identifier} already exists in pool ${pool.Id}.`);
      if (resourceServersOf(ctx, pool.Id).length >= MAX_RESOURCE_SERVERS) throw errors.limitExceeded(`A user pool can have at most ${MAX_RESOURCE_SERVERS} resource servers.`);
      const record: ResourceServerRecord = { UserPoolId: pool.Id, Identifier: identifier, Name: name, Scopes: scopes, createdAt: ctx.now() };
      servers.put(pool.Id, identifier, record);
      return { ResourceServer: wire(record) };
    },
    DescribeResourceServer(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      return { ResourceServer: wire(requireServer(pool.Id, requiredString(input, "Identifier"))) };
    },
    ListResourceServers(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const max = optionalNumber(input, "MaxResults") ?? 50;
      if (!Number.isInteger(max) || max < 1 || max > 50) throw validation(max, "maxResults", "Member must have value between 1 and 50");
      const { page, nextToken } = pageAfter(resourceServersOf(ctx, pool.Id), (r) => [r.createdAt, r.Identifier], readPageToken(input, "NextToken"), max);
      return { ResourceServers: page.map(wire), ...(nextToken ? { NextToken: nextToken } : {}) };
    },
    UpdateResourceServer(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const existing = requireServer(pool.Id, requiredString(input, "Identifier"));
      // As on AWS, an update replaces the name and the whole scope list (scopes left out are removed).
      const updated: ResourceServerRecord = { ...existing, Name: readName(input), Scopes: readScopes(input) };
      servers.put(pool.Id, existing.Identifier, updated);
      return { ResourceServer: wire(updated) };
    },
    DeleteResourceServer(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const existing = requireServer(pool.Id, requiredString(input, "Identifier"));
      servers.delete(pool.Id, existing.Identifier);
      return {};
    },
  };
}
