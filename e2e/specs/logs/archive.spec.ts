import { expect, test } from "@playwright/test";
import type { LogEvent } from "@/server/logs/event";
import { E2E_ADMIN } from "../../fixtures/accounts";
import { seedArchivedDays } from "../../fixtures/archive";
import { DiscoverPage } from "../../pages/discover-page";
import { LoginPage } from "../../pages/login-page";

const HOUR = 3_600_000;

function line(rid: string, ts: number, message: string): LogEvent {
  return { ts, observedTs: ts, source: "", service: "billing", host: "bill-1", level: "error", message: `${message} ${rid}`, traceId: null, spanId: null, attributes: {} };
}

test("Discover: a range reaching archived days offers the archive, reads it day by day and merges the hits", async ({ page }) => {
  test.setTimeout(120_000);
  const rid = `arch${Date.now().toString(36)}`;
  const now = Date.now();
  const hot = [line(rid, now - 2 * HOUR, "invoice failed hot"), line(rid, now - HOUR, "invoice failed hot")];
  // Two archived days (3 and 4 days ago), the newest archived event sorting right after the hot ones.
  const archived = [line(rid, now - 3 * 24 * HOUR, "invoice failed archived-three"), line(rid, now - 4 * 24 * HOUR, "invoice failed archived-four"), line(rid, now - 4 * 24 * HOUR + 1, "invoice failed archived-four")];
  await seedArchivedDays({ source: `archive-e2e-${rid}`, hot, archived });

  await new LoginPage(page).signIn(E2E_ADMIN.email, E2E_ADMIN.password);
  const discover = new DiscoverPage(page);
  await discover.goto(`?q=${rid}&from=now-7d&to=now`);
  await expect(discover.hitCount).toHaveText("2 hits");
  await expect(discover.rows).toHaveCount(2);

  const banner = page.getByRole("region", { name: "Archived days" });
  await expect(banner).toContainText("2 days in this range are archived");
  await expect(banner).toContainText("3 events");
  await banner.getByRole("button", { name: "Include archive" }).click();

  await expect(banner.getByRole("progressbar", { name: "Archive included" })).toHaveAttribute("aria-valuenow", "100");
  await expect(banner).toContainText("2 of 2 days");
  await expect(banner).toContainText("3 archived hits");
  await expect(discover.hitCount).toHaveText("5 hits");
  await expect(discover.rows).toHaveCount(5);
  await expect(discover.rows.nth(1)).toContainText(`invoice failed hot ${rid}`);
  await expect(discover.rows.nth(2)).toContainText(`invoice failed archived-three ${rid}`);
  await expect(discover.rows.last()).toContainText(`invoice failed archived-four ${rid}`);

  // An archived hit's surrounding documents: the other archived day's two events, a day before.
  const details = await discover.expandRow(2);
  await details.getByRole("button", { name: "Surrounding documents" }).click();
  const context = page.getByRole("dialog", { name: "Surrounding documents" });
  await expect(context.getByTestId("context-anchor")).toContainText(`invoice failed archived-three ${rid}`);
  await expect(context.getByTestId("context-row")).toHaveCount(2);
  await expect(context.getByTestId("context-row").first()).toContainText(`invoice failed archived-four ${rid}`);
  await page.keyboard.press("Escape");
  await expect(context).toBeHidden();

  // Back to the hot tier only.
  await banner.getByRole("button", { name: "Hot tier only" }).click();
  await expect(discover.hitCount).toHaveText("2 hits");

  // Restore a day to hot (admin has sources:write), confirmed.
  await banner.getByRole("button", { name: "Days", exact: true }).click();
  const days = banner.getByRole("list", { name: "Archived days in this range" });
  await expect(days.getByRole("listitem")).toHaveCount(2);
  await days.getByRole("listitem").first().getByRole("button", { name: "Restore to hot" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("Restore archive-e2e-");
  await dialog.getByRole("button", { name: "Restore for 24 h" }).click();
  // The dialog closes once the request is accepted; navigating before that would abort it.
  await expect(dialog).toBeHidden();
  // The retention worker loads the newest archived day (three days ago, one event) back into the
  // hot tier (a restore waits for a retention run in progress): it is searched hot and leaves the
  // archived days.
  await expect(async () => {
    await discover.goto(`?q=${rid}&from=now-7d&to=now`);
    await expect(discover.hitCount).toHaveText("3 hits", { timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  await expect(discover.rows.nth(2)).toContainText(`invoice failed archived-three ${rid}`);
  await expect(banner).toContainText("1 day in this range is archived");
});
