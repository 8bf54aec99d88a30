import { expect, test } from "@playwright/test";
import { E2E_ADMIN } from "../../fixtures/accounts";
import { createApiKeyAs } from "../../fixtures/api-keys";
import { remoteWrite, waitForSeries } from "../../fixtures/metrics";
import { createUserAs, uniqueEmail } from "../../fixtures/users";
import { LoginPage } from "../../pages/login-page";
import { MetricsExplorerPage } from "../../pages/metrics-explorer-page";
import { Shell } from "../../pages/shell";

const METRIC = "lookout_e2e_requests_total";

/** Ten minutes of a counter for two instances, one sample every 15 s, ending 5 s ago. */
function counterSeries(now: number) {
  const times = Array.from({ length: 40 }, (_, i) => now - 5_000 - (39 - i) * 15_000);
  return [
    { labels: { __name__: METRIC, job: "e2e", instance: "web-1" }, samples: times.map((t, i) => ({ timestampMs: t, value: i === 39 ? 42 : i })) },
    { labels: { __name__: METRIC, job: "e2e", instance: "web-2" }, samples: times.map((t, i) => ({ timestampMs: t, value: i === 39 ? 7 : i / 2 })) },
  ];
}

test("admin queries remote_write samples in Explore → Metrics: completion, graph, table, metric browser, errors", async ({ page }) => {
  test.setTimeout(120_000);
  const explorer = new MetricsExplorerPage(page);

  await new LoginPage(page).signIn(E2E_ADMIN.email, E2E_ADMIN.password);
  const key = await createApiKeyAs(page.request, `metrics-e2e-${Date.now().toString(36)}`, "writer", ["ingest", "query"]);
  await remoteWrite(page.request, key, counterSeries(Date.now()), [{ metricFamilyName: METRIC, type: "counter", help: "Requests handled by the e2e app." }]);
  await waitForSeries(page.request, key, METRIC, 2);

  await new Shell(page).go("Metrics");
  await expect(page).toHaveURL(/\/explore\/metrics/);
  await expect(explorer.editor()).toBeVisible();

  // Completion offers the metric name from /api/v1/label/__name__/values.
  await explorer.typeQuery("lookout_e2e_req");
  await expect(explorer.completions.filter({ hasText: METRIC })).toBeVisible();
  await page.keyboard.press("Escape");

  // Graph (range query): a canvas, a legend entry per series, stats.
  await explorer.typeQuery(METRIC);
  await explorer.runWithKeyboard();
  await expect(explorer.graphCanvas()).toBeVisible();
  await expect(explorer.legendItems()).toHaveCount(2);
  await expect(explorer.legendItems().first()).toContainText(`${METRIC}{instance="web-1", job="e2e"}`);
  await expect(explorer.stats()).toContainText("2 series");
  await expect(explorer.stats()).toContainText("step 15s (auto)");
  await expect(page).toHaveURL(/g0\.expr=lookout_e2e_requests_total/);

  // Legend format and isolation (click shows only that series, again shows all).
  await explorer.row().getByRole("textbox", { name: "Legend", exact: true }).fill("{{instance}}");
  await expect(explorer.legendItems()).toHaveText(["web-1", "web-2"]);
  await explorer.legendItems().nth(1).click();
  await expect(explorer.legendItems().nth(0)).toHaveAttribute("aria-pressed", "false");
  await explorer.legendItems().nth(1).click();
  await expect(explorer.legendItems().nth(0)).toHaveAttribute("aria-pressed", "true");

  // Table (instant query at the end of the range): the latest values, sortable.
  await explorer.tab("Table");
  await expect(explorer.resultRows()).toHaveCount(2);
  await explorer.row().getByRole("button", { name: "value" }).click(); // numbers sort descending first
  await expect(explorer.resultRows().nth(0)).toContainText('instance="web-1"');
  await expect(explorer.resultRows().nth(0)).toContainText("42");
  await expect(explorer.resultRows().nth(1)).toContainText('instance="web-2"');
  await expect(explorer.resultRows().nth(1)).toContainText("7");
  await expect(page).toHaveURL(/g0\.tab=table/);

  // The URL reloads to the same view.
  await page.reload();
  await expect(explorer.resultRows()).toHaveCount(2);

  // The linter flags a syntax error while typing; running it shows the API's error and errorType.
  await expect(explorer.syntaxError()).toHaveCount(0);
  await explorer.typeQuery("sum(");
  await expect(explorer.syntaxError()).toContainText("Syntax error at character");
  await explorer.run();
  await expect(explorer.error()).toContainText("bad_data");

  // Metric browser: search, HELP/TYPE, insert a label-value selector into the (emptied) editor.
  await explorer.typeQuery("");
  const dialog = await explorer.openBrowser();
  await dialog.getByLabel("Search metrics").fill("e2e requests");
  await dialog.getByRole("list", { name: "Metric names" }).getByRole("button", { name: METRIC }).click();
  const details = dialog.getByRole("region", { name: `Metric ${METRIC}` });
  await expect(details.getByTestId("metric-help")).toHaveText("Requests handled by the e2e app.");
  await expect(details.getByText("counter", { exact: true })).toBeVisible();
  await details.getByRole("list", { name: "Label names" }).getByRole("button", { name: "instance" }).click();
  await details.getByRole("list", { name: "Values of instance" }).getByRole("button", { name: "web-2" }).click();
  await expect(dialog).toBeHidden();
  await expect(explorer.editor()).toHaveText(`${METRIC}{instance="web-2"}`);
  await explorer.run();
  await expect(explorer.resultRows()).toHaveCount(1);
  await expect(explorer.resultRows().first()).toContainText("7");

  // A second row, duplicated, removable.
  await explorer.row().getByRole("button", { name: "Duplicate query A" }).click();
  await expect(explorer.row("B")).toBeVisible();
  await expect(explorer.editor("B")).toHaveText(`${METRIC}{instance="web-2"}`);
  await explorer.row("B").getByRole("button", { name: "Remove query B" }).click();
  await expect(explorer.row("B")).toHaveCount(0);
});

test("a role without metrics:read gets the no-access page, and the API refuses its session", async ({ page, browser }) => {
  const email = uniqueEmail("auditor");
  await new LoginPage(page).signIn(E2E_ADMIN.email, E2E_ADMIN.password);
  await createUserAs(page.request, email, "auditor-password-1", "Auditor");

  const ctx = await browser.newContext();
  const auditor = await ctx.newPage();
  await new LoginPage(auditor).signIn(email, "auditor-password-1");
  await expect(new Shell(auditor).link("Metrics")).toHaveCount(0);
  await auditor.goto("/explore/metrics?g0.expr=up");
  await expect(auditor.getByRole("heading", { name: "You don't have access (needs metrics:read)" })).toBeVisible();
  await expect(auditor.getByRole("textbox", { name: "PromQL query A" })).toHaveCount(0);

  const res = await auditor.request.get("/api/v1/query?query=up");
  expect(res.status()).toBe(403);
  expect(await res.json()).toMatchObject({ status: "error", errorType: "forbidden" });
  await ctx.close();
});
