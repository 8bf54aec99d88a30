import { expect, test } from "@playwright/test";
import { E2E_ADMIN } from "../../fixtures/accounts";
import { trpcMutation } from "../../fixtures/api";
import { uniqueEmail } from "../../fixtures/users";
import { LoginPage } from "../../pages/login-page";
import { Shell } from "../../pages/shell";

test("admin creates a Viewer; the Viewer sees no Admin menu and an admin mutation is refused and audited", async ({ page, browser }) => {
  const viewerEmail = uniqueEmail("viewer");
  const viewerPassword = "viewer-password-1";

  await new LoginPage(page).signIn(E2E_ADMIN.email, E2E_ADMIN.password);
  await expect(page.getByTestId("nav-admin")).toBeVisible();

  await new Shell(page).go("Users");
  await expect(page).toHaveURL(/\/admin\/users/);
  await page.getByRole("button", { name: "New user" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Email").fill(viewerEmail);
  await dialog.getByLabel("Name").fill("Vera Viewer");
  await dialog.getByLabel("Password").fill(viewerPassword);
  await dialog.getByRole("combobox", { name: "Role" }).selectOption({ label: "Viewer" });
  await dialog.getByRole("button", { name: "Create user" }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByTestId("user-row").filter({ hasText: viewerEmail });
  await expect(row).toBeVisible();
  await expect(row.getByRole("combobox", { name: `Role of ${viewerEmail}` })).toHaveValue(/.+/);
  await expect(row.getByRole("combobox", { name: `Role of ${viewerEmail}` }).locator("option:checked")).toHaveText("Viewer");

  // The Viewer, in a separate browser context.
  const viewerCtx = await browser.newContext();
  const viewer = await viewerCtx.newPage();
  await new LoginPage(viewer).signIn(viewerEmail, viewerPassword);
  await expect(new Shell(viewer).link("Logs")).toBeVisible();
  await expect(viewer.getByTestId("nav-admin")).toHaveCount(0);
  await expect(new Shell(viewer).link("Users")).toHaveCount(0);
  await viewer.goto("/admin/users");
  await expect(viewer.getByText(/don't have access/i)).toBeVisible();

  // Calling the admin mutation directly over HTTP with the Viewer's session.
  const res = await trpcMutation(viewer.request, "users.create", {
    email: uniqueEmail("sneaky"),
    password: "sneaky-password",
    roleId: "00000000-0000-4000-8000-000000000000",
  });
  expect(res.status()).toBe(403);
  expect(await res.text()).toContain("Missing permission users:manage");
  await viewerCtx.close();

  // The admin finds the denial in the audit log.
  await new Shell(page).go("Audit log");
  await page.getByLabel("Actor").fill(viewerEmail);
  // The filter applies after a debounce; once it has, every row shown is the Viewer's.
  await expect(page.getByRole("table", { name: "Audit events" })).not.toHaveAttribute("aria-busy", "true");
  await expect(page.getByTestId("audit-row").filter({ hasNotText: viewerEmail })).toHaveCount(0);
  const denial = page.getByTestId("audit-row").filter({ hasText: "permission.denied" });
  await expect(denial.first()).toBeVisible();
  await expect(denial.first()).toContainText(viewerEmail);
  await denial.first().getByRole("button", { name: "Show details" }).click();
  await expect(page.getByText("users.create").first()).toBeVisible();
});
