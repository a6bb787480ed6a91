// Fixture for test/tfaws-oauth.test.ts: hosted sign-in on a domain, a resource server, two machine clients, a route
// protected with a scope, one without, and a function that gets a machine token.
bring cloud;
bring "../../cognito.w" as cognito;

let api = new cloud.Api() as "api";
api.get("/orders", inflight () => { return { status: 200 }; });
api.post("/orders", inflight () => { return { status: 201 }; });
api.get("/profile", inflight () => { return { status: 200 }; });

let auth = new cognito.Cognito(api,
  domainPrefix: "shop-example",
  hostedSignIn: { callbackUrls: ["https://app.example.com/callback"], logoutUrls: ["https://app.example.com/"], scopes: ["openid", "email", "orders/read"] },
  resourceServers: [{ identifier: "orders", name: "Orders API", scopes: ["read", "write"] }],
  machineClients: [{ name: "reporting", scopes: ["orders/read"] }],
) as "auth";
auth.get("/orders", scopes: ["orders/read"]);
auth.post("/orders", scopes: ["orders/write", "orders/admin"]);
auth.get("/profile");

new cloud.Function(inflight () => {
  auth.machineToken("reporting");
}) as "reporter";
