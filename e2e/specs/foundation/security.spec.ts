import { expect, test } from "@playwright/test";
import { E2E_ADMIN } from "../../fixtures/accounts";
import { trpcMutation, trpcQuery } from "../../fixtures/api";
import { createUserAs, uniqueEmail } from "../../fixtures/users";
import { LoginPage } from "../../pages/login-page";

test.describe("bad input and session safety", () => {
  test("malformed tRPC input is a 400 with the zod message, never a 500", async ({ page }) => {
    await new LoginPage(page).signIn(E2E_ADMIN.email, E2E_ADMIN.password);
    const res = await trpcMutation(page.request, "users.create", { email: "not-an-email", password: "x" });
    expect(res.status()).toBe(400);
    const body = (await res.json()) as { error: { json: { message: string; data: { zodIssues: { path: string[] }[] } } } };
    expect(body.error.json.message).toContain("Enter a valid email address");
    expect(body.error.json.data.zodIssues.map((i) => i.path.join("."))).toEqual(expect.arrayContaining(["email", "password", "roleId"]));

    const garbage = await page.request.post("/api/trpc/users.create", { data: "{not json", headers: { "content-type": "application/json" } });
    expect(garbage.status()).toBeGreaterThanOrEqual(400);
    expect(garbage.status()).toBeLessThan(500);
  });

  test("five wrong passwords rate-limit the account, even for the right password", async ({ page, browser }) => {
    await new LoginPage(page).signIn(E2E_ADMIN.email, E2E_ADMIN.password);
    const email = uniqueEmail("locked");
    await createUserAs(page.request, email, "right-password-1", "Viewer");

    const ctx = await browser.newContext();
    const p = await ctx.newPage();
    const login = new LoginPage(p);
    await login.goto();
    for (let i = 0; i < 5; i++) {
      await login.submit(email, `wrong-password-${i}`);
      await expect(p.getByText("Invalid email or password")).toBeVisible();
    }
    await login.submit(email, "right-password-1");
    await expect(p.getByText(/too many failed sign-in attempts/i)).toBeVisible();
    await expect(p).toHaveURL(/\/login/);
    await ctx.close();
  });

  test("a disabled user's session stops working at once", async ({ page, browser }) => {
    await new LoginPage(page).signIn(E2E_ADMIN.email, E2E_ADMIN.password);
    const email = uniqueEmail("disabled");
    const userId = await createUserAs(page.request, email, "soon-disabled-1", "Editor");

    const ctx = await browser.newContext();
    const p = await ctx.newPage();
    await new LoginPage(p).signIn(email, "soon-disabled-1");
    expect((await trpcQuery(p.request, "me.get")).status()).toBe(200);

    const res = await trpcMutation(page.request, "users.setDisabled", { userId, disabled: true });
    expect(res.status()).toBe(200);

    expect((await trpcQuery(p.request, "me.get")).status()).toBe(401);
    await p.goto("/");
    await expect(p).toHaveURL(/\/login/);
    await new LoginPage(p).submit(email, "soon-disabled-1");
    await expect(p.getByText(/disabled/i)).toBeVisible();
    await ctx.close();
  });
});
