import { expect, type Locator, type Page } from "@playwright/test";

/** Explore → Metrics: query rows (PromQL editor, graph/table tabs), the metric browser. */
export class MetricsExplorerPage {
  constructor(private readonly page: Page) {}

  async goto(search = "") {
    await this.page.goto(`/explore/metrics${search}`);
    await expect(this.page.getByRole("heading", { level: 1, name: "Explore metrics" })).toBeVisible();
  }

  /** Query row `letter` ("A", "B", …). */
  row(letter = "A"): Locator {
    return this.page.getByRole("region", { name: `Query ${letter}` });
  }

  editor(letter = "A"): Locator {
    return this.row(letter).getByRole("textbox", { name: `PromQL query ${letter}` });
  }

  /** Replaces the query text by typing it (so completion and the linter see real keystrokes). */
  async typeQuery(text: string, letter = "A") {
    const editor = this.editor(letter);
    await editor.click();
    await this.page.keyboard.press("ControlOrMeta+a");
    await this.page.keyboard.press("Delete");
    await this.page.keyboard.type(text);
  }

  /** Runs with Shift+Enter from the editor. */
  async runWithKeyboard(letter = "A") {
    await this.editor(letter).press("Shift+Enter");
  }

  async run(letter = "A") {
    await this.row(letter).getByRole("button", { name: "Run query" }).click();
  }

  async tab(name: "Graph" | "Table", letter = "A") {
    await this.row(letter).getByRole("tab", { name }).click();
  }

  /** The autocompletion popup's options. */
  get completions(): Locator {
    return this.page.getByRole("listbox").getByRole("option");
  }

  graphCanvas(letter = "A"): Locator {
    return this.row(letter).getByTestId("timeseries-chart").locator("canvas").first();
  }

  legendItems(letter = "A"): Locator {
    return this.row(letter).getByRole("list", { name: "Graph legend" }).getByRole("button");
  }

  resultRows(letter = "A"): Locator {
    return this.row(letter).getByTestId("result-row");
  }

  stats(letter = "A"): Locator {
    return this.row(letter).getByTestId("query-stats");
  }

  /** The linter's summary under the editor. */
  syntaxError(letter = "A"): Locator {
    return this.row(letter).getByTestId("promql-syntax");
  }

  error(letter = "A"): Locator {
    return this.row(letter).getByRole("alert");
  }

  async openBrowser(letter = "A") {
    await this.row(letter).getByRole("button", { name: "Metrics browser" }).click();
    const dialog = this.page.getByRole("dialog", { name: "Metrics browser" });
    await expect(dialog).toBeVisible();
    return dialog;
  }
}
