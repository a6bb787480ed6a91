// Passwordless sign-in through the Wing API: `signInMethods` turns on choice-based sign-in (USER_AUTH) with one-time
// codes by email; a user signs up without a password, confirms with the code the test reads from the simulator
// (`lastCode`), is signed in by the confirmation's session without a second code, and calls a protected route; another
// signs in with an EMAIL_OTP code (`startSignIn`, `answerSignIn`).
bring cloud;
bring expect;
bring http;
bring "../cognito.w" as cognito;

let api = new cloud.Api();
let auth = new cognito.Cognito(api, signInMethods: ["EMAIL_OTP"]);
api.get("/me", inflight (req) => {
  if let caller = auth.caller(req) {
    return { status: 200, body: caller.email ?? "" };
  }
  return { status: 500, body: "no caller" };
});
auth.get("/me");

test "a user signs up without a password, confirms with the code that was sent, and calls a protected route" {
  let email = "no-password@example.com";
  let session = auth.signUpWithoutPassword(email);
  let sent = auth.sentCodes(email);
  expect.equal(sent.length, 1);
  expect.equal(sent.at(0).purpose, "SIGN_UP");
  expect.equal(sent.at(0).deliveryMedium, "EMAIL");
  expect.equal(sent.at(0).destination, email);
  let code = auth.lastCode(email, "SIGN_UP");
  expect.equal(code, sent.at(0).code);

  let tokens = auth.confirmSignUpAndSignIn(email, code, session);
  let res = http.get("{api.url}/me", headers: { "Authorization": "Bearer {tokens.idToken}" });
  expect.equal(res.status, 200);
  expect.equal(res.body, email);

  // The session signed the user in once; the confirmed user cannot be confirmed again.
  let var refused = "";
  try {
    auth.confirmSignUpAndSignIn(email, code, session);
  } catch e {
    refused = e;
  }
  expect.ok(refused.startsWith("NotAuthorizedException: "), refused);
  let anonymous = http.get("{api.url}/me");
  expect.equal(anonymous.status, 401);
}

test "a user signs in with a one-time code by email" {
  let email = "otp@example.com";
  auth.signUp(email, "Correct-horse-9!");
  auth.confirmSignUp(email, auth.lastCode(email, "SIGN_UP"));

  let challenge = auth.startSignIn(email, "EMAIL_OTP");
  expect.equal(challenge.challengeName, "EMAIL_OTP");
  expect.equal(challenge.deliveryMedium, "EMAIL");
  let code = auth.lastCode(email, "SIGN_IN");
  expect.equal(auth.sentCodes(email).at(0).purpose, "SIGN_IN");

  let var wrongCode = "000000";
  if code == wrongCode {
    wrongCode = "111111";
  }
  let var wrong = "";
  try {
    auth.answerSignIn(email, challenge, wrongCode);
  } catch e {
    wrong = e;
  }
  expect.ok(wrong.startsWith("CodeMismatchException: "), wrong);

  let tokens = auth.answerSignIn(email, challenge, code);
  let res = http.get("{api.url}/me", headers: { "Authorization": "Bearer {tokens.idToken}" });
  expect.equal(res.status, 200);
  expect.equal(res.body, email);
}

test "startSignIn and lastCode refuse what they cannot do" {
  let var message = "";
  try {
    auth.startSignIn("otp@example.com", "PASSWORD");
  } catch e {
    message = e;
  }
  expect.ok(message.contains("method must be EMAIL_OTP or SMS_OTP"), message);
  message = "";
  try {
    auth.lastCode("nobody@example.com");
  } catch e {
    message = e;
  }
  expect.ok(message.contains("no code was sent to nobody@example.com"), message);
}
