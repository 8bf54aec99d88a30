import { expect, type Locator, type Page } from "@playwright/test";

/** A dashboard: toolbar, variables, panels, the panel editor and settings overlays. */
export class DashboardPage {
  constructor(private readonly page: Page) {}

  async gotoNew() {
    await this.page.goto("/dashboards/new");
    await expect(this.page.getByTestId("dashboard")).toBeVisible();
  }

  title(): Locator {
    return this.page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("heading", { level: 1 });
  }

  button(name: string | RegExp): Locator {
    return this.page.getByTestId("dashboard").getByRole("button", { name, exact: typeof name === "string" });
  }

  /** A panel by its (interpolated) title. */
  panel(title: string): Locator {
    return this.page.getByRole("region", { name: title, exact: true });
  }

  panelCanvas(title: string): Locator {
    return this.panel(title).locator("canvas").first();
  }

  /** Legend entries (list or table legend): the series toggles. */
  legendItems(title: string): Locator {
    return this.panel(title).locator('[aria-label="Legend"] button[aria-pressed]');
  }

  variable(name: string): Locator {
    return this.page.getByTestId(`var-${name}`).getByRole("combobox");
  }

  // ---- panel editor ----
  get editor(): Locator {
    return this.page.getByRole("dialog", { name: "Edit panel" });
  }

  /** Types PromQL into query `refId` of the panel editor (real keystrokes for the CodeMirror editor). */
  async typePromQL(text: string, refId = "A") {
    const box = this.editor.getByRole("textbox", { name: `Query ${refId}`, exact: true });
    await box.click();
    await this.page.keyboard.press("ControlOrMeta+a");
    await this.page.keyboard.press("Delete");
    await this.page.keyboard.type(text);
    await this.page.keyboard.press("Escape");
  }

  // ---- settings ----
  get settings(): Locator {
    return this.page.getByRole("dialog", { name: "Dashboard settings" });
  }

  async openSettings(section: "General" | "Variables" | "JSON model" | "Versions") {
    await this.button("Dashboard settings").click();
    await this.settings.getByRole("navigation", { name: "Settings sections" }).getByRole("button", { name: section }).click();
  }

  async closeSettings() {
    await this.settings.getByRole("button", { name: "Back to dashboard" }).click();
    await expect(this.settings).toBeHidden();
  }

  /** Saves through the save dialog; a first save may set the title. */
  async save(opts: { title?: string; message?: string } = {}) {
    await this.button("Save").click();
    const dialog = this.page.getByRole("dialog", { name: /Save/ });
    if (opts.title !== undefined) await dialog.getByLabel("Title").fill(opts.title);
    if (opts.message !== undefined) await dialog.getByLabel("Message (optional)").fill(opts.message);
    await dialog.getByRole("button", { name: "Save", exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(this.page).toHaveURL(/\/dashboards\/d\/[^/?]+/);
  }

  /** Drags across the middle of a panel's chart, from `fromFrac` to `toFrac` of its width. */
  async dragOnChart(title: string, fromFrac = 0.3, toFrac = 0.6) {
    const canvas = this.panelCanvas(title);
    const box = await canvas.boundingBox();
    if (!box) throw new Error(`panel ${title} has no chart`);
    const y = box.y + box.height * 0.5;
    await this.page.mouse.move(box.x + box.width * fromFrac, y);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + box.width * ((fromFrac + toFrac) / 2), y, { steps: 5 });
    await this.page.mouse.move(box.x + box.width * toFrac, y, { steps: 5 });
    await this.page.mouse.up();
  }
}

/** Dashboards (the list): search, folders, import. */
export class DashboardListPage {
  constructor(private readonly page: Page) {}

  async goto() {
    await this.page.goto("/dashboards");
    await expect(this.page.getByRole("heading", { level: 1, name: "Dashboards" })).toBeVisible();
  }

  link(title: string): Locator {
    return this.page.getByRole("link", { name: title, exact: true });
  }

  get importDialog(): Locator {
    return this.page.getByRole("dialog", { name: "Import dashboard" });
  }

  async importJson(json: string, opts: { asCopy?: boolean } = {}) {
    await this.page.getByRole("button", { name: "Import", exact: true }).click();
    await this.importDialog.getByLabel("Dashboard JSON", { exact: true }).fill(json);
    if (opts.asCopy) await this.importDialog.getByLabel("Import as a copy (new uid)").check();
    await this.importDialog.getByRole("button", { name: "Import", exact: true }).click();
  }
}
