import { expect, type Locator, type Page } from "@playwright/test";

export type AlertingTab = "Alert rules" | "Alerts" | "Silences" | "Contact points" | "Notification policies" | "History";

const TAB_PATH: Record<AlertingTab, string> = {
  "Alert rules": "/alerting/rules",
  Alerts: "/alerting/alerts",
  Silences: "/alerting/silences",
  "Contact points": "/alerting/contact-points",
  "Notification policies": "/alerting/policies",
  History: "/alerting/history",
};

const TAB_HEADING: Record<AlertingTab, string> = {
  "Alert rules": "Alert rules",
  Alerts: "Alerts",
  Silences: "Silences",
  "Contact points": "Contact points",
  "Notification policies": "Notification policies",
  History: "History",
};

export interface NewRule {
  title: string;
  /** PromQL expression (typed into the editor). */
  expr: string;
  /** A threshold condition; absent: the expression is the condition. */
  threshold?: { op?: ">" | ">=" | "<" | "<=" | "==" | "!="; value: string };
  /** An existing group (by its option text prefix) or a new one. */
  group: { existing: string } | { name: string; interval?: string };
  folder?: string;
  for?: string;
  labels?: Record<string, string>;
  summary?: string;
}

/** Alerting: rules (list, form with preview, detail), alerts, silences, contact points, policies, history. */
export class AlertingPage {
  constructor(private readonly page: Page) {}

  get tabs(): Locator {
    return this.page.getByRole("navigation", { name: "Alerting" });
  }

  heading(name: string): Locator {
    return this.page.getByRole("heading", { level: 1, name, exact: true });
  }

  async goto(tab: AlertingTab) {
    await this.page.goto(TAB_PATH[tab]);
    await expect(this.heading(TAB_HEADING[tab])).toBeVisible();
  }

  async openTab(tab: AlertingTab) {
    await this.tabs.getByRole("link", { name: tab, exact: true }).click();
    await expect(this.heading(TAB_HEADING[tab])).toBeVisible();
  }

  button(name: string | RegExp): Locator {
    return this.page.getByRole("button", { name, exact: typeof name === "string" });
  }

  dialog(name: string): Locator {
    return this.page.getByRole("dialog", { name });
  }

  // ---- rule list ----

  group(name: string): Locator {
    return this.page.getByRole("region", { name: `Rule group ${name}`, exact: true });
  }

  ruleRow(title: string): Locator {
    return this.page.getByRole("row", { name: `Rule ${title}`, exact: true });
  }

  /** The state badge of a rule in the list ("Normal", "Pending", "Firing", "No data", "Error"). */
  ruleState(title: string): Locator {
    return this.ruleRow(title).getByTestId("alert-state");
  }

  async searchRules(text: string) {
    await this.page.getByLabel("Search rules", { exact: true }).fill(text);
  }

  /** Imports a Prometheus rule file through the dialog; returns after the success notice. */
  async importRuleFile(text: string, opts: { folder?: string; replace?: boolean } = {}) {
    await this.button("Import rule file").click();
    const d = this.dialog("Import rule file");
    if (opts.folder) await d.getByLabel("Folder", { exact: true }).selectOption({ label: opts.folder });
    await d.getByLabel("Rule file (YAML)", { exact: true }).fill(text);
    if (opts.replace) await d.getByLabel("Replace groups of the same name").check();
    await d.getByRole("button", { name: "Import", exact: true }).click();
    await expect(d.getByRole("status").filter({ hasText: /^Imported/ })).toBeVisible();
    await d.getByRole("button", { name: "Close", exact: true }).last().click();
  }

  // ---- rule form ----

  get ruleForm(): Locator {
    return this.page.getByRole("form", { name: /^(New alert rule|Edit )/ });
  }

  /** Types PromQL into the rule form's editor with real keystrokes. */
  async typeExpr(text: string) {
    const box = this.page.getByRole("textbox", { name: "PromQL expression", exact: true });
    await box.click();
    await this.page.keyboard.press("ControlOrMeta+a");
    await this.page.keyboard.press("Delete");
    await this.page.keyboard.type(text);
    await this.page.keyboard.press("Escape");
  }

