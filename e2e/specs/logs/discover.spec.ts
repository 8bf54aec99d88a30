import { expect, test } from "@playwright/test";
import { E2E_ADMIN } from "../../fixtures/accounts";
import { createApiKeyAs } from "../../fixtures/api-keys";
import { ingestLogs, waitForHits } from "../../fixtures/logs";
import { DiscoverPage } from "../../pages/discover-page";
import { LoginPage } from "../../pages/login-page";
import { Shell } from "../../pages/shell";

const QUERY = "level:error AND service:payment*";

/** Eight known lines over the last few minutes: 5 match QUERY (3 payment-api, 2 payment-worker). */
function knownLines(rid: string, now: number) {
  const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
  return [
    { "@timestamp": at(9), level: "error", service: "payment-api", host: "pay-1", message: `card declined by issuer ${rid}`, order_id: "o-1", http: { status: 402 } },
    { "@timestamp": at(8), level: "error", service: "payment-api", host: "pay-1", message: `card declined by issuer ${rid}`, order_id: "o-2", http: { status: 402 } },
    { "@timestamp": at(7), level: "error", service: "payment-api", host: "pay-2", message: `gateway timeout ${rid}`, order_id: "o-3", http: { status: 504 } },
    { "@timestamp": at(6), level: "error", service: "payment-worker", host: "pay-3", message: `retry budget exhausted ${rid}`, order_id: "o-4" },
    { "@timestamp": at(5), level: "error", service: "payment-worker", host: "pay-3", message: `retry budget exhausted ${rid}`, order_id: "o-5" },
    { "@timestamp": at(4), level: "warn", service: "payment-api", host: "pay-1", message: `slow issuer response ${rid}` },
    { "@timestamp": at(3), level: "error", service: "checkout", host: "web-1", message: `cart not found ${rid}` },
    { "@timestamp": at(2), level: "info", service: "payment-api", host: "pay-1", message: `payment accepted ${rid}` },
  ];
}

test("Discover: search, histogram, filter from the sidebar, row details, saved search by URL, live tail", async ({ page }) => {
  test.setTimeout(120_000);
  const discover = new DiscoverPage(page);
  const rid = Date.now().toString(36);

  await new LoginPage(page).signIn(E2E_ADMIN.email, E2E_ADMIN.password);
  const key = await createApiKeyAs(page.request, `discover-e2e-${rid}`, "shipper", ["ingest"]);
  await ingestLogs(page.request, key, knownLines(rid, Date.now()));
  await waitForHits(page.request, QUERY, 5);

  await new Shell(page).go("Logs");
  await expect(discover.heading).toBeVisible();

  // `/` focuses the query bar; a syntax error is shown inline while typing.
  await page.getByTestId("hit-count").click();
  await page.keyboard.press("/");
  await expect(discover.editor).toBeFocused();
  await discover.typeQuery("level:error AND (");
  await expect(discover.syntaxError).toContainText("Syntax error at character");

  // Field names complete from logs.fields.
  await discover.typeQuery("serv");
  await expect(discover.completions.filter({ hasText: "service" }).first()).toBeVisible();

  // The search: count, histogram, the five rows newest first with matched terms highlighted.
  await discover.search(QUERY);
  await expect(page).toHaveURL(/q=level%3Aerror\+AND\+service%3Apayment\*/);
  await expect(discover.hitCount).toHaveText("5 hits");
  await expect(discover.histogramCanvas).toBeVisible();
  await expect(page.getByRole("list", { name: "Levels" })).toContainText("error");
  await expect(discover.rows).toHaveCount(5);
  await expect(discover.rows.first()).toContainText(`retry budget exhausted ${rid}`);
  await expect(discover.rows.last()).toContainText(`card declined by issuer ${rid}`);

  // Sidebar: service's top values with shares; + adds the filter and runs it.
  await discover.filterFromSidebar("service", "payment-worker");
  await expect(discover.editor).toHaveText(`${QUERY} AND service:payment-worker`);
  await expect(discover.hitCount).toHaveText("2 hits");
  await expect(discover.rows).toHaveCount(2);

  // Expand a row: every field as a table (attributes included) and as JSON.
  const details = await discover.expandRow(0);
  await expect(details.getByRole("table", { name: "Event fields" })).toContainText("order_id");
  await expect(details.getByRole("table", { name: "Event fields" })).toContainText("o-5");
  await details.getByRole("tab", { name: "JSON" }).click();
  await expect(details.getByTestId("hit-json")).toContainText('"order_id": "o-5"');

  // Save the search, then reopen it from its URL (saved id only): query, count and name come back.
  await discover.save(`Payment errors ${rid}`, "e2e");
  await expect(discover.savedSearchName).toHaveText(`Payment errors ${rid}`);
  await expect(page).toHaveURL(/saved=[0-9a-f-]{36}/);
  const savedId = new URL(page.url()).searchParams.get("saved");
  await page.goto("/explore/logs");
  await expect(discover.savedSearchName).toHaveCount(0);
  await discover.goto(`?saved=${savedId}`);
  await expect(discover.savedSearchName).toHaveText(`Payment errors ${rid}`);
  await expect(discover.editor).toHaveText(`${QUERY} AND service:payment-worker`);
  await expect(discover.hitCount).toHaveText("2 hits");

  // Live tail: a newly ingested matching line appears on top.
  await discover.startLiveTail();
  await expect(page.getByTestId("live-indicator")).toHaveText("Live"); // subscribed before the line is sent
  await ingestLogs(page.request, key, [{ level: "error", service: "payment-worker", host: "pay-3", message: `live line ${rid}`, order_id: "o-live" }]);
  await expect(discover.rows.first()).toContainText(`live line ${rid}`, { timeout: 20_000 });
  await expect(page.getByTestId("live-count")).toContainText("1 new");
});

test("Discover: dragging across the histogram zooms the time range", async ({ page }) => {
  const discover = new DiscoverPage(page);
  const rid = `zoom${Date.now().toString(36)}`;
  await new LoginPage(page).signIn(E2E_ADMIN.email, E2E_ADMIN.password);
  const key = await createApiKeyAs(page.request, `discover-zoom-${rid}`, "shipper", ["ingest"]);
  const now = Date.now();
  await ingestLogs(page.request, key, [1, 5, 9, 13].map((m) => ({ "@timestamp": new Date(now - m * 60_000).toISOString(), level: "info", service: "zoom", message: `tick ${rid}` })));
  await waitForHits(page.request, rid, 4);

  await discover.goto(`?from=now-15m&to=now&q=${rid}`);
  await expect(discover.hitCount).toHaveText("4 hits");
  const box = (await discover.histogramCanvas.boundingBox())!;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * 0.35, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.75, y, { steps: 12 });
  await page.mouse.up();

  // The range becomes absolute (epoch ms in the URL), narrower than 15 minutes, inside the old one.
  await expect(page).toHaveURL(/from=\d{13}&to=\d{13}/);
  const url = new URL(page.url());
  const from = Number(url.searchParams.get("from"));
  const to = Number(url.searchParams.get("to"));
  expect(to - from).toBeLessThan(15 * 60_000);
  expect(from).toBeGreaterThan(now - 16 * 60_000);
  await expect(discover.hitCount).toHaveText(/^[0-4] hits?$/);
});
