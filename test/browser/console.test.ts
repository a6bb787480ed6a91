// Browser test of the Wing Console view (platform/sim.w `ConsoleView`): `wing it` runs a small app headless, Debian's
// Chromium opens the Console, selects the Cognito resource and finds its fields and tables; a user signs up through
// the service, shows up as UNCONFIRMED with its code, and becomes CONFIRMED once "Confirm pending sign-ups" is
// clicked. Screenshots of both states go to the screenshot dir (printed). Skipped, with a message, without Chromium.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { appDir, launchChromium, screenshotDir, skipWithoutChromium, startWingIt, type WingIt } from "./browser";

// The SDK's notice about Node 20 support would interleave with the test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

/** Generous: on a shared 2-core machine compiling and starting the simulator can take minutes. */
const READY_MS = 600_000;
const EMAIL = "console-user@example.com";
const PASSWORD = "Console-Passw0rd!";

let dir: string | undefined;
let wing: WingIt | undefined;
let browser: Browser | undefined;

before(async () => {
  if (skipWithoutChromium) return;
  dir = appDir("cognito-console-", [
    "bring cloud;",
    'bring "$COGNITO" as cognito;',
    "let api = new cloud.Api();",
    'api.get("/hello", inflight (req) => { return { status: 200, body: "hello" }; });',
    "let auth = new cognito.Cognito(api);",
    'auth.get("/hello");',
  ]);
  wing = await startWingIt(dir, READY_MS);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await wing?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 500 });
});

/** The values the Console shows in a table (each cell is a disabled input), row by row, columns in display order. */
async function tableRows(table: Locator): Promise<{ header: string[]; rows: string[][] }> {
  const header = (await table.locator("thead th").allInnerTexts()).map((t) => t.trim()).filter((t) => t !== "");
  const rows = await table.locator("tbody tr").evaluateAll((trs) =>
    trs.map((tr) => Array.from(tr.querySelectorAll("input")).map((input) => (input as HTMLInputElement).value)),
  );
  return { header, rows: rows.filter((r) => r.length > 0) };
}

/** Clicks the table's Refresh button until `check` accepts its rows (the Console refreshes a table only on demand). */
async function refreshUntil(page: Page, refresh: Locator, table: Locator, check: (rows: string[][]) => boolean, what: string) {
  let last: string[][] = [];
  for (let attempt = 0; attempt < 60; attempt++) {
    await refresh.click();
    await page.waitForTimeout(500);
    last = (await tableRows(table)).rows;
    if (check(last)) return last;
  }
  assert.fail(`${what}: the table shows ${JSON.stringify(last)}`);
}

