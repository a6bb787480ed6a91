// The hosted self-service pages, each running the API operation a user would call (page-operations.ts), so that
// password policy, triggers, existence hiding and messages are the wire's:
//  - /signup (SignUp): the username, the pool's required attributes the client may write, the password with the
//    policy's hints. A user confirmed at once (PreSignUp) is signed in straight away; else the confirmation page;
//  - /confirmUser (ConfirmSignUp): after a sign-up in the same flow the user is then signed in with the password it
//    just chose (held in the flow's memory until then) and goes back to the app with a code, as AWS's pages do; reached
//    from a link, the user goes on to the sign-in page;
//  - /resendcode (ResendConfirmationCode);
//  - /forgotPassword (ForgotPassword), then /confirmForgotPassword (ConfirmForgotPassword), then the sign-in page.
// All take the authorize parameters (checked as /oauth2/authorize checks them) and the flow's CSRF token.
import { termsLinksFor } from "../operations/terms";
import type { IncomingHttpHeaders } from "node:http";
import { CognitoError } from "../errors";
import type { RouteAnswer } from "../http-server";
import type { ServiceContext } from "../context";
import { hostedPasswordSignIn } from "../sign-in/hosted";
import { confirmSignUpPage, confirmUserPage, forgotPasswordPage, pageLinks, resetPasswordPage, signUpPage, type SignUpFields } from "./account-pages";
import type { EndpointName, OAuthTarget } from "./domain";
import { errorPage, formOf, redirect } from "./http";
import {
  beginFlow, continueSignIn, expiredFlowPage, finishWithUser, hostedUrl, readHostedRequest, resumeFlow, secretHash, usernameLabel, type HostedRequest,
} from "./login";
import { runPageOperation } from "./page-operations";
import type { FormContext } from "./pages";
import { runtimeOf } from "./runtime";

export type AccountEndpoint = Extract<EndpointName, "signUp" | "confirmUser" | "resendCode" | "forgotPassword" | "confirmForgotPassword">;

/** The attribute the username is (email or phone_number), when the pool signs users in with one. */
function usernameAttributeOf(target: OAuthTarget): string | undefined {
  const attributes = target.pool.usernameAttributes;
  return attributes.includes("email") ? "email" : attributes.includes("phone_number") ? "phone_number" : undefined;
}

/** The sign-up form's fields: required attributes the client may write, and an address to send the code to. */
function signUpFields(hosted: HostedRequest, values: Record<string, string>): SignUpFields {
  const { pool } = hosted.target;
  const usernameAttribute = usernameAttributeOf(hosted.target);
  const writable = hosted.request.client.settings.WriteAttributes;
  const mayWrite = (name: string) => !Array.isArray(writable) || writable.length === 0 || writable.includes(name);
  const attributes = pool.schema
    .filter((s) => s.Required && s.Name !== "sub" && !s.DeveloperOnlyAttribute && s.Name !== usernameAttribute && mayWrite(s.Name))
    .map((s) => s.Name);
  // Without an address the code has nowhere to go: ask for the one the pool verifies.
  const verify = pool.autoVerifiedAttributes.find((a) => a !== usernameAttribute);
  if (verify && !usernameAttribute && !attributes.includes(verify) && mayWrite(verify)) attributes.unshift(verify);
  return { usernameLabel: usernameLabel(hosted.target), usernameAttribute, attributes, values, policy: pool.passwordPolicy };
}

