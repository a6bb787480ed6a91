// cognito-idp provisioned API rate limits (GetProvisionedLimit, UpdateProvisionedLimit): account-level settings, one
// per API category and Region (the request's signing Region), not per user pool. Each category has AWS's default (free)
// rate; an adjustable category's provisioned rate may be set from that default up to the account's maximum. The
// local service stores and returns them and throttles nothing.
import * as errors from "../errors";
import { optionalNumber, optionalObject, type Input } from "../input";
import type { OperationTable, ServiceContext } from "../context";
import { constraintError, enumMember } from "../validation";

/** AWS's user pool API categories: default rate (requests per second) and whether it can be provisioned higher. */
const CATEGORIES: Record<string, { free: number; adjustable: boolean }> = {
  UserAuthentication: { free: 120, adjustable: true },
  UserCreation: { free: 50, adjustable: true },
  UserFederation: { free: 25, adjustable: true },
  UserAccountRecovery: { free: 30, adjustable: false },
  UserRead: { free: 120, adjustable: true },
  UserUpdate: { free: 25, adjustable: false },
  UserResourceRead: { free: 50, adjustable: true },
  UserResourceUpdate: { free: 25, adjustable: false },
  UserList: { free: 30, adjustable: false },
  UserToken: { free: 120, adjustable: true },
  UserPoolRead: { free: 15, adjustable: false },
  UserPoolUpdate: { free: 15, adjustable: false },
  UserPoolResourceRead: { free: 20, adjustable: false },
  UserPoolResourceUpdate: { free: 15, adjustable: false },
  UserPoolClientRead: { free: 15, adjustable: false },
  UserPoolClientUpdate: { free: 15, adjustable: false },
  ClientAuthentication: { free: 150, adjustable: true },
};

/**
 * The account-level maximum in Service Quotas, as a multiple of the default rate. AWS grants each account its own and
 * publishes none; the local account's is ten times the default.
 */
const LOCAL_ACCOUNT_MAXIMUM_FACTOR = 10;
const COLLECTION = "provisionedLimits";

interface LimitDefinition {
  LimitClass: "API_CATEGORY";
  Attributes: { Category: string };
}

/** The LimitDefinition member: class API_CATEGORY and a known `Category` attribute (and no other). */
function limitDefinition(input: Input): LimitDefinition {
  const definition = optionalObject(input, "LimitDefinition");
  if (!definition) throw errors.missingMember("LimitDefinition");
  if (definition.LimitClass === undefined || definition.LimitClass === null) throw constraintError(null, "limitDefinition.limitClass", "Member must not be null");
  enumMember(definition.LimitClass, ["API_CATEGORY"] as const, "limitDefinition.limitClass");
  const attributes = optionalObject(definition, "Attributes");
  if (!attributes) throw constraintError(null, "limitDefinition.attributes", "Member must not be null");
  const keys = Object.keys(attributes);
  if (keys.length !== 1 || keys[0] !== "Category") throw errors.invalidParameter("An API_CATEGORY limit is identified by exactly one attribute, Category.");
  const category = attributes.Category;
  if (typeof category !== "string" || !Object.hasOwn(CATEGORIES, category)) {
    throw errors.invalidParameter(`Invalid Category ${String(category)}: it must be one of ${Object.keys(CATEGORIES).join(", ")}.`);
  }
  return { LimitClass: "API_CATEGORY", Attributes: { Category: category } };
}

export function provisionedLimitOperations(ctx: ServiceContext): OperationTable {
  const { store } = ctx.state;
  const key = (category: string) => `${ctx.region}/${category}`;
  const limit = (definition: LimitDefinition) => {
    const category = definition.Attributes.Category;
    const free = CATEGORIES[category].free;
    return { LimitDefinition: definition, ProvisionedLimitValue: store.get<number>(COLLECTION, key(category)) ?? free, FreeLimitValue: free };
  };
  return {
    GetProvisionedLimit(input) {
      return { Limit: limit(limitDefinition(input)) };
    },
    UpdateProvisionedLimit(input) {
      const definition = limitDefinition(input);
      const requested = optionalNumber(input, "RequestedLimitValue");
      if (requested === undefined) throw errors.missingMember("RequestedLimitValue");
      if (!Number.isInteger(requested) || requested > 2 ** 31 - 1) throw constraintError(requested, "requestedLimitValue", "Member must be an integer");
      const category = definition.Attributes.Category;
      const { free, adjustable } = CATEGORIES[category];
      if (!adjustable) throw errors.invalidParameter(`The ${category} category is not adjustable: only adjustable quota categories support provisioning.`);
      if (requested < free) throw errors.invalidParameter(`RequestedLimitValue ${requested} is below the default limit of ${free} requests per second for ${category}.`);
      const maximum = free * LOCAL_ACCOUNT_MAXIMUM_FACTOR;
      if (requested > maximum) throw errors.serviceQuotaExceeded(`RequestedLimitValue ${requested} exceeds your account-level maximum of ${maximum} requests per second for ${category}. Request a Service Quotas increase first.`);
      store.put(COLLECTION, key(category), requested);
      return { Limit: limit(definition) };
    },
  };
}
