// The server's first SRP step for a sign-in challenge (PASSWORD_VERIFIER, DEVICE_PASSWORD_VERIFIER): a client's
// unusable SRP_A is an InvalidParameterException, as AWS answers it.
import * as errors from "../errors";
import { SrpParameterError, startSrpSession } from "../srp";

export function startSrpChallenge(verifier: string, srpA: string): ReturnType<typeof startSrpSession> {
  try {
    return startSrpSession(verifier, srpA);
  } catch (e) {
    if (e instanceof SrpParameterError) throw errors.invalidParameter(e.message);
    throw e;
  }
}
