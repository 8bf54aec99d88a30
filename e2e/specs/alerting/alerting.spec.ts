import { expect, test } from "@playwright/test";
import { E2E_ADMIN } from "../../fixtures/accounts";
import { createApiKeyAs } from "../../fixtures/api-keys";
import { remoteWrite, waitForSeries } from "../../fixtures/metrics";
import { AlertingPage } from "../../pages/alerting-page";
import { LoginPage } from "../../pages/login-page";

const METRIC = "lookout_e2e_queue_depth";

/** Five minutes of a queue-depth gauge well above 10 on one instance, one sample every 15 s up to now. */
function backlog(now: number) {
  const times = Array.from({ length: 21 }, (_, i) => now - (20 - i) * 15_000);
  return [{ labels: { __name__: METRIC, job: "e2e-worker", instance: "q-1" }, samples: times.map((t, i) => ({ timestampMs: t, value: 40 + i })) }];
}

test("an editor writes a rule in the form, previews it, sees it fire and silences it from the alert list", async ({ page }) => {
  test.setTimeout(180_000);
  await new LoginPage(page).signIn(E2E_ADMIN.email, E2E_ADMIN.password);
  const key = await createApiKeyAs(page.request, `alerting-e2e-${Date.now().toString(36)}`, "writer", ["ingest", "query"]);
  await remoteWrite(page.request, key, backlog(Date.now()), [{ metricFamilyName: METRIC, type: "gauge", help: "Jobs waiting in the e2e queue." }]);
  await waitForSeries(page.request, key, METRIC, 1);

  const alerting = new AlertingPage(page);
  const title = `E2E queue backlog ${Date.now().toString(36)}`;
  await page.goto("/alerting/rules/new");
  await expect(alerting.heading("New alert rule")).toBeVisible();
  await alerting.fillRule({
    title,
    expr: `max by (instance) (${METRIC})`,
    threshold: { op: ">", value: "10" },
    group: { name: `e2e-${Date.now().toString(36)}`, interval: "5s" },
    for: "0s",
    labels: { severity: "warning" },
    summary: "{{ $labels.instance }} has {{ $value }} jobs waiting",
  });

  // Preview: the series, its value and the state it would be in now.
  const rows = await alerting.preview();
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("instance=q-1");
  await expect(rows.first()).toContainText("Firing");

  await alerting.saveRule(title);

  // The scheduler evaluates the group every 5 s: the rule fires.
  await expect(async () => {
    await page.reload();
    await expect(alerting.ruleStateOnPage).toHaveText("Firing", { timeout: 2_000 });
  }).toPass({ timeout: 60_000, intervals: [1_000, 2_000, 3_000] });
  await expect(alerting.instanceRows().first()).toContainText("q-1");

  // The alert list shows it; one click (and a confirm) silences it.
  await alerting.goto("Alerts");
  await expect(alerting.alertRow(title).first()).toBeVisible({ timeout: 20_000 });
  await alerting.silenceAlert(title, { comment: "e2e: known backlog" });
  await expect(async () => {
    await page.reload();
    await expect(alerting.alertRow(title).first()).toContainText(/silenced/i, { timeout: 2_000 });
  }).toPass({ timeout: 30_000, intervals: [1_000, 2_000] });

  // The silence is listed as active, with the alert's labels as matchers; expiring it ends it.
  await alerting.goto("Silences");
  const silence = alerting.silenceRows("Active").filter({ hasText: title });
  await expect(silence).toHaveCount(1);
  await expect(silence).toContainText("e2e: known backlog");
  await alerting.expireSilence(silence);
  await expect(alerting.silenceRows("Expired").filter({ hasText: title })).toHaveCount(1);
});