/** Polls `read` until it gives a non-empty string. */
async function nonEmpty(read: () => Promise<string>, what: string): Promise<string> {
  for (let attempt = 0; attempt < 120; attempt++) {
    const value = await read();
    if (value !== "") return value;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  assert.fail(`${what} stays empty`);
}

/** Cells of the given columns (0-based) whose text is wider than the cell (cut off at the panel's edge). */
function clippedCells(table: Locator, columns: number[]): Promise<string[]> {
  return table.locator("tbody tr").evaluateAll(
    (trs, cols) =>
      trs.flatMap((tr) =>
        Array.from(tr.querySelectorAll("input"))
          .filter((input, i) => cols.includes(i) && input.scrollWidth > input.clientWidth + 1)
          .map((input) => (input as HTMLInputElement).value),
      ),
    columns,
  );
}

test("the Console shows the users and codes tables and confirms a pending sign-up", { skip: skipWithoutChromium, timeout: READY_MS + 180_000 }, async () => {
  const page = await browser!.newPage({ viewport: { width: 1400, height: 900 } });
  let idp: CognitoIdentityProviderClient | undefined;
  try {
    page.setDefaultTimeout(60_000);
    await page.goto(wing!.url, { waitUntil: "domcontentloaded", timeout: READY_MS });
    // The status bar says "success" once the app is compiled and every resource has started.
    await page.waitForFunction(() => document.querySelector("[data-testid=app-state]")?.textContent === "success", undefined, { timeout: READY_MS, polling: 500 });
    await page.getByTestId("loading-overlay").waitFor({ state: "detached" });

    // Select the Cognito resource in the hierarchy, as a person does.
    await page.getByText("Cognito", { exact: true }).first().click();
    const view = page.getByTestId("resource-metadata:root/Default/Cognito");
    await view.waitFor();

    // The four id fields, read as a person reads them.
    for (const label of ["Endpoint", "User pool id", "Client id", "Identity pool id", "Users", "Codes"]) {
      await view.getByText(label, { exact: true }).first().waitFor();
    }
    // Field values arrive after the fields themselves.
    const endpoint = await nonEmpty(async () => (await view.locator("a#Endpoint").innerText()).trim(), "the endpoint field");
    assert.match(endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    const valueOf = (label: string) => nonEmpty(async () => (await view.getByLabel(label, { exact: true }).inputValue()).trim(), label);
    const clientId = await valueOf("Client id");
    const userPoolId = await valueOf("User pool id");
    assert.match(userPoolId, /^us-east-1_[A-Za-z0-9]{9}$/, "the user pool id is on the page");
    assert.match(await valueOf("Identity pool id"), /^us-east-1:[0-9a-f-]{36}$/);
    assert.match(clientId, /^[a-z0-9]{26}$/, "the client id is on the page");

    const tables = view.locator("table");
    await tables.nth(1).waitFor();
    assert.equal(await tables.count(), 2, "the users and codes tables are drawn");
    const [users, codes] = [tables.nth(0), tables.nth(1)];
    const refreshButtons = view.getByRole("button", { name: "Refresh" });
    const [refreshUsers, refreshCodes] = [refreshButtons.nth(0), refreshButtons.nth(1)];
    const confirm = view.getByRole("button", { name: "Confirm pending sign-ups" });
    await confirm.waitFor();

    // A user signs up through the service, as a front end would.
    idp = new CognitoIdentityProviderClient({ region: "us-east-1", endpoint, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
    await idp.send(new SignUpCommand({ ClientId: clientId, Username: EMAIL, Password: PASSWORD, UserAttributes: [{ Name: "email", Value: EMAIL }] }));

    const pending = await refreshUntil(page, refreshUsers, users, (rows) => rows.some((r) => r[0] === EMAIL), "the new user appears");
    assert.deepEqual(pending, [[EMAIL, "UNCONFIRMED"]]);
    assert.deepEqual((await tableRows(users)).header, ["login", "status"]);

    const codeRows = await refreshUntil(page, refreshCodes, codes, (rows) => rows.length > 0, "the sign-up code appears");
    assert.deepEqual((await tableRows(codes)).header, ["code", "purpose", "user"]);
    assert.equal(codeRows.length, 1);
    assert.match(codeRows[0]![0]!, /^\d{6}$/);
    assert.deepEqual(codeRows[0]!.slice(1), ["sign-up", EMAIL]);
    const listed = (await (await fetch(`${endpoint}/_local/codes?userPoolId=${encodeURIComponent(userPoolId)}`)).json()) as { codes: { code: string }[] };
    assert.equal(codeRows[0]![0], listed.codes[0]!.code, "the Console shows the code the service sent");

    // Legible in the narrow side panel at its default width: statuses, codes and purposes are never cut off (an
    // email longer than about 16 characters is, at the panel's default width: the panel can be widened).
    assert.deepEqual(await clippedCells(users, [1]), [], "the status fits");
    assert.deepEqual(await clippedCells(codes, [0, 1]), [], "the code and its purpose fit");
    const shots = screenshotDir();
    const before = path.join(shots, "console-pending.png");
    await page.screenshot({ path: before });

    await confirm.click();
    const confirmed = await refreshUntil(page, refreshUsers, users, (rows) => rows[0]?.[1] === "CONFIRMED", "the user becomes confirmed");
    assert.deepEqual(confirmed, [[EMAIL, "CONFIRMED"]]);
    const afterShot = path.join(shots, "console-confirmed.png");
    await page.screenshot({ path: afterShot });
    console.log(`screenshots: ${before} ${afterShot}`);

    // The confirmation is real: the user signs in now.
    const signedIn = await idp.send(new InitiateAuthCommand({ AuthFlow: "USER_PASSWORD_AUTH", ClientId: clientId, AuthParameters: { USERNAME: EMAIL, PASSWORD } }));
    assert.ok(signedIn.AuthenticationResult?.IdToken);
  } catch (e) {
    await page.screenshot({ path: path.join(screenshotDir(), "console-failure.png") });
    console.log(`wing it printed:\n${wing!.output()}`);
    throw e;
  } finally {
    idp?.destroy();
    await page.close();
  }
});
