import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { E2E_ADMIN } from "../../fixtures/accounts";
import { trpcMutation } from "../../fixtures/api";
import { createApiKeyAs } from "../../fixtures/api-keys";
import { remoteWrite, waitForSeries } from "../../fixtures/metrics";
import { createUserAs, uniqueEmail } from "../../fixtures/users";
import { DashboardListPage, DashboardPage } from "../../pages/dashboard-page";
import { LoginPage } from "../../pages/login-page";

const METRIC = "lookout_e2e_dash_requests_total";

/** Thirty minutes of a counter for two jobs (api grows fast, web slowly), one sample every 15 s. */
function traffic(now: number) {
  const times = Array.from({ length: 120 }, (_, i) => now - 5_000 - (119 - i) * 15_000);
  return [
    { labels: { __name__: METRIC, job: "api", instance: "api-1" }, samples: times.map((t, i) => ({ timestampMs: t, value: i * 30 })) },
    { labels: { __name__: METRIC, job: "web", instance: "web-1" }, samples: times.map((t, i) => ({ timestampMs: t, value: i * 3 })) },
  ];
}

test("an editor builds a dashboard with a variable, saves, zooms, exports and re-imports it; a Grafana JSON imports; a Viewer cannot save", async ({ page, browser }) => {
  test.setTimeout(180_000);
  await new LoginPage(page).signIn(E2E_ADMIN.email, E2E_ADMIN.password);
  const key = await createApiKeyAs(page.request, `dash-e2e-${Date.now().toString(36)}`, "writer", ["ingest", "query"]);
  await remoteWrite(page.request, key, traffic(Date.now()), [{ metricFamilyName: METRIC, type: "counter", help: "Requests of the e2e dashboard app." }]);
  await waitForSeries(page.request, key, METRIC, 2);

  const dash = new DashboardPage(page);
  await dash.gotoNew();

  // A `job` variable from label values.
  await dash.openSettings("Variables");
  await dash.settings.getByRole("button", { name: "+ Add variable" }).click();
  await dash.settings.getByLabel("Name").fill("job");
  await dash.settings.getByLabel("Query", { exact: true }).fill(`label_values(${METRIC}, job)`);
  await dash.closeSettings();
  await expect(dash.variable("job")).toHaveValue("api");

  // A time-series panel over a PromQL query using it.
  await dash.button("+ Add panel").click();
  await expect(dash.editor).toBeVisible();
  await dash.editor.getByLabel("Title", { exact: true }).fill("Requests $job");
  await dash.typePromQL(`rate(${METRIC}{job="$job"}[1m])`);
  await dash.editor.getByLabel("Legend", { exact: true }).fill("{{job}} {{instance}}");
  await dash.editor.getByRole("button", { name: "Refresh preview" }).click();
  await expect(dash.editor.getByTestId("panel-preview").locator("canvas").first()).toBeVisible();
  await dash.editor.getByRole("button", { name: "Apply" }).click();
  await expect(dash.editor).toBeHidden();

  await expect(dash.panelCanvas("Requests api")).toBeVisible();
  await expect(dash.legendItems("Requests api")).toHaveText(["api api-1"]);

  // Changing the variable changes the chart (and the URL keeps it).
  await dash.variable("job").selectOption("web");
  await expect(dash.legendItems("Requests web")).toHaveText(["web web-1"]);
  await expect(page).toHaveURL(/var-job=web/);

  // Save, reload: same dashboard, same variable value.
  const title = `E2E dashboard ${Date.now().toString(36)}`;
  await dash.save({ title, message: "first version" });
  await page.reload();
  await expect(dash.title()).toHaveText(title);
  await expect(dash.legendItems("Requests web")).toHaveText(["web web-1"]);

  // Drag on the graph: the range becomes the selection (absolute times in the URL).
  const before = new URL(page.url()).searchParams.get("from");
  await dash.dragOnChart("Requests web");
  await expect.poll(() => new URL(page.url()).searchParams.get("from")).not.toBe(before);
  expect(new URL(page.url()).searchParams.get("from")).toMatch(/^\d{4}-\d\d-\d\dT/);

  // Export the JSON model and import it as a copy.
  const download = page.waitForEvent("download");
  await dash.button("Export").click();
  const file = await (await download).path();
  const exported = readFileSync(file!, "utf8");
  expect(JSON.parse(exported)).toMatchObject({ title, variables: [{ name: "job" }] });

  const list = new DashboardListPage(page);
  await list.goto();
  await list.importJson(exported, { asCopy: true });
  await expect(page).toHaveURL(/\/dashboards\/d\//);
  await expect(dash.title()).toHaveText(`${title} (copy)`);
  await expect(dash.panelCanvas("Requests api")).toBeVisible();

  // A Grafana dashboard JSON: panels mapped (row, time series, stat), the pie chart reported.
  await list.goto();
  await list.importJson(readFileSync(new URL("../../fixtures/grafana-service-dashboard.json", import.meta.url), "utf8"));
  await expect(list.importDialog.getByTestId("import-report")).toContainText("Share by job");
  await expect(list.importDialog.getByTestId("import-report")).toContainText("piechart");
  await list.importDialog.getByRole("button", { name: "Open dashboard" }).click();
  await expect(dash.title()).toHaveText("E2E Grafana service");
  await expect(page.getByTestId("row-1")).toContainText("Traffic");
  await expect(dash.panelCanvas("Requests per second")).toBeVisible();
  await expect(dash.legendItems("Requests per second")).toHaveCount(2);
  await expect(dash.panel("Total requests")).toContainText(/\d/);

  const savedUrl = page.url();

  // A provisioned dashboard is read-only; "Save as…" makes an editable copy.
  await page.goto("/dashboards/d/lookout-self");
  await expect(dash.title()).toHaveText("Lookout self-monitoring");
  await expect(page.getByText("Provisioned (read-only)")).toBeVisible();
  await expect(dash.button("Save")).toHaveCount(0);
  await dash.button("Save as…").click();
  const copyDialog = page.getByRole("dialog", { name: "Save a copy" });
  await expect(copyDialog.getByLabel("Title")).toHaveValue("Lookout self-monitoring (copy)");
  await copyDialog.getByRole("button", { name: "Save", exact: true }).click();
  await expect(dash.title()).toHaveText("Lookout self-monitoring (copy)");
  await expect(page).not.toHaveURL(/lookout-self/);
  await expect(dash.button("Edit")).toBeVisible();

  // A Viewer sees the dashboard but cannot save it: no Save in the UI, 403 from the server.
  const email = uniqueEmail("dash-viewer");
  await createUserAs(page.request, email, "viewer-password-1", "Viewer");
  const viewerContext = await browser.newContext({ baseURL: new URL(savedUrl).origin });
  const viewer = await viewerContext.newPage();
  await new LoginPage(viewer).signIn(email, "viewer-password-1");
  await viewer.goto(savedUrl);
  const asViewer = new DashboardPage(viewer);
  await expect(asViewer.title()).toHaveText("E2E Grafana service");
  await expect(asViewer.button("Save")).toHaveCount(0);
  await expect(asViewer.button("Edit")).toHaveCount(0);
  const uid = new URL(savedUrl).pathname.split("/").pop()!;
  const denied = await trpcMutation(viewer.request, "dashboards.save", { uid, folderUid: null, dashboard: { schemaVersion: 1, title: "hijack" }, version: 1, overwrite: true });
  expect(denied.status()).toBe(403);
  await viewerContext.close();
});
