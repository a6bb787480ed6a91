export default interface extern {
  executeApiRouteArn: (executionArn: string, stage: string, method: string, path: string) => string,
  identityPoolTrustPolicy: (identityPoolId: string, amr: string) => string,
  invokePolicy: (routeArns: (readonly (string)[])) => string,
  userPoolActionsForOps: (ops: (readonly (string)[])) => (readonly (string)[]),
}
