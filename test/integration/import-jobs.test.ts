// User import jobs through the AWS SDK v3 and a plain HTTP PUT of the CSV to the job's PreSignedUrl: GetCSVHeader,
// CreateUserImportJob, StartUserImportJob (users imported in RESET_REQUIRED, who then reset their password and sign in),
// failed rows and headers, StopUserImportJob, ListUserImportJobs and the precondition errors.
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import {
  AdminGetUserCommand, ConfirmForgotPasswordCommand, CreateUserImportJobCommand, DescribeUserImportJobCommand, ForgotPasswordCommand, GetCSVHeaderCommand,
  InitiateAuthCommand, ListUserImportJobsCommand, StartUserImportJobCommand, StopUserImportJobCommand, type UserImportJobType,
} from "@aws-sdk/client-cognito-identity-provider";
import { createPoolAndClient, startTestService, type TestService } from "../support/local-service";
import { rejectsWithAwsError } from "../support/aws-errors";

const ROLE = "arn:aws:iam::123456789012:role/CognitoImport";

describe("user import jobs", () => {
  let t: TestService;
  let UserPoolId: string;
  let ClientId: string;
  let header: string[];

  before(async () => {
    t = await startTestService();
    ({ userPoolId: UserPoolId, clientId: ClientId } = await createPoolAndClient(t.idp, {
      Schema: [{ Name: "tier", AttributeDataType: "String", Mutable: true }],
    }));
    header = (await t.idp.send(new GetCSVHeaderCommand({ UserPoolId }))).CSVHeader!;
  });
  after(async () => {
    await t.stop();
  });

  /** A CSV with GetCSVHeader's columns; each row gives some of them. */
  const csv = (rows: Array<Record<string, string>>, columns = header) =>
    [columns.join(","), ...rows.map((r) => columns.map((c) => (r[c] ?? "").includes(",") ? `"${r[c]}"` : r[c] ?? "").join(","))].join("\r\n") + "\r\n";

  async function newJob(name: string, body?: string): Promise<UserImportJobType> {
    const job = (await t.idp.send(new CreateUserImportJobCommand({ UserPoolId, JobName: name, CloudWatchLogsRoleArn: ROLE }))).UserImportJob!;
    if (body !== undefined) {
      const res = await fetch(job.PreSignedUrl!, { method: "PUT", body, headers: { "x-amz-server-side-encryption": "aws:kms" } });
      assert.equal(res.status, 200);
    }
    return job;
  }

  async function finished(JobId: string): Promise<UserImportJobType> {
    for (let i = 0; i < 400; i++) {
      const job = (await t.idp.send(new DescribeUserImportJobCommand({ UserPoolId, JobId }))).UserImportJob!;
      if (["Succeeded", "Failed", "Stopped", "Expired"].includes(job.Status!)) return job;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error("import job did not finish");
  }

  test("GetCSVHeader lists the pool's attributes, custom ones, cognito:mfa_enabled and cognito:username", () => {
    assert.equal(header[0], "name");
    for (const column of ["email", "email_verified", "phone_number", "custom:tier", "cognito:mfa_enabled", "cognito:username"]) assert.ok(header.includes(column), column);
    assert.equal(header.at(-1), "cognito:username");
    assert.ok(!header.includes("sub"));
  });

  test("a job imports its CSV: users in RESET_REQUIRED, who reset their password and then sign in; bad rows fail", async () => {
    const job = await newJob("first", csv([
      { "cognito:username": "imported-1", email: "imported-1@example.com", email_verified: "TRUE", "cognito:mfa_enabled": "false", "custom:tier": "gold", name: "One, Jr." },
      { "cognito:username": "imported-2", phone_number: "+15550100001", phone_number_verified: "true", "cognito:mfa_enabled": "true" },
      { "cognito:username": "imported-3", email: "imported-3@example.com", "cognito:mfa_enabled": "" },
      { "cognito:username": "imported-4", email: "not-an-email", "cognito:mfa_enabled": "false" },
    ]));
    assert.equal(job.Status, "Created");
    assert.match(job.JobId!, /^import-[0-9a-zA-Z-]+$/);
    const started = await t.idp.send(new StartUserImportJobCommand({ UserPoolId, JobId: job.JobId }));
    assert.equal(started.UserImportJob?.Status, "Pending");
    assert.ok(started.UserImportJob?.StartDate instanceof Date);
    const done = await finished(job.JobId!);
    assert.equal(done.Status, "Succeeded");
    assert.equal(done.ImportedUsers, 2);
    assert.equal(done.FailedUsers, 2);
    assert.equal(done.SkippedUsers, 0);
    assert.ok(done.CompletionDate instanceof Date);
    assert.ok(t.logs.some((l) => l.includes(`job=${job.JobId}`) && l.includes("cognito:mfa_enabled")));

    const user = await t.idp.send(new AdminGetUserCommand({ UserPoolId, Username: "imported-1" }));
    assert.equal(user.UserStatus, "RESET_REQUIRED");
    const attrs = Object.fromEntries(user.UserAttributes!.map((a) => [a.Name, a.Value]));
    assert.equal(attrs.email_verified, "true");
    assert.equal(attrs["custom:tier"], "gold");
    assert.equal(attrs.name, "One, Jr.");
    assert.ok(attrs.sub);
    const second = await t.idp.send(new AdminGetUserCommand({ UserPoolId, Username: "imported-2" }));
    assert.deepEqual(second.UserMFASettingList, ["SMS_MFA"]);
    await rejectsWithAwsError(t.idp.send(new AdminGetUserCommand({ UserPoolId, Username: "imported-3" })), "UserNotFoundException");

    await rejectsWithAwsError(
      t.idp.send(new InitiateAuthCommand({ ClientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "imported-1", PASSWORD: "Anything-1!" } })),
      "PasswordResetRequiredException",
    );
    await t.idp.send(new ForgotPasswordCommand({ ClientId, Username: "imported-1" }));
    await t.idp.send(new ConfirmForgotPasswordCommand({ ClientId, Username: "imported-1", Password: "Imported-passw0rd!", ConfirmationCode: await t.latestCode(UserPoolId, "imported-1", "FORGOT_PASSWORD") }));
    const signedIn = await t.idp.send(new InitiateAuthCommand({ ClientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "imported-1", PASSWORD: "Imported-passw0rd!" } }));
    assert.ok(signedIn.AuthenticationResult?.IdToken);

    // A job runs once; its upload URL closes when it starts.
    await rejectsWithAwsError(t.idp.send(new StartUserImportJobCommand({ UserPoolId, JobId: job.JobId })), "PreconditionNotMetException");
    await rejectsWithAwsError(t.idp.send(new StopUserImportJobCommand({ UserPoolId, JobId: job.JobId })), "PreconditionNotMetException");
    assert.equal((await fetch(job.PreSignedUrl!, { method: "PUT", body: "x" })).status, 403);
    assert.equal((await fetch(job.PreSignedUrl!.replace(/Signature=\w+/, "Signature=forged"), { method: "PUT", body: "x" })).status, 403);
  });

  test("a job without an upload, or with a header that is not the pool's, fails", async () => {
    const empty = await newJob("empty");
    await t.idp.send(new StartUserImportJobCommand({ UserPoolId, JobId: empty.JobId }));
    const failedEmpty = await finished(empty.JobId!);
    assert.equal(failedEmpty.Status, "Failed");
    assert.match(failedEmpty.CompletionMessage!, /not uploaded/);

    const bad = await newJob("bad-header", csv([{ "cognito:username": "x", "cognito:mfa_enabled": "false" }], ["cognito:username", "cognito:mfa_enabled", "favourite_colour"]));
    await t.idp.send(new StartUserImportJobCommand({ UserPoolId, JobId: bad.JobId }));
    const failedBad = await finished(bad.JobId!);
    assert.equal(failedBad.Status, "Failed");
    assert.match(failedBad.CompletionMessage!, /favourite_colour/);
    await rejectsWithAwsError(t.idp.send(new AdminGetUserCommand({ UserPoolId, Username: "x" })), "UserNotFoundException");
  });

  test("StopUserImportJob stops a running job part way; List pages through jobs; validation errors", async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => ({ "cognito:username": `bulk-${i}`, "cognito:mfa_enabled": "false" }));
    const job = await newJob("bulk", csv(rows, ["cognito:username", "cognito:mfa_enabled"]));
    await t.idp.send(new StartUserImportJobCommand({ UserPoolId, JobId: job.JobId }));
    const stopping = await t.idp.send(new StopUserImportJobCommand({ UserPoolId, JobId: job.JobId }));
    assert.equal(stopping.UserImportJob?.Status, "Stopping");
    const stopped = await finished(job.JobId!);
    assert.equal(stopped.Status, "Stopped");
    assert.ok(stopped.ImportedUsers! < 3000, `imported ${stopped.ImportedUsers}`);

    const page1 = await t.idp.send(new ListUserImportJobsCommand({ UserPoolId, MaxResults: 2 }));
    assert.equal(page1.UserImportJobs?.length, 2);
    const page2 = await t.idp.send(new ListUserImportJobsCommand({ UserPoolId, MaxResults: 60, PaginationToken: page1.PaginationToken }));
    const names = [...page1.UserImportJobs!, ...page2.UserImportJobs!].map((j) => j.JobName);
    for (const n of ["first", "empty", "bad-header", "bulk"]) assert.ok(names.includes(n), n);

    await rejectsWithAwsError(t.idp.send(new DescribeUserImportJobCommand({ UserPoolId, JobId: "import-nothere" })), "ResourceNotFoundException");
    await rejectsWithAwsError(t.idp.send(new CreateUserImportJobCommand({ UserPoolId, JobName: "x", CloudWatchLogsRoleArn: "not-an-arn" })), "InvalidParameterException", /cloudWatchLogsRoleArn/);
    await rejectsWithAwsError(t.idp.send(new CreateUserImportJobCommand({ UserPoolId, JobName: "bad/name", CloudWatchLogsRoleArn: ROLE })), "InvalidParameterException", /jobName/);
    await rejectsWithAwsError(t.idp.send(new ListUserImportJobsCommand({ UserPoolId, MaxResults: 0 })), "InvalidParameterException");
    await rejectsWithAwsError(t.idp.send(new GetCSVHeaderCommand({ UserPoolId: "us-east-1_nopool123" })), "ResourceNotFoundException");
  });
});
