// User import jobs: GetCSVHeader, CreateUserImportJob, DescribeUserImportJob, ListUserImportJobs, StartUserImportJob
// and StopUserImportJob. A job's PreSignedUrl is served by this service (`PUT /_local/user-import/<jobId>?X-Amz-Signature=`
// takes the CSV, as S3 would); Start imports its rows in the background as AWS does (Pending, InProgress, Succeeded or
// Stopped), each user in RESET_REQUIRED status without a password, counting imported and failed rows. Progress is
// durable: a job interrupted by a restart resumes where it stopped.
import { randomBytes } from "node:crypto";
import * as errors from "../errors";
import { optionalNumber, requiredString, type Input } from "../input";
import type { UserPoolRecord, UserRecord } from "../model";
import type { OperationTable, ServiceContext } from "../context";
import type { ExtraRoute, RouteAnswer } from "../http-server";
import { pageAfter, readPageToken } from "../paging";
import type { CognitoState } from "../state";
import { checkAliasesFree, newUser } from "../user-records";

type JobStatus = "Created" | "Pending" | "InProgress" | "Stopping" | "Expired" | "Stopped" | "Failed" | "Succeeded";

export interface ImportJobRecord {
  JobId: string;
  JobName: string;
  UserPoolId: string;
  CloudWatchLogsRoleArn: string;
  CreationDate: number;
  StartDate?: number;
  CompletionDate?: number;
  Status: JobStatus;
  ImportedUsers: number;
  SkippedUsers: number;
  FailedUsers: number;
  CompletionMessage?: string;
  /** The capability in the PreSignedUrl. */
  uploadToken: string;
  /** The uploaded CSV, until the job is over. */
  csv?: string;
  /** Data rows (after the header) already processed. */
  nextRow: number;
}

const JOBS = "importJobs";
const ROUTE_PREFIX = "/_local/user-import/";
const ROWS_PER_STEP = 200;
const JOB_NAME_PATTERN = /^[\w\s+=,.@-]+$/;
const ARN_PATTERN = /^arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?$/;
/** GetCSVHeader's standard columns, in AWS's order; custom attributes follow, then the two cognito: columns. */
const STANDARD_COLUMNS = [
  "name", "given_name", "family_name", "middle_name", "nickname", "preferred_username", "profile", "picture", "website", "email", "email_verified",
  "gender", "birthdate", "zoneinfo", "locale", "phone_number", "phone_number_verified", "address", "updated_at",
];

const publicUrls = new WeakMap<ServiceContext, string>();
/** Tells the import jobs the service's base URL, for the PreSignedUrl they hand out. */
export function setImportBaseUrl(ctx: ServiceContext, url: string): void {
  publicUrls.set(ctx, url);
}

/** The columns of a pool's import CSV. */
export function csvHeader(pool: UserPoolRecord): string[] {
  const inSchema = new Set(pool.schema.map((s) => s.Name));
  const custom = pool.schema.filter((s) => s.Name.startsWith("custom:") || s.Name.startsWith("dev:")).map((s) => s.Name);
  return [...STANDARD_COLUMNS.filter((c) => inSchema.has(c)), ...custom, "cognito:mfa_enabled", "cognito:username"];
}

