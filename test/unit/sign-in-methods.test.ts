// The compile-time check of the `signInMethods` and `passkeys` props (lib/sign-in-methods.ts), for both targets: what
// each accepted combination asks of Cognito, and the refusals with what to change.
import { test } from "node:test";
import assert from "node:assert/strict";
import { signInSettings } from "../../lib/sign-in-methods";

test("without signInMethods nothing changes: no factors, no plan, no USER_AUTH, no passkeys", () => {
  assert.deepEqual(signInSettings("sim", undefined), { factors: [], tier: "", userAuth: false, passkeys: false, relyingPartyId: "", userVerification: "" });
  assert.deepEqual(signInSettings("tf-aws", {}).factors, []);
});

test("PASSWORD is added first when not listed; the plan is ESSENTIALS and the client gets USER_AUTH", () => {
  const settings = signInSettings("sim", { signInMethods: ["EMAIL_OTP"] });
  assert.deepEqual(settings, { factors: ["PASSWORD", "EMAIL_OTP"], tier: "ESSENTIALS", userAuth: true, passkeys: false, relyingPartyId: "", userVerification: "" });
  assert.deepEqual(signInSettings("sim", { signInMethods: ["WEB_AUTHN", "PASSWORD", "EMAIL_OTP"] }).factors, ["PASSWORD", "EMAIL_OTP", "WEB_AUTHN"]);
  assert.deepEqual(signInSettings("sim", { signInMethods: ["PASSWORD"] }).factors, ["PASSWORD"]);
});

test("passkeys: localhost by default in the simulator; on tf-aws the given id, or the pool's domain (left to Cognito)", () => {
  assert.deepEqual(signInSettings("sim", { signInMethods: ["WEB_AUTHN"] }), {
    factors: ["PASSWORD", "WEB_AUTHN"], tier: "ESSENTIALS", userAuth: true, passkeys: true, relyingPartyId: "localhost", userVerification: "preferred",
  });
  const given = signInSettings("tf-aws", { signInMethods: ["WEB_AUTHN"], passkeys: { relyingPartyId: "app.example.com", userVerification: "required" } });
  assert.equal(given.relyingPartyId, "app.example.com");
  assert.equal(given.userVerification, "required");
  const domain = signInSettings("tf-aws", { signInMethods: ["WEB_AUTHN"], domainPrefix: "my-app" });
  assert.equal(domain.relyingPartyId, "");
  assert.equal(domain.passkeys, true);
});

test("refusals say what to change", () => {
  const refuses = (target: string, props: Parameters<typeof signInSettings>[1], pattern: RegExp) =>
    assert.throws(() => signInSettings(target, props), (e: Error) => pattern.test(e.message) && e.message.startsWith("@winglibs/cognito: "));
  refuses("sim", { signInMethods: ["MAGIC_LINK"] }, /unknown method "MAGIC_LINK" \(use PASSWORD, EMAIL_OTP, SMS_OTP, WEB_AUTHN\)/);
  refuses("sim", { signInMethods: ["EMAIL_OTP", "EMAIL_OTP"] }, /"EMAIL_OTP" is listed twice/);
  refuses("sim", { signInMethods: ["EMAIL_OTP"], autoVerifiedAttributes: [] }, /EMAIL_OTP sends the code to a verified email: add "email" to autoVerifiedAttributes/);
  refuses("sim", { signInMethods: ["SMS_OTP"] }, /add "phone_number" to autoVerifiedAttributes/);
  refuses("tf-aws", { signInMethods: ["SMS_OTP"], autoVerifiedAttributes: ["phone_number"] }, /SMS_OTP needs the pool to send text messages through Amazon SNS/);
  refuses("sim", { passkeys: {} }, /passkeys needs "WEB_AUTHN" among signInMethods/);
  refuses("sim", { signInMethods: ["EMAIL_OTP"], passkeys: { relyingPartyId: "localhost" } }, /passkeys needs "WEB_AUTHN"/);
  refuses("sim", { signInMethods: ["WEB_AUTHN"], passkeys: { userVerification: "discouraged" } }, /userVerification must be "preferred" or "required" \(got "discouraged"\)/);
  refuses("sim", { signInMethods: ["WEB_AUTHN"], passkeys: { relyingPartyId: "https://example.com" } }, /relyingPartyId must be a domain name/);
  refuses("tf-aws", { signInMethods: ["WEB_AUTHN"] }, /WEB_AUTHN on tf-aws needs a relying party id: set passkeys.relyingPartyId .* or set domainPrefix/);
  // SMS_OTP works in the simulator.
  assert.deepEqual(signInSettings("sim", { signInMethods: ["SMS_OTP"], autoVerifiedAttributes: ["phone_number"] }).factors, ["PASSWORD", "SMS_OTP"]);
});
