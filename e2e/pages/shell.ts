import type { Page } from "@playwright/test";

/** The console shell: the main navigation (links are matched there, not in page content). */
export class Shell {
  constructor(private readonly page: Page) {}

  get nav() {
    return this.page.getByRole("navigation", { name: "Main" });
  }

  link(name: string) {
    return this.nav.getByRole("link", { name, exact: true });
  }

  async go(name: string) {
    await this.link(name).click();
  }
}