/** RFC 4180 CSV: quoted fields with doubled quotes, CRLF or LF line ends. Returns rows of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let i = 0;
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (quoted) throw new Error("unterminated quoted field");
  if (field !== "" || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ""));
}

class JobStore {
  constructor(readonly state: CognitoState) {
    state.cascades.pool.push((poolId) => {
      for (const job of this.ofPool(poolId)) state.store.delete(JOBS, job.JobId);
    });
  }
  get(id: string): ImportJobRecord | undefined {
    return this.state.store.get<ImportJobRecord>(JOBS, id);
  }
  ofPool(poolId: string): ImportJobRecord[] {
    return [...this.state.store.entries<ImportJobRecord>(JOBS).values()].filter((j) => j.UserPoolId === poolId);
  }
  all(): ImportJobRecord[] {
    return [...this.state.store.entries<ImportJobRecord>(JOBS).values()];
  }
  put(job: ImportJobRecord): void {
    this.state.store.put(JOBS, job.JobId, job);
  }
}

const stores = new WeakMap<CognitoState, JobStore>();
function jobsOf(ctx: ServiceContext): JobStore {
  let store = stores.get(ctx.state);
  if (!store) {
    store = new JobStore(ctx.state);
    stores.set(ctx.state, store);
  }
  return store;
}

function view(ctx: ServiceContext, job: ImportJobRecord) {
  const base = publicUrls.get(ctx) ?? "http://127.0.0.1";
  return {
    JobName: job.JobName,
    JobId: job.JobId,
    UserPoolId: job.UserPoolId,
    PreSignedUrl: `${base}${ROUTE_PREFIX}${job.JobId}?X-Amz-Signature=${job.uploadToken}`,
    CreationDate: job.CreationDate,
    ...(job.StartDate !== undefined ? { StartDate: job.StartDate } : {}),
    ...(job.CompletionDate !== undefined ? { CompletionDate: job.CompletionDate } : {}),
    Status: job.Status,
    CloudWatchLogsRoleArn: job.CloudWatchLogsRoleArn,
    ImportedUsers: job.ImportedUsers,
    SkippedUsers: job.SkippedUsers,
    FailedUsers: job.FailedUsers,
    ...(job.CompletionMessage !== undefined ? { CompletionMessage: job.CompletionMessage } : {}),
  };
}

const preconditionNotMet = (message: string) => new errors.CognitoError("PreconditionNotMetException", message);

/** Imports one CSV row as a RESET_REQUIRED user; returns why it failed, or undefined. */
function importRow(ctx: ServiceContext, pool: UserPoolRecord, header: string[], fields: string[]): string | undefined {
  if (fields.length !== header.length) return `The row has ${fields.length} columns; the header has ${header.length}.`;
  const values: Record<string, string> = {};
  header.forEach((column, i) => {
    if (fields[i] !== "") values[column] = fields[i];
  });
  const username = values["cognito:username"];
  if (!username) return "cognito:username is required.";
  const mfa = (values["cognito:mfa_enabled"] ?? "").toLowerCase();
  if (mfa !== "true" && mfa !== "false") return "cognito:mfa_enabled must be true or false.";
  delete values["cognito:username"];
  delete values["cognito:mfa_enabled"];
  for (const flag of ["email_verified", "phone_number_verified"]) if (values[flag] !== undefined) values[flag] = values[flag].toLowerCase();
  if (mfa === "true" && !values.phone_number) return "cognito:mfa_enabled is true but the user has no phone_number.";
  try {
    const created = newUser(ctx, pool, username, Object.entries(values).map(([name, value]) => ({ name, value })), "RESET_REQUIRED");
    if (ctx.state.userByUsername(pool, created.username) || (pool.usernameAttributes.length === 0 && ctx.state.findUser(pool, username))) return "User already exists.";
    checkAliasesFree(ctx, pool, created, created.attributes);
    const user: UserRecord = { ...created, mfa: { ...created.mfa, smsEnabled: mfa === "true" } };
    ctx.state.putUser(pool, user);
    return undefined;
  } catch (e) {
    if (e instanceof errors.CognitoError) return e.message;
    throw e;
  }
}

/** Runs a started job to its end in steps, committing progress after each so that a restart resumes it. */
async function runJob(ctx: ServiceContext, jobId: string): Promise<void> {
  const store = jobsOf(ctx);
  for (;;) {
    await new Promise((resolve) => setImmediate(resolve));
    const job = store.get(jobId);
    if (!job || !["Pending", "InProgress", "Stopping"].includes(job.Status)) return;
    const pool = ctx.state.pool(job.UserPoolId);
    const finish = (Status: JobStatus, CompletionMessage: string, counts: Partial<ImportJobRecord> = {}) =>
      store.put({ ...job, ...counts, Status, CompletionMessage, CompletionDate: ctx.now(), csv: undefined });
    if (!pool) return;
    if (job.Status === "Stopping") {
      finish("Stopped", "The import job was stopped.");
    } else {
      let rows: string[][] = [];
      try {
        rows = parseCsv(job.csv ?? "");
      } catch {
        rows = [];
      }
      const header = rows[0];
      const allowed = new Set(csvHeader(pool));
      const badColumn = header?.find((c) => !allowed.has(c));
      if (!job.csv) finish("Failed", "The user import file was not uploaded to the PreSignedUrl.");
      else if (!header || !header.includes("cognito:username") || !header.includes("cognito:mfa_enabled") || badColumn || new Set(header).size !== header.length) {
        finish("Failed", `The CSV header is invalid${badColumn ? `: ${badColumn} is not an attribute of the user pool` : ""}. Use the columns of GetCSVHeader.`);
      } else {
        const data = rows.slice(1);
        const end = Math.min(data.length, job.nextRow + ROWS_PER_STEP);
        let imported = job.ImportedUsers;
        let failed = job.FailedUsers;
        for (let r = job.nextRow; r < end; r++) {
          const problem = importRow(ctx, pool, header, data[r]);
          if (problem) {
            failed++;
            ctx.log(`[import] job=${job.JobId} row=${r + 2} failed: ${problem}`);
          } else imported++;
        }
        const counts = { ImportedUsers: imported, FailedUsers: failed, nextRow: end };
        if (end >= data.length) finish("Succeeded", "Import Job Completed Successfully.", counts);
        else store.put({ ...job, ...counts, Status: "InProgress" });
      }
    }
    try {
      await ctx.state.commit();
    } catch (e) {
      ctx.log(`[import] job=${jobId} could not save its progress: ${(e as Error).message}`);
      return;
    }
  }
}

function startRunner(ctx: ServiceContext, jobId: string): void {
  runJob(ctx, jobId).catch((e: unknown) => ctx.log(`[import] job=${jobId} stopped: ${(e as Error)?.stack ?? String(e)}`));
}

