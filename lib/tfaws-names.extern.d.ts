export default interface extern {
  cognitoResourceNames: (path: string, addr: string, name?: (string) | undefined) => CognitoResourceNames,
}
/** The names of one instance's AWS resources (see lib/tfaws-names.ts). */
export interface CognitoResourceNames {
  readonly authenticatedRolePrefix: string;
  readonly base: string;
  readonly identityPool: string;
  readonly securityScheme: string;
  readonly unauthenticatedRolePrefix: string;
  readonly userPool: string;
  readonly userPoolClient: string;
}