import { expect, test } from "@playwright/test";
import { E2E_ADMIN } from "../../fixtures/accounts";
import { createApiKeyAs } from "../../fixtures/api-keys";
import { createUserAs, uniqueEmail } from "../../fixtures/users";
import { LoginPage } from "../../pages/login-page";
import { Shell } from "../../pages/shell";
import { SourcesPage } from "../../pages/sources-page";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number) => String(n).padStart(2, "0");

/** An nginx "combined" access log line stamped now (UTC), so the event lands in today's partition. */
function nginxLine(path: string): string {
  const d = new Date();
  const ts = `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
  return `203.0.113.9 - - [${ts}] "GET ${path} HTTP/1.1" 200 2326 "-" "curl/8.5.0"`;
}

const JUNK = "this is not an access log";

test("admin builds an nginx source, tests its pipeline, ingests into it and replays its dead letters", async ({ page, request }) => {
  test.setTimeout(120_000);
  const name = "nginx-e2e";
  const account = `shipper-${Date.now().toString(36)}`;
  const sources = new SourcesPage(page);

  await new LoginPage(page).signIn(E2E_ADMIN.email, E2E_ADMIN.password);
  await new Shell(page).go("Sources");
  await expect(page).toHaveURL(/\/settings\/sources$/);
  await expect(sources.row("default")).toBeVisible();
  await expect(page.getByRole("region", { name: "How to send logs" })).toContainText("/api/v1/logs?source=");

  // Create: grok (required) then date on `timestamp`. The date step is optional, so an event grok
  // could not parse is kept once grok is made optional too (below).
  await page.getByRole("link", { name: "New source" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "New source" })).toBeVisible();
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Description", { exact: true }).fill("nginx access logs (e2e)");
  await sources.addStep("grok");
  const grok = sources.step(1, "grok");
  await grok.getByLabel("Patterns", { exact: true }).fill("%{COMBINEDAPACHELOG}");
  await grok.getByRole("checkbox", { name: "Required" }).check();
  await sources.addStep("date");
  const date = sources.step(2, "date");
  await date.getByLabel("Field", { exact: true }).fill("timestamp");
  await date.getByLabel("Formats", { exact: true }).fill("dd/MMM/yyyy:HH:mm:ss Z");
  await date.getByRole("checkbox", { name: "Required" }).uncheck();

  // Test the unsaved pipeline: the nginx line is parsed, the junk line is a dead letter at grok.
  const line = nginxLine("/index.html");
  const result = await sources.test([line, JUNK]);
  const first = result.getByRole("region", { name: "Line 1" });
  await expect(first).toContainText("Stored");
  const stored = first.getByTestId("stored-event");
  await expect(stored).toContainText('"original": "/index.html"');
  await expect(stored).toContainText('"method": "GET"');
  await expect(stored).toContainText('"status_code": 200');
  await expect(stored).not.toContainText('"timestamp"');
  const second = result.getByRole("region", { name: "Line 2" });
  await expect(second).toContainText("Dead letter at step 1 (grok)");
  await expect(second.getByTestId("pipeline-reason")).toContainText(JUNK);

  await page.getByRole("button", { name: "Create source" }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: `Source ${name} created` })).toBeVisible();

  // An ingest key, then two lines: one access log line (as JSON), one junk line (plain text).
  const key = await createApiKeyAs(page.request, account, "nginx", ["ingest"]);
  const res = await request.post(`/api/v1/logs?source=${name}`, {
    headers: { authorization: `Bearer ${key}`, "content-type": "application/x-ndjson" },
    data: `${JSON.stringify({ message: nginxLine("/checkout") })}\n${JUNK}\n`,
  });
  expect(res.status(), await res.text()).toBe(202);
  expect(await res.json()).toMatchObject({ source: name, accepted: 2, rejected: [] });

  // The list refreshes itself: one event stored, one dead letter, and the key that sent them.
  await new Shell(page).go("Sources");
  const row = sources.row(name);
  await expect(row.getByTestId("source-events")).toHaveText("1", { timeout: 20_000 });
  await expect(row.getByTestId("source-dead-letters")).toHaveText("1");
  await expect(row).toContainText(`${account} / nginx`);

  // The dead letter and its reason, on the source's page.
  await sources.open(name);
  const letter = sources.deadLetters.getByTestId("dead-letter-row");
  await expect(letter).toHaveCount(1);
  await expect(letter).toContainText("step 1 (grok)");
  await expect(letter).toContainText(JUNK);
  await expect(sources.deadLetters.getByTestId("dead-letter-count")).toHaveText("1");

  // Fix: grok is no longer required (unparsed lines are tagged and kept). Save, then replay.
  await sources.step(1, "grok").getByRole("checkbox", { name: "Required" }).uncheck();
  await page.getByRole("button", { name: "Save source" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Source ${name} saved` })).toBeVisible();
  await sources.deadLetters.getByRole("button", { name: "Replay dead letters" }).click();
  const dialog = page.getByRole("dialog", { name: `Replay the dead letters of ${name}?` });
  await dialog.getByRole("button", { name: "Replay" }).click();
  await expect(dialog).toBeHidden();
  await expect(sources.deadLetters.getByRole("status")).toContainText("Re-queued 1 dead letter");

  await expect(page.getByTestId("source-stat-events")).toHaveText("2", { timeout: 20_000 });
  await expect(sources.deadLetters.getByTestId("dead-letter-count")).toHaveText("0", { timeout: 20_000 });
  await expect(sources.deadLetters.getByTestId("dead-letter-row")).toHaveCount(0);
  await expect(sources.deadLetters.getByRole("button", { name: "Replay dead letters" })).toBeDisabled();

  await new Shell(page).go("Sources");
  await expect(sources.row(name).getByTestId("source-events")).toHaveText("2", { timeout: 20_000 });
  await expect(sources.row(name).getByTestId("source-dead-letters")).toHaveText("0");
  await expect(sources.row(name)).toContainText("1 in total");
});

