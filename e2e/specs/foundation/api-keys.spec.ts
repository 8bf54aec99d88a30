import { expect, test } from "@playwright/test";
import { E2E_ADMIN } from "../../fixtures/accounts";
import { LoginPage } from "../../pages/login-page";
import { Shell } from "../../pages/shell";

test("admin creates an API key, sees it once, revokes it; the revoked key gets 401", async ({ page, request }) => {
  const account = `ci-bot-${Date.now().toString(36)}`;
  await new LoginPage(page).signIn(E2E_ADMIN.email, E2E_ADMIN.password);
  await new Shell(page).go("Service accounts");

  await page.getByRole("button", { name: "New service account" }).click();
  let dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill(account);
  await dialog.getByLabel("Description").fill("deploys from CI");
  await dialog.getByRole("button", { name: "Create service account" }).click();
  await expect(dialog).toBeHidden();

  const region = page.getByRole("region", { name: account });
  await region.getByRole("button", { name: "New API key" }).click();
  dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill("deploy");
  await dialog.getByRole("checkbox", { name: "query", exact: true }).check();
  await dialog.getByRole("button", { name: "Create key" }).click();

  const shown = page.getByTestId("new-api-key");
  await expect(shown).toBeVisible();
  const key = ((await shown.inputValue().catch(() => null)) ?? (await shown.textContent()) ?? "").trim();
  expect(key).toMatch(/^lk_[A-Za-z0-9_-]{30,}$/);
  await expect(page.getByText("Copy this key now. You won't be able to see it again.")).toBeVisible();

  // The key works: whoami answers with the service account and its scope, in all three forms.
  const forms: Record<string, string>[] = [
    { authorization: `Bearer ${key}` },
    { authorization: `Basic ${Buffer.from(`:${key}`).toString("base64")}` },
    { "x-api-key": key },
  ];
  for (const headers of forms) {
    const who = await request.get("/api/v1/whoami", { headers });
    expect(who.status()).toBe(200);
    expect(await who.json()).toMatchObject({ type: "service_account", name: account, scopes: ["query"] });
  }

  // Closing the dialog drops the key: it is not on the page any more, only its prefix.
  await page.getByRole("button", { name: "Done" }).click();
  await expect(page.getByTestId("new-api-key")).toHaveCount(0);
  expect(await page.content()).not.toContain(key);
  await page.reload();
  expect(await page.content()).not.toContain(key);

  const keyRow = page.getByRole("region", { name: account }).getByTestId("api-key-row").filter({ hasText: "deploy" });
  await expect(keyRow).toContainText("Active");
  await keyRow.getByRole("button", { name: "Revoke" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Revoke key" }).click();
  await expect(keyRow).toContainText("Revoked");

  const after = await request.get("/api/v1/whoami", { headers: { authorization: `Bearer ${key}` } });
  expect(after.status()).toBe(401);
});
