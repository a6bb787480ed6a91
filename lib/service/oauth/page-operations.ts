// The API operations the hosted pages run for the user (SignUp, ConfirmSignUp, ResendConfirmationCode, ForgotPassword,
// ConfirmForgotPassword, AssociateSoftwareToken, VerifySoftwareToken): the very operation functions the JSON API
// serves, with the same auth-event records, each in a state transaction as on the wire.
import type { OperationTable, ServiceContext } from "../context";
import type { Input } from "../input";
import { withAuthEvents } from "../operations/auth-events";
import { mfaOperations } from "../operations/mfa";
import { signUpOperations } from "../operations/sign-up";

const tables = new WeakMap<ServiceContext, OperationTable>();

/** Runs operation `name` with `input` as an API caller would (throws its CognitoError as is). */
export function runPageOperation(ctx: ServiceContext, name: string, input: Input): Promise<Record<string, unknown>> {
  let table = tables.get(ctx);
  if (!table) {
    table = withAuthEvents(ctx, { ...signUpOperations(ctx), ...mfaOperations(ctx) });
    tables.set(ctx, table);
  }
  const operation = table[name];
  if (!operation) throw new Error(`no operation ${name}`);
  return Promise.resolve(ctx.state.transaction(() => operation(input)));
}