/** GET and POST of the self-service pages. */
export async function accountEndpoint(
  ctx: ServiceContext, target: OAuthTarget, endpoint: AccountEndpoint, method: string, query: URLSearchParams, headers: IncomingHttpHeaders, body: string,
): Promise<RouteAnswer> {
  const read = readHostedRequest(ctx, target, query, headers);
  if ("answer" in read) return read.answer;
  const hosted = read.hosted;
  const { pool } = target;
  const client = hosted.request.client;
  if (endpoint === "signUp" && pool.adminCreateUserOnly) {
    return errorPage("SignUp is not permitted for this user pool");
  }
  const backToSignIn = pageLinks([{ href: hostedUrl(hosted, "login"), text: "Sign in", prefix: endpoint === "signUp" ? "Already have an account?" : "Back to" }]);
  const terms = termsLinksFor(ctx, target.pool.Id, hosted.request.client.ClientId);
  const withTheme = (form: Omit<FormContext, "theme" | "footer">): FormContext => ({ ...form, theme: hosted.theme, footer: backToSignIn, terms });
  const label = usernameLabel(target);

  if (method !== "POST") {
    const flow = beginFlow(ctx, hosted);
    switch (endpoint) {
      case "signUp":
        return signUpPage(withTheme({ action: hostedUrl(hosted, "signUp"), ...flow }), signUpFields(hosted, {}));
      case "confirmUser":
      case "resendCode":
        return confirmUserPage(withTheme({ action: hostedUrl(hosted, "confirmUser"), ...flow }), label, query.get("username") ?? query.get("user_name") ?? "");
      case "forgotPassword":
      case "confirmForgotPassword":
        return forgotPasswordPage(withTheme({ action: hostedUrl(hosted, "forgotPassword"), ...flow }), label);
    }
  }

  const form = formOf(headers, body);
  const resumed = resumeFlow(ctx, hosted, form);
  if (!resumed) return expiredFlowPage();
  const { flowId, flow, csrf } = resumed;
  const runtime = runtimeOf(ctx);
  const username = (form.get("username") ?? "").trim();
  const withHash = (input: Record<string, unknown>) => {
    const hash = secretHash(client, username);
    return { ClientId: client.ClientId, Username: username, ...input, ...(hash ? { SecretHash: hash } : {}) };
  };
  const context = (endpointName: EndpointName, error?: string) => withTheme({ action: hostedUrl(hosted, endpointName), csrf, error });
  /** The confirmation page after a sign-up (or a resend) in this flow, or the linked one. */
  const confirmPage = (error?: string, destination?: string, sent?: string) =>
    flow.signUp && flow.signUp.username === username
      ? confirmSignUpPage(context("confirmUser", error), username, hostedUrl(hosted, "resendCode"), destination, sent)
      : confirmUserPage(context("confirmUser", error), label, username);
  const signIn = async (password: string) =>
    continueSignIn(ctx, hosted, flowId, await hostedPasswordSignIn(ctx, pool, client, username, password, finishWithUser), csrf);

  try {
    switch (endpoint) {
      case "signUp": {
        const values: Record<string, string> = { username };
        const fields = signUpFields(hosted, values);
        const attributes: Array<{ Name: string; Value: string }> = [];
        for (const name of fields.attributes) {
          const value = (form.get(`userAttributes.${name}`) ?? "").trim();
          values[name] = value;
          if (value !== "") attributes.push({ Name: name, Value: value });
        }
        if (fields.usernameAttribute && username !== "") attributes.push({ Name: fields.usernameAttribute, Value: username });
        const password = form.get("password") ?? "";
        const again = (error: string) => signUpPage(context("signUp", error), signUpFields(hosted, values));
        if (username === "") return again(`Please enter your ${label.toLowerCase()}.`);
        if (password === "") return again("Please enter a password.");
        try {
          const out = await runPageOperation(ctx, "SignUp", withHash({ Password: password, UserAttributes: attributes }));
          if (out.UserConfirmed === true) return await signIn(password);
          runtime.flows.set(flowId, { ...flow, signUp: { username, password, session: typeof out.Session === "string" ? out.Session : undefined } });
          const delivery = out.CodeDeliveryDetails as { Destination?: string } | undefined;
          return confirmSignUpPage(context("confirmUser"), username, hostedUrl(hosted, "resendCode"), delivery?.Destination);
        } catch (e) {
          if (!(e instanceof CognitoError)) throw e;
          return again(e.message);
        }
      }
      case "confirmUser": {
        const code = (form.get("code") ?? "").trim();
        if (username === "" || code === "") return confirmPage("Please enter the code.");
        const signedUp = flow.signUp && flow.signUp.username === username ? flow.signUp : undefined;
        try {
          await runPageOperation(ctx, "ConfirmSignUp", withHash({ ConfirmationCode: code, ...(signedUp?.session ? { Session: signedUp.session } : {}) }));
        } catch (e) {
          if (!(e instanceof CognitoError)) throw e;
          return confirmPage(e.message);
        }
        runtime.flows.set(flowId, { ...flow, signUp: undefined });
        if (!signedUp) return redirect(hostedUrl(hosted, "login"));
        try {
          return await signIn(signedUp.password);
        } catch (e) {
          if (!(e instanceof CognitoError)) throw e;
          return redirect(hostedUrl(hosted, "login"));
        }
      }
      case "resendCode": {
        if (username === "") return confirmPage("Please enter your username.");
        try {
          const out = await runPageOperation(ctx, "ResendConfirmationCode", withHash({}));
          const delivery = out.CodeDeliveryDetails as { Destination?: string } | undefined;
          return confirmPage(undefined, delivery?.Destination, "A new code has been sent.");
        } catch (e) {
          if (!(e instanceof CognitoError)) throw e;
          return confirmPage(e.message);
        }
      }
      case "forgotPassword": {
        if (username === "") return forgotPasswordPage(context("forgotPassword", `Please enter your ${label.toLowerCase()}.`), label);
        try {
          const out = await runPageOperation(ctx, "ForgotPassword", withHash({}));
          const delivery = out.CodeDeliveryDetails as { Destination?: string } | undefined;
          return resetPasswordPage(context("confirmForgotPassword"), username, pool.passwordPolicy, delivery?.Destination);
        } catch (e) {
          if (!(e instanceof CognitoError)) throw e;
          return forgotPasswordPage(context("forgotPassword", e.message), label, username);
        }
      }
      case "confirmForgotPassword": {
        const code = (form.get("code") ?? "").trim();
        const password = form.get("password") ?? "";
        const again = (error: string) => resetPasswordPage(context("confirmForgotPassword", error), username, pool.passwordPolicy);
        if (username === "") return forgotPasswordPage(context("forgotPassword"), label);
        if (code === "" || password === "") return again("Please enter the code and a new password.");
        if (password !== form.get("confirm_password")) return again("Passwords do not match.");
        try {
          await runPageOperation(ctx, "ConfirmForgotPassword", withHash({ ConfirmationCode: code, Password: password }));
        } catch (e) {
          if (!(e instanceof CognitoError)) throw e;
          return again(e.message);
        }
        runtime.flows.delete(flowId);
        return redirect(hostedUrl(hosted, "login"));
      }
    }
  } finally {
    await ctx.state.commit();
  }
}
