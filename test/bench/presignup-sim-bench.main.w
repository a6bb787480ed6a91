// The app that test/bench/presignup-sim-bench.ts measures: one api with two Cognito instances, one with a
// PreSignUp trigger (auto-confirm) and one without, and per instance a function that runs a batch of SignUp
// calls (unique emails) and returns each call's duration in ms.
bring cloud;
bring "../../cognito.w" as cognito;

let api = new cloud.Api() as "api";

let plain = new cognito.Cognito(api) as "plain-auth";
let triggered = new cognito.Cognito(api) as "trigger-auth";
triggered.onPreSignUp(inflight (event) => { return { autoConfirmUser: true }; });

/// A function that runs `n` SignUp calls against `auth` with emails `<prefix>-<i>@wing.cloud` and returns each
/// call's duration in ms.
class SignUpBatch {
  auth: cognito.Cognito;
  new(auth: cognito.Cognito) {
    this.auth = auth;
    new cloud.Function(inflight (input) => { return this.run(input); }) as "signups";
  }
  inflight run(input: Json?): Json {
    let n = num.fromJson(input?.tryGet("n") ?? 1);
    let prefix = str.fromJson(input?.tryGet("prefix") ?? "bench");
    let durations = MutArray<num>[];
    for i in 0..n {
      let start = std.Datetime.utcNow().timestampMs;
      this.auth.signUp("{prefix}-{i}@wing.cloud", "Bench-Passw0rd!");
      durations.push(std.Datetime.utcNow().timestampMs - start);
    }
    return Json durations.copy();
  }
}

new SignUpBatch(plain) as "plain-batch";
new SignUpBatch(triggered) as "trigger-batch";