test("pipeline errors from the server are shown on the step, and nothing is saved", async ({ page }) => {
  await new LoginPage(page).signIn(E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto("/settings/sources/new");
  const sources = new SourcesPage(page);
  await page.getByLabel("Name", { exact: true }).fill(`bad-${Date.now().toString(36)}`);
  await sources.addStep("grok");
  await sources.step(1, "grok").getByLabel("Patterns", { exact: true }).fill("%{NO_SUCH_PATTERN}");
  await page.getByRole("button", { name: "Create source" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Could not create the source" })).toContainText("NO_SUCH_PATTERN");
  await expect(sources.step(1, "grok").getByLabel("Patterns", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(/\/settings\/sources\/new$/);

  await page.getByLabel("Name", { exact: true }).fill("Not Valid!");
  await sources.step(1, "grok").getByLabel("Patterns", { exact: true }).fill("%{WORD:verb}");
  await page.getByRole("button", { name: "Create source" }).click();
  await expect(page.getByLabel("Name", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Use lower-case letters, digits, dot, dash and underscore")).toBeVisible();
});

test("a Viewer sees sources read-only but can still test a pipeline", async ({ page, browser }) => {
  await new LoginPage(page).signIn(E2E_ADMIN.email, E2E_ADMIN.password);
  const email = uniqueEmail("src-viewer");
  await createUserAs(page.request, email, "viewer-password-1", "Viewer");

  const ctx = await browser.newContext();
  const viewer = await ctx.newPage();
  await new LoginPage(viewer).signIn(email, "viewer-password-1");
  await new Shell(viewer).go("Sources");
  const sources = new SourcesPage(viewer);
  await expect(sources.row("default")).toBeVisible();
  await expect(viewer.getByRole("link", { name: "New source" })).toHaveCount(0);

  await sources.open("default");
  await expect(viewer.getByText(/^Read-only:/)).toBeVisible();
  await expect(viewer.getByLabel("Name", { exact: true })).toBeDisabled();
  await expect(viewer.getByRole("button", { name: "Save source" })).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: "Add step" })).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: "Replay dead letters" })).toHaveCount(0);
  const result = await sources.test(['{"hello": "world"}']);
  await expect(result.getByRole("region", { name: "Line 1" })).toContainText("Stored");

  await viewer.goto("/settings/sources/new");
  await expect(viewer.getByText(/don't have access/i)).toBeVisible();
  await ctx.close();
});
