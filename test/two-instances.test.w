// Two Cognito instances in one app, on two apis, don't interfere: separate pools and ids, the same email
// in both, and each api accepting only its own pool's tokens (in its own header).
bring cloud;
bring expect;
bring http;
bring util;
bring "../cognito.w" as cognito;

let shop = new cloud.Api() as "shop";
shop.get("/orders", inflight (req) => { return { status: 200, body: "orders" }; });
let shopAuth = new cognito.Cognito(shop) as "shop-auth";
shopAuth.get("/orders");

let admin = new cloud.Api() as "admin";
admin.get("/users", inflight (req) => { return { status: 200, body: "users" }; });
let adminAuth = new cognito.Cognito(admin, name: "admin-pool", headerKey: "X-Admin-Token") as "admin-auth";
adminAuth.get("/users");

test "two Cognito instances don't interfere" {
  assert(shopAuth.userPoolId != adminAuth.userPoolId);
  assert(shopAuth.clientId != adminAuth.clientId);
  assert(shopAuth.identityPoolId != adminAuth.identityPoolId);

  let email = "user-{util.uuidv4()}@wing.cloud";
  let password = "Str0ng-Passw0rd!";
  shopAuth.signUp(email, password);
  shopAuth.adminConfirmUser(email);
  adminAuth.signUp(email, password);
  adminAuth.adminConfirmUser(email);
  let shopToken = shopAuth.initiateAuth(email, password);
  let adminToken = adminAuth.initiateAuth(email, password);

  expect.equal(http.get("{shop.url}/orders", headers: { "Authorization": "Bearer {shopToken}" }).status, 200);
  expect.equal(http.get("{shop.url}/orders", headers: { "Authorization": "Bearer {adminToken}" }).status, 401);
  expect.equal(http.get("{admin.url}/users", headers: { "X-Admin-Token": adminToken }).status, 200);
  expect.equal(http.get("{admin.url}/users", headers: { "X-Admin-Token": shopToken }).status, 401);
  expect.equal(http.get("{admin.url}/users", headers: { "Authorization": "Bearer {adminToken}" }).status, 401);
}
