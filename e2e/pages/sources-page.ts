import { expect, type Page } from "@playwright/test";

/** Settings → Sources: the list, a source's editor with its test panel, and its dead letters. */
export class SourcesPage {
  constructor(private readonly page: Page) {}

  row(name: string) {
    return this.page.getByTestId("source-row").filter({ has: this.page.getByRole("link", { name: new RegExp(`source ${name}$`) }) });
  }

  async open(name: string) {
    await this.row(name).getByRole("link", { name: new RegExp(`source ${name}$`) }).click();
    await expect(this.page.getByRole("heading", { level: 1, name })).toBeVisible();
  }

  /** Step `n` (1-based) of the pipeline editor, of `type`. */
  step(n: number, type: string) {
    return this.page.getByRole("group", { name: `Step ${n}: ${type}` });
  }

  async addStep(type: string) {
    await this.page.getByLabel("New step type").selectOption(type);
    await this.page.getByRole("button", { name: "Add step" }).click();
  }

  /** Runs the "Test pipeline" panel on `lines`; returns the result container. */
  async test(lines: string[]) {
    await this.page.getByLabel("Sample lines").fill(lines.join("\n"));
    await this.page.getByRole("button", { name: "Test", exact: true }).click();
    const result = this.page.getByTestId("pipeline-result");
    await expect(result.getByTestId("pipeline-line")).toHaveCount(lines.length);
    return result;
  }

  get deadLetters() {
    return this.page.getByRole("region", { name: /^Dead letters/ });
  }
}
