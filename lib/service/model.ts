// The records the local Cognito service keeps: user pools, app clients, users, groups, sign-in sessions, codes,
// identity pools and the credentials they issue. Timestamps are epoch seconds, as on the wire.

export interface PasswordPolicy {
  MinimumLength: number;
  RequireUppercase: boolean;
  RequireLowercase: boolean;
  RequireNumbers: boolean;
  RequireSymbols: boolean;
  TemporaryPasswordValidityDays: number;
}

export interface SchemaAttribute {
  Name: string;
  AttributeDataType?: string;
  DeveloperOnlyAttribute?: boolean;
  Mutable?: boolean;
  Required?: boolean;
  StringAttributeConstraints?: { MinLength?: string; MaxLength?: string };
  NumberAttributeConstraints?: { MinValue?: string; MaxValue?: string };
}

/** One RSA signing key, as a PKCS#8 PEM private key and its public JWK. */
export interface SigningKey {
  kid: string;
  privateKeyPem: string;
  publicJwk: { kty: string; n: string; e: string };
}

export interface UserPoolRecord {
  Id: string;
  Name: string;
  Arn: string;
  CreationDate: number;
  LastModifiedDate: number;
  /** Settings as the client sent them (echoed back by DescribeUserPool), with defaults filled in. */
  settings: Record<string, unknown>;
  passwordPolicy: PasswordPolicy;
  usernameAttributes: string[];
  aliasAttributes: string[];
  autoVerifiedAttributes: string[];
  caseSensitive: boolean;
  schema: SchemaAttribute[];
  mfaConfiguration: "OFF" | "ON" | "OPTIONAL";
  softwareTokenMfaEnabled: boolean;
  smsMfaEnabled: boolean;
  emailMfaEnabled: boolean;
  /** Only admins may create users (AdminCreateUserConfig.AllowAdminCreateUserOnly). */
  adminCreateUserOnly: boolean;
  /** Signing keys, made when the pool first needs them (ServiceContext.poolKeys); absent until then. */
  idTokenKey?: SigningKey;
  accessTokenKey?: SigningKey;
  domain?: string;
  /** The ACM certificate of a custom domain (CreateUserPoolDomain's CustomDomainConfig); absent for a prefix domain. */
  domainCertificateArn?: string;
}

export interface AppClientRecord {
  UserPoolId: string;
  ClientId: string;
  ClientName: string;
  /** The client's first active secret (what DescribeUserPoolClient shows). */
  ClientSecret?: string;
  /**
   * Every active secret, oldest first (AddUserPoolClientSecret adds one, DeleteUserPoolClientSecret removes one); absent
   * on records of earlier versions, whose only secret is ClientSecret (see lib/service/client-secrets.ts).
   */
  secrets?: ClientSecretRecord[];
  CreationDate: number;
  LastModifiedDate: number;
  ExplicitAuthFlows: string[];
  PreventUserExistenceErrors: "ENABLED" | "LEGACY";
  /** Lifetimes in seconds. */
  accessTokenSeconds: number;
  idTokenSeconds: number;
  refreshTokenSeconds: number;
  EnableTokenRevocation: boolean;
  /** Refresh-token rotation (GetTokensFromRefreshToken issues a new refresh token); absent means DISABLED. */
  refreshTokenRotation?: { Feature: "ENABLED" | "DISABLED"; RetryGracePeriodSeconds?: number };
  /** Other settings as sent (echoed back by DescribeUserPoolClient). */
  settings: Record<string, unknown>;
}

/** One secret of an app client: its id (`<client-id>--<epoch-ms>`), value and creation time (epoch seconds). */
export interface ClientSecretRecord {
  id: string;
  value: string;
  createdAt: number;
}

export type UserStatus = "UNCONFIRMED" | "CONFIRMED" | "FORCE_CHANGE_PASSWORD" | "RESET_REQUIRED" | "EXTERNAL_PROVIDER" | "ARCHIVED" | "UNKNOWN";

/** A password, stored only as an SRP verifier (a salted one-way function of it). */
export interface PasswordVerifier {
  salt: string;
  verifier: string;
}

