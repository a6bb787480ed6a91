// AWS-shaped errors of the local Cognito service: an exception name (the SDKs' typed error), a message and an HTTP status.

/** An error that the service reports to the client as `{"__type": name, "message": message}`. */
export class CognitoError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status: number = 400,
  ) {
    super(message);
    this.name = type;
  }
}

const make = (type: string) => (message: string) => new CognitoError(type, message);

export const notAuthorized = make("NotAuthorizedException");
export const invalidParameter = make("InvalidParameterException");
export const resourceNotFound = make("ResourceNotFoundException");
export const userNotFound = make("UserNotFoundException");
export const usernameExists = make("UsernameExistsException");
export const userNotConfirmed = make("UserNotConfirmedException");
export const invalidPassword = make("InvalidPasswordException");
export const codeMismatch = make("CodeMismatchException");
export const expiredCode = make("ExpiredCodeException");
export const aliasExists = make("AliasExistsException");
export const groupExists = make("GroupExistsException");
export const limitExceeded = make("LimitExceededException");
export const tooManyFailedAttempts = make("TooManyFailedAttemptsException");
export const passwordResetRequired = make("PasswordResetRequiredException");
export const unsupportedTokenType = make("UnsupportedTokenTypeException");
export const softwareTokenMfaNotFound = make("SoftwareTokenMFANotFoundException");
export const enableSoftwareTokenMfa = make("EnableSoftwareTokenMFAException");
export const mfaMethodNotFound = make("MFAMethodNotFoundException");
export const invalidIdentityPoolConfiguration = make("InvalidIdentityPoolConfigurationException");
export const serialization = make("SerializationException");
export const unknownOperation = make("UnknownOperationException");
export const featureUnavailableInTier = make("FeatureUnavailableInTierException");
export const managedLoginBrandingExists = make("ManagedLoginBrandingExistsException");
export const operationNotEnabled = make("OperationNotEnabledException");
export const serviceQuotaExceeded = make("ServiceQuotaExceededException");
export const webAuthnNotEnabled = make("WebAuthnNotEnabledException");
export const webAuthnConfigurationMissing = make("WebAuthnConfigurationMissingException");
export const webAuthnChallengeNotFound = make("WebAuthnChallengeNotFoundException");
export const webAuthnClientMismatch = make("WebAuthnClientMismatchException");
export const webAuthnOriginNotAllowed = make("WebAuthnOriginNotAllowedException");
export const webAuthnRelyingPartyMismatch = make("WebAuthnRelyingPartyMismatchException");
export const webAuthnCredentialNotSupported = make("WebAuthnCredentialNotSupportedException");

/** The NotAuthorizedException AWS returns for a wrong password (and, with PreventUserExistenceErrors, an unknown user). */
export const incorrectCredentials = () => notAuthorized("Incorrect username or password.");

/** AWS's validation message for a missing required member. */
export function missingMember(member: string): CognitoError {
  const camel = member.charAt(0).toLowerCase() + member.slice(1);
  return invalidParameter(`1 validation error detected: Value null at '${camel}' failed to satisfy constraint: Member must not be null`);
}
