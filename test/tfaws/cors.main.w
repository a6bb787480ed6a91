// Fixture for test/tfaws-synth.test.ts: Cognito on APIs with CORS (a custom token header; AWS_IAM with
// credentials allowed), a Number attribute, SES email and deletion protection turned off; a route that only
// reads its caller, to check what its Lambda bundles.
bring cloud;
bring "../../cognito.w" as cognito;

let api = new cloud.Api(cors: true) as "user-api";
let auth = new cognito.Cognito(api, {
  headerKey: "X-Id-Token",
  schema: [
    { "Name": "age", "AttributeDataType": "Number", "Mutable": true },
    { "Name": "score", "AttributeDataType": "Number", "NumberAttributeConstraints": { "MinValue": "0", "MaxValue": "100" } },
    { "Name": "team", "AttributeDataType": "String" },
  ],
  email: {
    sesSourceArn: "arn:aws:ses:us-east-1:123456789012:identity/example.com",
    from: "Example <no-reply@example.com>",
    replyTo: "help@example.com",
    configurationSet: "sign-up-mails",
  },
  deletionProtection: false,
}) as "auth";
api.get("/me", inflight (req) => {
  if let caller = auth.caller(req) {
    return { status: 200, body: caller.sub };
  }
  return { status: 401 };
});
api.post("/sign-up", inflight (req) => {
  auth.signUp(req.body ?? "", "Passw0rd!-long");
  return { status: 201 };
});
auth.get("/me");

let iamApi = new cloud.Api(cors: true, corsOptions: {
  allowOrigin: "https://app.example.com",
  allowHeaders: ["Content-Type"],
  allowMethods: [cloud.HttpMethod.GET],
  exposeHeaders: ["X-Request-Id"],
  allowCredentials: true,
}) as "iam-api";
iamApi.get("/signed", inflight () => { return { status: 200 }; });
let iamAuth = new cognito.Cognito(iamApi, authenticationType: cognito.AuthenticationType.AWS_IAM) as "iam-auth";
iamAuth.get("/signed");
