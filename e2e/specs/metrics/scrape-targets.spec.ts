import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { E2E_ADMIN } from "../../fixtures/accounts";
import { createUserAs, uniqueEmail } from "../../fixtures/users";
import { LoginPage } from "../../pages/login-page";
import { ScrapeTargetsPage } from "../../pages/scrape-targets-page";
import { Shell } from "../../pages/shell";

/** A tiny exporter the workers scrape (same machine). */
async function exporter() {
  const server = http.createServer((req, res) => {
    if (req.url !== "/metrics") return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end('# TYPE e2e_requests_total counter\ne2e_requests_total{code="200"} 42\n');
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return { address: `127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

test("admin adds a scrape job in the UI and sees its target go up; Lookout scrapes itself out of the box", async ({ page }) => {
  test.setTimeout(90_000);
  const target = await exporter();
  try {
    const name = `e2e-${Date.now().toString(36)}`;
    const scrape = new ScrapeTargetsPage(page);
    await new LoginPage(page).signIn(E2E_ADMIN.email, E2E_ADMIN.password);
    await new Shell(page).go("Scrape targets");
    await expect(page).toHaveURL(/\/settings\/scrape-targets$/);

    // The built-in job: provisioned, read-only, scraping the console's own /metrics.
    await expect(scrape.job("lookout")).toContainText("provisioned");
    await expect(scrape.health("lookout", "/metrics")).toHaveText("up", { timeout: 30_000 });

    // A bad target is refused on its line.
    await page.getByRole("link", { name: "New scrape job" }).click();
    await page.getByLabel("Job name", { exact: true }).fill(name);
    await page.getByLabel("Targets", { exact: true }).fill(`http://${target.address}/metrics`);
    await page.getByRole("button", { name: "Create scrape job" }).click();
    await expect(page.getByLabel("Targets", { exact: true })).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByText("is not a valid hostname")).toBeVisible();
    await new Shell(page).go("Scrape targets");

    await scrape.create({ name, targets: [target.address], labels: ["env=e2e"], interval: "5s" });
    await expect(page.getByRole("status").filter({ hasText: `Scrape job ${name} created` })).toBeVisible();
    await expect(scrape.health(name, target.address)).toHaveText("up", { timeout: 30_000 });

    await new Shell(page).go("Scrape targets");
    const row = scrape.job(name).getByTestId("target-row");
    await expect(row).toContainText(`http://${target.address}/metrics`);
    await expect(row).toContainText('env="e2e"');
    await expect(row).toContainText(`instance="${target.address}"`);
    await expect(scrape.health(name, target.address)).toHaveText("up");
    await expect(row).not.toContainText("never");

    // Disabled: the badge says so.
    await page.getByRole("link", { name: `Edit scrape job ${name}` }).click();
    await page.getByRole("button", { name: "Disable" }).click();
    await expect(scrape.health(name, target.address)).toHaveText("disabled");
  } finally {
    await target.close();
  }
});

test("a Viewer sees scrape targets read-only", async ({ page, browser }) => {
  await new LoginPage(page).signIn(E2E_ADMIN.email, E2E_ADMIN.password);
  const email = uniqueEmail("scrape-viewer");
  await createUserAs(page.request, email, "viewer-password-1", "Viewer");
  const ctx = await browser.newContext();
  const viewer = await ctx.newPage();
  await new LoginPage(viewer).signIn(email, "viewer-password-1");
  await new Shell(viewer).go("Scrape targets");
  await expect(new ScrapeTargetsPage(viewer).job("lookout")).toBeVisible();
  await expect(viewer.getByRole("link", { name: "New scrape job" })).toHaveCount(0);
  await viewer.getByRole("link", { name: "View scrape job lookout" }).click();
  await expect(viewer.getByText(/^Read-only:/)).toBeVisible();
  await expect(viewer.getByRole("button", { name: "Save scrape job" })).toHaveCount(0);
  await viewer.goto("/settings/scrape-targets/new");
  await expect(viewer.getByText(/don't have access/i)).toBeVisible();
  await ctx.close();
});