export interface UserRecord {
  userPoolId: string;
  /** The internal username (the key); a UUID when the pool signs in with UsernameAttributes. */
  username: string;
  sub: string;
  attributes: Record<string, string>;
  enabled: boolean;
  status: UserStatus;
  createdAt: number;
  lastModifiedAt: number;
  password?: PasswordVerifier;
  /** Expiry of a temporary password (FORCE_CHANGE_PASSWORD). */
  temporaryPasswordExpiresAt?: number;
  failedSignIns: number;
  lockedUntil?: number;
  mfa: {
    preferred?: "SMS_MFA" | "SOFTWARE_TOKEN_MFA" | "EMAIL_OTP";
    smsEnabled: boolean;
    softwareTokenEnabled: boolean;
    emailEnabled: boolean;
    totpSecret?: string;
    pendingTotpSecret?: string;
    /** The 30-second step of the last TOTP code accepted: a code is good once. */
    lastTotpStep?: number;
  };
}

export interface GroupRecord {
  UserPoolId: string;
  GroupName: string;
  Description?: string;
  RoleArn?: string;
  Precedence?: number;
  CreationDate: number;
  LastModifiedDate: number;
}

/** One sign-in: the refresh token and every access token issued from it share its origin_jti. */
export interface SessionRecord {
  originJti: string;
  userPoolId: string;
  clientId: string;
  username: string;
  authTime: number;
  /** SHA-256 of the refresh token. */
  refreshTokenHash: string;
  refreshExpiresAt: number;
  revoked: boolean;
  /** Set when the refresh token was rotated out: it answers until then (the client's retry grace period). */
  refreshUsableUntil?: number;
  /** The tracked device the sign-in came from (device tracking): its refresh token works only with that DEVICE_KEY. */
  deviceKey?: string;
  /** The OAuth scopes granted, for sessions begun at the OAuth endpoints (their refreshed tokens keep them). */
  oauthScope?: string;
  /**
   * The session's id as ListUserSessions shows it (`tkn` + 25 lowercase letters and digits). A rotated refresh token's
   * new record keeps it: rotation continues the session. Absent on records of earlier versions (derived then).
   */
  sessionId?: string;
  /** When the session began (epoch milliseconds: sessions of one second stay ordered); absent on earlier records. */
  createdAtMs?: number;
  /** The last refresh on the session (epoch milliseconds); absent until the first refresh. */
  lastActiveAtMs?: number;
}

/** What a code is for; SIGN_IN is a one-time code of passwordless sign-in (EMAIL_OTP, SMS_OTP first factor). */
export type CodePurpose = "SIGN_UP" | "FORGOT_PASSWORD" | "VERIFY_ATTRIBUTE" | "MFA" | "ADMIN_CREATE_USER" | "SIGN_IN";

/** A one-time code sent to a user, kept hashed with its attempt count. */
export interface PendingCode {
  userPoolId: string;
  username: string;
  purpose: CodePurpose;
  /** The attribute being verified, for VERIFY_ATTRIBUTE. */
  attribute?: string;
  /** The attribute's value when the code was sent: the code is void once the attribute has another value. */
  value?: string;
  codeHash: string;
  expiresAt: number;
  attempts: number;
}

/** A code as "delivered": written to the log and readable through the local-only code route. */
export interface DeliveredCode {
  userPoolId: string;
  username: string;
  purpose: CodePurpose;
  code: string;
  destination: string;
  deliveryMedium: "EMAIL" | "SMS";
  createdAt: number;
  /** The delivered text, when a CustomMessage trigger wrote it (the code filled in). */
  message?: string;
  /** The delivered email subject, when a CustomMessage trigger wrote it. */
  subject?: string;
}

export interface IdentityPoolRecord {
  IdentityPoolId: string;
  IdentityPoolName: string;
  AllowUnauthenticatedIdentities: boolean;
  AllowClassicFlow: boolean;
  CognitoIdentityProviders: Array<{ ProviderName: string; ClientId: string; ServerSideTokenCheck?: boolean }>;
  SupportedLoginProviders?: Record<string, string>;
  DeveloperProviderName?: string;
  OpenIdConnectProviderARNs?: string[];
  SamlProviderARNs?: string[];
  IdentityPoolTags?: Record<string, string>;
  Roles: Record<string, string>;
  RoleMappings?: Record<string, unknown>;
}

export interface IdentityRecord {
  IdentityId: string;
  IdentityPoolId: string;
  /** `<provider>|<sub>` for authenticated identities; absent for unauthenticated ones. */
  login?: string;
  CreationDate: number;
  LastModifiedDate: number;
}

/** Temporary credentials issued by GetCredentialsForIdentity; the secret is kept to verify SigV4 signatures. */
export interface IssuedCredentials {
  AccessKeyId: string;
  SecretKey: string;
  SessionToken: string;
  Expiration: number;
  IdentityId: string;
  IdentityPoolId: string;
  RoleArn: string;
}
