import { expect, test } from "@playwright/test";
import { E2E_ADMIN } from "../../fixtures/accounts";
import { LoginPage } from "../../pages/login-page";
import { ScrapeTargetsPage } from "../../pages/scrape-targets-page";
import { Shell } from "../../pages/shell";
import { SourcesPage } from "../../pages/sources-page";

// e2e/fixtures/lookout.yaml, applied by the workers when the stack started.
const NAME = "provisioned-e2e";

test("what the provisioning file defines is badged and read-only in the console", async ({ page }) => {
  await new LoginPage(page).signIn(E2E_ADMIN.email, E2E_ADMIN.password);

  const sources = new SourcesPage(page);
  await new Shell(page).go("Sources");
  await expect(sources.row(NAME)).toContainText("provisioned");
  await expect(sources.row(NAME)).toContainText("3 d");
  await sources.open(NAME);
  await expect(page.getByTestId("provisioned-note")).toContainText("managed by the provisioning file");
  await expect(page.getByLabel("Name", { exact: true })).toBeDisabled();
  await expect(page.getByRole("button", { name: "Save source" })).toHaveCount(0);
  // Testing the pipeline still works (it changes nothing).
  const result = await sources.test(['{"msg":"hello"}']);
  await expect(result).toContainText("hello");

  const scrape = new ScrapeTargetsPage(page);
  await new Shell(page).go("Scrape targets");
  await expect(scrape.job(NAME)).toContainText("provisioned");
  await page.getByRole("link", { name: `View scrape job ${NAME}` }).click();
  await expect(page.getByTestId("provisioned-note")).toContainText("managed by the provisioning file");
  await expect(page.getByLabel("Job name", { exact: true })).toBeDisabled();
  await expect(page.getByRole("button", { name: "Delete" })).toHaveCount(0);
});
