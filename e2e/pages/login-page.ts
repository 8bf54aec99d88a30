import { expect, type Page } from "@playwright/test";

export class LoginPage {
  constructor(private readonly page: Page) {}

  async goto() {
    await this.page.goto("/login");
  }

  async submit(email: string, password: string) {
    await this.page.getByLabel("Email").fill(email);
    await this.page.getByLabel("Password").fill(password);
    await this.page.getByRole("button", { name: "Sign in" }).click();
  }

  /** Signs in and waits for the console shell. */
  async signIn(email: string, password: string) {
    await this.goto();
    await this.submit(email, password);
    await expect(this.page.getByRole("navigation", { name: "Main" })).toBeVisible();
  }
}
