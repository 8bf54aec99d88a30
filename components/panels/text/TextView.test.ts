import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { TextPanelSchema } from "@/server/dashboards/model";
import TextView from "./TextView";

const render = (mode: "markdown" | "plain", content: string) =>
  renderToStaticMarkup(createElement(TextView, { panel: TextPanelSchema.parse({ id: 1, type: "text", gridPos: { x: 0, y: 0, w: 6, h: 4 }, options: { mode, content } }), data: undefined, width: 300, height: 200, timezone: "utc" }));

describe("TextView", () => {
  it("renders markdown", () => {
    const html = render("markdown", "# Hello\n\nSome **bold** and [a link](https://example.com).\n\n- one\n- two");
    expect(html).toContain("<h1>Hello</h1>");
    expect(html).toContain("<strong>bold</strong>");
    expect(html).toContain('<a href="https://example.com">a link</a>');
    expect(html).toContain("<li>one</li>");
  });
  it("renders no raw HTML and drops unsafe links", () => {
    const html = render("markdown", 'Hi <script>alert(1)</script><img src=x onerror="alert(2)">\n\n[x](javascript:alert(3))');
    expect(html).not.toContain("<script");
    expect(html).not.toContain("onerror");
    expect(html).not.toContain("javascript:");
  });
  it("shows plain text as it is", () => {
    const html = render("plain", "# not a title\n<b>x</b>");
    expect(html).toContain("# not a title\n&lt;b&gt;x&lt;/b&gt;");
    expect(html).not.toContain("<h1>");
  });
});
