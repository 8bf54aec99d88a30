import { describe, expect, it } from "vitest";
import { expandTemplate } from "./annotations";
import { ruleTemplateRenderer } from "./rule-render";

describe("rule template renderer", () => {
  const render = ruleTemplateRenderer({ externalURL: "https://lookout.example" });

  it("expands labels, values and Prometheus's humanizers", () => {
    expect(render("{{ $labels.instance }} at {{ $value }}", { labels: { instance: "db-1" }, value: 3 })).toEqual({ ok: true, text: "db-1 at 3" });
    expect(render("{{ $value | humanizePercentage }}", { labels: {}, value: 0.256 })).toEqual({ ok: true, text: "25.6%" });
    expect(render("{{ $value | humanize }}", { labels: {}, value: 1234567 })).toEqual({ ok: true, text: "1.235M" });
    expect(render("{{ $externalURL }}", { labels: {}, value: null })).toEqual({ ok: true, text: "https://lookout.example" });
  });

  it("reports a template error, which annotations show as Prometheus does", () => {
    const r = render("{{ $labels.x", { labels: {}, value: 1 });
    expect(r.ok).toBe(false);
    expect(expandTemplate(render, "{{ nosuchfunc }}", { labels: {}, value: 1 })).toMatch(/^<error expanding template: /);
  });
});