/** `PUT <PreSignedUrl>` with the CSV as the body, as a client uploads it to S3. */
export function importUploadRoute(ctx: ServiceContext): ExtraRoute {
  return async ({ method, path, query, body }): Promise<RouteAnswer | undefined> => {
    if (!path.startsWith(ROUTE_PREFIX)) return undefined;
    const job = jobsOf(ctx).get(decodeURIComponent(path.slice(ROUTE_PREFIX.length)));
    const xml = (status: number, code: string, message: string): RouteAnswer => ({
      status, contentType: "application/xml", body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`,
    });
    if (method !== "PUT") return xml(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
    if (!job || query.get("X-Amz-Signature") !== job.uploadToken) return xml(403, "AccessDenied", "Access Denied");
    if (job.Status !== "Created") return xml(403, "AccessDenied", "The import job has already started.");
    jobsOf(ctx).put({ ...job, csv: body });
    await ctx.state.commit();
    return { status: 200, body: "", contentType: "text/plain" };
  };
}

export function importJobOperations(ctx: ServiceContext): OperationTable {
  const store = jobsOf(ctx);
  // Jobs a restart interrupted carry on.
  for (const job of store.all()) if (["Pending", "InProgress", "Stopping"].includes(job.Status)) startRunner(ctx, job.JobId);
  const requireJob = (input: Input) => {
    const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
    const id = requiredString(input, "JobId");
    const job = store.get(id);
    if (!job || job.UserPoolId !== pool.Id) throw errors.resourceNotFound(`Import job ${id} does not exist.`);
    return job;
  };
  return {
    GetCSVHeader(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      return { UserPoolId: pool.Id, CSVHeader: csvHeader(pool) };
    },
    CreateUserImportJob(input) {
      const JobName = requiredString(input, "JobName");
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const CloudWatchLogsRoleArn = requiredString(input, "CloudWatchLogsRoleArn");
      if (JobName.length < 1 || JobName.length > 128 || !JOB_NAME_PATTERN.test(JobName)) {
        throw errors.invalidParameter(`1 validation error detected: Value '${JobName}' at 'jobName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w\\s+=,.@-]+`);
      }
      if (CloudWatchLogsRoleArn.length > 2048 || !ARN_PATTERN.test(CloudWatchLogsRoleArn)) {
        throw errors.invalidParameter(`1 validation error detected: Value '${CloudWatchLogsRoleArn}' at 'cloudWatchLogsRoleArn' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:[\\w+=/,.@-]+:[\\w+=/,.@-]+:([\\w+=/,.@-]*)?:[0-9]+:[\\w+=/,.@-]+(:[\\w+=/,.@-]+)?(:[\\w+=/,.@-]+)?`);
      }
      const job: ImportJobRecord = {
        JobId: `import-${randomBytes(8).toString("base64url").replace(/[_-]/g, "x")}`,
        JobName,
        UserPoolId: pool.Id,
        CloudWatchLogsRoleArn,
        CreationDate: ctx.now(),
        Status: "Created",
        ImportedUsers: 0,
        SkippedUsers: 0,
        FailedUsers: 0,
        uploadToken: randomBytes(32).toString("hex"),
        nextRow: 0,
      };
      store.put(job);
      return { UserImportJob: view(ctx, job) };
    },
    DescribeUserImportJob(input) {
      return { UserImportJob: view(ctx, requireJob(input)) };
    },
    ListUserImportJobs(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const max = optionalNumber(input, "MaxResults");
      if (max === undefined || !Number.isInteger(max) || max < 1 || max > 60) {
        throw errors.invalidParameter(`1 validation error detected: Value '${max ?? "null"}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 60`);
      }
      const { page, nextToken } = pageAfter(store.ofPool(pool.Id), (j) => [j.CreationDate, j.JobId], readPageToken(input, "PaginationToken"), max);
      return { UserImportJobs: page.map((j) => view(ctx, j)), ...(nextToken ? { PaginationToken: nextToken } : {}) };
    },
    StartUserImportJob(input) {
      const job = requireJob(input);
      if (job.Status !== "Created") throw preconditionNotMet(`Import job ${job.JobId} has status ${job.Status}; only a job in Created status can start.`);
      const started: ImportJobRecord = { ...job, Status: "Pending", StartDate: ctx.now() };
      store.put(started);
      startRunner(ctx, job.JobId);
      return { UserImportJob: view(ctx, started) };
    },
    StopUserImportJob(input) {
      const job = requireJob(input);
      if (job.Status !== "Pending" && job.Status !== "InProgress") throw preconditionNotMet(`Import job ${job.JobId} has status ${job.Status}; only a Pending or InProgress job can stop.`);
      const stopping: ImportJobRecord = { ...job, Status: "Stopping" };
      store.put(stopping);
      return { UserImportJob: view(ctx, stopping) };
    },
  };
}
