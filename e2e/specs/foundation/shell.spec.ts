import { expect, test } from "@playwright/test";
import { E2E_ADMIN } from "../../fixtures/accounts";
import { LoginPage } from "../../pages/login-page";
import { Shell } from "../../pages/shell";

test.beforeEach(async ({ page }) => {
  await new LoginPage(page).signIn(E2E_ADMIN.email, E2E_ADMIN.password);
});

test("status page shows PostgreSQL, Redis, the queues and a live worker", async ({ page }) => {
  await new Shell(page).go("Status");
  await expect(page.getByTestId("status-postgresql")).toContainText("ok");
  await expect(page.getByTestId("status-redis")).toContainText("ok");
  await expect(page.getByTestId("queue-row").filter({ hasText: "maintenance" })).toBeVisible();
  await expect(page.getByTestId("worker-row").first()).toContainText("maintenance");
});

test("time range picker keeps the range in the URL", async ({ page }) => {
  await new Shell(page).go("Logs");
  await page.getByRole("button", { name: /^Time range:/ }).click();
  await page.getByRole("dialog", { name: "Time range" }).getByRole("button", { name: "Last 15 minutes", exact: true }).click();
  await expect(page).toHaveURL(/from=now-15m/);
  await page.reload();
  await expect(page.getByRole("button", { name: /^Time range:/ })).toContainText("Last 15 minutes");
});

test("theme toggle switches to dark and is remembered", async ({ page }) => {
  const html = page.locator("html");
  const wasDark = ((await html.getAttribute("class")) ?? "").includes("dark");
  await page.getByRole("button", { name: "Toggle theme" }).click();
  await expect(html).toHaveClass(wasDark ? /^(?!.*\bdark\b).*$/ : /\bdark\b/);
  await page.reload();
  await expect(html).toHaveClass(wasDark ? /^(?!.*\bdark\b).*$/ : /\bdark\b/);
});

test("signing out ends the session; signing in again returns to the page asked for", async ({ page }) => {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/admin/audit?result=denied");
  await expect(page).toHaveURL(/\/login\?next=%2Fadmin%2Faudit%3Fresult%3Ddenied/);
  await new LoginPage(page).submit(E2E_ADMIN.email, E2E_ADMIN.password);
  await expect(page).toHaveURL(/\/admin\/audit\?result=denied/);
});
