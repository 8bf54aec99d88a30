import { expect, type Page } from "@playwright/test";

/** Settings → Scrape targets: the jobs with their targets, and the job form. */
export class ScrapeTargetsPage {
  constructor(private readonly page: Page) {}

  job(name: string) {
    return this.page.getByRole("region", { name: `Scrape job ${name}` });
  }

  /** The health badge of the job's target whose URL contains `url`. */
  health(name: string, url: string) {
    return this.job(name).getByTestId("target-row").filter({ hasText: url }).getByTestId("target-health");
  }

  async create(opts: { name: string; targets: string[]; labels?: string[]; interval?: string }) {
    await this.page.getByRole("link", { name: "New scrape job" }).click();
    await expect(this.page.getByRole("heading", { level: 1, name: "New scrape job" })).toBeVisible();
    await this.page.getByLabel("Job name", { exact: true }).fill(opts.name);
    await this.page.getByLabel("Targets", { exact: true }).fill(opts.targets.join("\n"));
    if (opts.labels) await this.page.getByLabel("Labels", { exact: true }).fill(opts.labels.join("\n"));
    if (opts.interval) await this.page.getByLabel("Scrape interval", { exact: true }).fill(opts.interval);
    await this.page.getByRole("button", { name: "Create scrape job" }).click();
    await expect(this.page.getByRole("heading", { level: 1, name: opts.name })).toBeVisible();
  }
}