  async fillRule(rule: NewRule) {
    const form = this.ruleForm;
    await form.getByLabel("Rule name", { exact: true }).fill(rule.title);
    if (rule.folder) await form.getByLabel("Folder", { exact: true }).selectOption({ label: rule.folder });
    const group = form.getByLabel("Group", { exact: true });
    if ("existing" in rule.group) {
      const prefix = rule.group.existing;
      const option = group.locator("option").filter({ hasText: new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} \\(every`) });
      await group.selectOption(await option.first().getAttribute("value").then((v) => v ?? ""));
    } else {
      await group.selectOption({ label: "New group…" });
      await form.getByLabel("Group name", { exact: true }).fill(rule.group.name);
      if (rule.group.interval) await form.getByLabel("Evaluation interval", { exact: true }).fill(rule.group.interval);
    }
    await this.typeExpr(rule.expr);
    if (rule.threshold) {
      await form.getByLabel("Alert when the value crosses a threshold").check();
      if (rule.threshold.op) await form.getByLabel("Comparison", { exact: true }).selectOption(rule.threshold.op);
      await form.getByLabel("Threshold", { exact: true }).fill(rule.threshold.value);
    } else {
      await form.getByLabel(/^The expression is the condition/).check();
    }
    if (rule.for !== undefined) await form.getByLabel("Pending period", { exact: true }).fill(rule.for);
    if (rule.labels) {
      const entries = Object.entries(rule.labels);
      for (const [i, [k, v]] of entries.entries()) {
        if ((await form.getByLabel(`Label name ${i + 1}`, { exact: true }).count()) === 0) await form.getByRole("button", { name: "Add label", exact: true }).click();
        await form.getByLabel(`Label name ${i + 1}`, { exact: true }).fill(k);
        await form.getByLabel(`Label value ${i + 1}`, { exact: true }).fill(v);
      }
    }
    if (rule.summary !== undefined) await form.getByLabel("Summary", { exact: true }).fill(rule.summary);
  }

  /** Presses Preview and waits for its result; returns the result rows. */
  async preview(): Promise<Locator> {
    await this.ruleForm.getByRole("button", { name: "Preview", exact: true }).click();
    await expect(this.page.getByTestId("rule-preview")).toBeVisible();
    return this.page.getByTestId("preview-row");
  }

  /** Saves the rule form and waits for the rule's page. */
  async saveRule(title: string) {
    await this.ruleForm.getByRole("button", { name: "Save rule", exact: true }).click();
    await expect(this.heading(title)).toBeVisible();
  }

  async createRule(rule: NewRule) {
    await this.page.goto("/alerting/rules/new");
    await expect(this.heading("New alert rule")).toBeVisible();
    await this.fillRule(rule);
    await this.saveRule(rule.title);
  }

  // ---- rule page ----

  instanceRows(): Locator {
    return this.page.getByTestId("instance-row");
  }

  /** The rule page's current state (the worst of its instances), in the header. */
  get ruleStateOnPage(): Locator {
    return this.page.getByTestId("rule-state").getByTestId("alert-state");
  }

  get timeline(): Locator {
    return this.page.getByTestId("state-timeline");
  }

  // ---- alerts ----

  alertRow(name: string): Locator {
    return this.page.getByRole("row", { name: `Alert ${name}`, exact: true });
  }

  async filterAlerts(matchers: string) {
    await this.page.getByLabel("Filter by labels", { exact: true }).fill(matchers);
  }

  /** Silences an alert from the alert list: its Silence button, then Create silence in the prefilled dialog. */
  async silenceAlert(name: string, opts: { comment?: string; duration?: string } = {}) {
    await this.alertRow(name).first().getByRole("button", { name: `Silence ${name}`, exact: true }).click();
    const d = this.dialog("Silence alert");
    await expect(d).toBeVisible();
    if (opts.duration) await d.getByLabel("Duration", { exact: true }).fill(opts.duration);
    if (opts.comment) await d.getByLabel("Comment", { exact: true }).fill(opts.comment);
    await d.getByRole("button", { name: "Create silence", exact: true }).click();
    await expect(d).toBeHidden();
  }

  // ---- silences ----

  silenceRows(section: "Active" | "Pending" | "Expired" = "Active"): Locator {
    return this.page.getByRole("region", { name: `${section} silences` }).getByTestId("silence-row");
  }

  async expireSilence(row: Locator) {
    await row.getByRole("button", { name: "Expire", exact: true }).click();
    await this.dialog("Expire this silence?").getByRole("button", { name: "Expire silence", exact: true }).click();
  }

  // ---- contact points ----

  contactPointRow(name: string): Locator {
    return this.page.getByRole("row", { name: `Contact point ${name}`, exact: true });
  }

  integration(name: string): Locator {
    return this.page.getByRole("region", { name: `Integration ${name}`, exact: true });
  }

  /** Creates a contact point with one webhook integration. */
  async createWebhookContactPoint(name: string, url: string) {
    await this.page.goto("/alerting/contact-points/new");
    await expect(this.heading("New contact point")).toBeVisible();
    await this.page.getByLabel("Name", { exact: true }).fill(name);
    await this.integration("Webhook 1").getByLabel("URL", { exact: true }).fill(url);
    await this.button("Save contact point").click();
    await expect(this.contactPointRow(name)).toBeVisible();
  }

  /** Presses Send test on an integration ("Webhook 1") and returns its result box. */
  async sendTest(integration: string): Promise<Locator> {
    await this.integration(integration).getByRole("button", { name: `Send test ${integration}`, exact: true }).click();
    const result = this.integration(integration).getByTestId("test-result");
    await expect(result).toBeVisible();
    return result;
  }

  // ---- notification policies ----

  policy(name: string): Locator {
    return this.page.getByRole("region", { name, exact: true });
  }
}
