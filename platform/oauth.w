// The inflight OAuth half shared by both backends: `client_credentials` tokens for the machine clients, from the
// pool domain's token endpoint (the local service in the simulator, `<prefix>.auth.<region>.amazoncognito.com` on AWS).

/// Where a backend's OAuth endpoints and machine clients are.
pub struct OAuthConnection {
  /// The Cognito endpoint for DescribeUserPoolClient: the local service's URL, or "" on AWS.
  endpoint: str;
  /// The AWS region of the pool.
  region: str;
  /// The user pool id.
  userPoolId: str;
  /// The base URL of the pool domain's OAuth endpoints, or "" when the pool has no domain.
  domainUrl: str;
  /// Machine client ids by name.
  machineClients: Map<str>;
}

/// Inflight OAuth calls of one pool.
pub class OAuthClient {
  conn: OAuthConnection;
  new(conn: OAuthConnection) {
    this.conn = conn;
  }

  /// A `client_credentials` access token of the machine client `name` (see `Cognito.machineToken`).
  pub inflight machineToken(name: str, scopes: Array<str>?): str {
    return OAuthClient._machineToken(this.conn, name, scopes ?? []);
  }

  extern "../lib/inflight/oauth.ts" static inflight _machineToken(conn: OAuthConnection, name: str, scopes: Array<str>): str;
}
