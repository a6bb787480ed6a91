// IAM documents for the tf-aws backend: the identity pool roles' trust and invoke policies, and the
// Cognito actions each inflight operation needs on the lifting host. Pure functions, JSON strings out.

const POLICY_VERSION = "2012-10-17";

/**
 * The Cognito actions each inflight operation of the backend calls with the host's own credentials.
 * User-facing operations (SignUp, InitiateAuth) and the identity operations (GetId,
 * GetCredentialsForIdentity) are unsigned, and `caller` only fetches the pool's public JWKS, so
 * they need nothing. Every action here is granted on the backend's own user pool only.
 */
export const USER_POOL_ACTIONS_BY_OP: { readonly [op: string]: readonly string[] } = {
  signUp: [],
  adminConfirmUser: ["cognito-idp:AdminConfirmSignUp"],
  initiateAuth: [],
  signIn: [],
  getId: [],
  getCredentialsForIdentity: [],
  caller: [],
  adminAddUserToGroup: ["cognito-idp:AdminAddUserToGroup"],
  initiateCustomAuth: [],
  respondToCustomChallenge: [],
  startSignIn: [],
  answerSignIn: [],
  signUpWithoutPassword: [],
  confirmSignUp: [],
  confirmSignUpAndSignIn: [],
  // Simulator only: on tf-aws they throw before calling anything.
  federatedSignIn: [],
  sentCodes: [],
  lastCode: [],
  // The machine client's secret is read at run time rather than kept in the function's environment.
  machineToken: ["cognito-idp:DescribeUserPoolClient"],
};

/** The user pool actions needed by `ops` (inflight operation names), sorted and without repeats. */
export function userPoolActionsForOps(ops: readonly string[]): string[] {
  const actions = new Set<string>();
  for (const op of ops) {
    for (const action of USER_POOL_ACTIONS_BY_OP[op] ?? []) {
      actions.add(action);
    }
  }
  return [...actions].sort();
}

/**
 * The execute-api ARN of one route of a REST API stage: `<executionArn>/<stage>/<METHOD><path>`,
 * with every path parameter (`:id` or `{id}`) as `*`, as API Gateway matches request paths.
 */
export function executeApiRouteArn(executionArn: string, stage: string, method: string, path: string): string {
  if (!path.startsWith("/")) {
    throw new Error(`route path must start with "/": ${path}`);
  }
  const resourcePath = path
    .split("/")
    .map((segment) => (/^:[A-Za-z0-9_-]+$/.test(segment) || /^\{[^}/]+\}$/.test(segment) ? "*" : segment))
    .join("/");
  return `${executionArn}/${stage}/${method.toUpperCase()}${resourcePath}`;
}

/** A permission policy that allows `execute-api:Invoke` on exactly `routeArns` (at least one). */
export function invokePolicy(routeArns: readonly string[]): string {
  const resources = [...new Set(routeArns)].sort();
  if (resources.length === 0) {
    throw new Error("an invoke policy needs at least one route");
  }
  for (const arn of resources) {
    if (arn === "*" || !arn.includes("/")) {
      throw new Error(`not a route ARN: ${arn}`);
    }
  }
  return JSON.stringify({
    Version: POLICY_VERSION,
    Statement: [{ Effect: "Allow", Action: ["execute-api:Invoke"], Resource: resources }],
  });
}

/**
 * The trust policy of an identity pool role: only web identities of `identityPoolId` whose
 * authentication method reference is `amr` may assume it.
 */
export function identityPoolTrustPolicy(
  identityPoolId: string,
  amr: "authenticated" | "unauthenticated",
): string {
  return JSON.stringify({
    Version: POLICY_VERSION,
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: "cognito-identity.amazonaws.com" },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: { "cognito-identity.amazonaws.com:aud": identityPoolId },
          "ForAnyValue:StringLike": { "cognito-identity.amazonaws.com:amr": amr },
        },
      },
    ],
  });
}
