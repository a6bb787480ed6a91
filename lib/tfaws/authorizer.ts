// The API Gateway security schemes (OpenAPI extensions) that put Cognito in front of a REST API:
// a Cognito user pools authorizer, or IAM (SigV4) authorization.

/** A `components.securitySchemes` entry that API Gateway imports as an authorizer. */
export interface ApiGatewaySecurityScheme {
  readonly type: "apiKey";
  readonly name: string;
  readonly in: "header";
  readonly "x-amazon-apigateway-authtype": "cognito_user_pools" | "awsSigv4";
  readonly "x-amazon-apigateway-authorizer"?: {
    readonly type: "cognito_user_pools";
    readonly providerARNs: readonly string[];
  };
}

/**
 * A COGNITO_USER_POOLS authorizer that accepts ID tokens of the user pool `userPoolArn`, read from
 * the request header `headerKey`.
 */
export function cognitoUserPoolsScheme(headerKey: string, userPoolArn: string): ApiGatewaySecurityScheme {
  if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(headerKey)) {
    throw new Error(`invalid header name for the token: "${headerKey}"`);
  }
  return {
    type: "apiKey",
    name: headerKey,
    in: "header",
    "x-amazon-apigateway-authtype": "cognito_user_pools",
    "x-amazon-apigateway-authorizer": { type: "cognito_user_pools", providerARNs: [userPoolArn] },
  };
}

/** AWS_IAM authorization: callers sign requests with SigV4 (e.g. identity pool credentials). */
export function awsSigv4Scheme(): ApiGatewaySecurityScheme {
  return {
    type: "apiKey",
    name: "Authorization",
    in: "header",
    "x-amazon-apigateway-authtype": "awsSigv4",
  };
}
