import { expect, type Locator, type Page } from "@playwright/test";

/** Explore → Logs (Discover): query bar, hit count, histogram, field sidebar, results, saved searches, live tail. */
export class DiscoverPage {
  constructor(private readonly page: Page) {}

  async goto(search = "") {
    await this.page.goto(`/explore/logs${search}`);
    await expect(this.heading).toBeVisible();
  }

  get heading(): Locator {
    return this.page.getByRole("heading", { level: 1, name: "Explore logs" });
  }

  get editor(): Locator {
    return this.page.getByRole("textbox", { name: "Log query" });
  }

  /** Replaces the query by typing it, then runs it with Enter. */
  async search(text: string) {
    await this.typeQuery(text);
    await this.page.keyboard.press("Escape"); // close completion, so Enter runs
    await this.editor.press("Enter");
  }

  async typeQuery(text: string) {
    await this.editor.click();
    await this.page.keyboard.press("ControlOrMeta+a");
    await this.page.keyboard.press("Delete");
    await this.page.keyboard.type(text);
  }

  get syntaxError(): Locator {
    return this.page.getByTestId("query-syntax-error");
  }

  get completions(): Locator {
    return this.page.getByRole("listbox").getByRole("option");
  }

  get hitCount(): Locator {
    return this.page.getByTestId("hit-count");
  }

  get histogramCanvas(): Locator {
    return this.page.getByTestId("hits-histogram-chart").locator("canvas").first();
  }

  get rows(): Locator {
    return this.page.getByTestId("hit-row");
  }

  get sidebar(): Locator {
    return this.page.getByRole("navigation", { name: "Fields" });
  }

  sidebarField(path: string): Locator {
    return this.sidebar.locator(`[data-testid="sidebar-field"][data-field="${path}"]`);
  }

  /** Expands a field in the sidebar and clicks + (or −) next to one of its top values. */
  async filterFromSidebar(field: string, value: string, negate = false) {
    const item = this.sidebarField(field);
    await item.getByRole("button", { name: field, exact: true }).click();
    await item.getByRole("button", { name: `${negate ? "Filter out" : "Filter for"} ${field}: ${value}`, exact: true }).click();
  }

  async expandRow(index = 0): Promise<Locator> {
    const row = this.rows.nth(index);
    await row.getByRole("button", { name: "Expand event" }).click();
    const details = row.getByTestId("hit-details");
    await expect(details).toBeVisible();
    return details;
  }

  async save(name: string, description = "") {
    await this.page.getByRole("button", { name: "Save", exact: true }).click();
    const dialog = this.page.getByRole("dialog");
    await dialog.getByLabel("Name").fill(name);
    if (description) await dialog.getByLabel("Description").fill(description);
    await dialog.getByRole("button", { name: /^Save/ }).click();
    await expect(dialog).toBeHidden();
  }

  get savedSearchName(): Locator {
    return this.page.getByTestId("saved-search-name");
  }

  async startLiveTail() {
    await this.page.getByRole("button", { name: "Live tail" }).click();
    await expect(this.page.getByTestId("live-indicator")).toBeVisible();
  }
}
