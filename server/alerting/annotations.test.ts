import { describe, expect, it, vi } from "vitest";
import { expandTemplate, instanceLabels, renderAnnotations, renderRuleLabels, type RenderTemplate } from "./annotations";
import { fakeRender } from "./test-render";

// fakeRender (test-render.ts) stands in for the Go-template engine: `{{ $labels.x }}` and `{{ $value }}` only.

describe("expandTemplate", () => {
  it("renders templates, leaves plain text alone without calling the engine", () => {
    const render = vi.fn<RenderTemplate>(fakeRender);
    expect(expandTemplate(render, "plain text, no braces", { labels: {}, value: 1 })).toBe("plain text, no braces");
    expect(render).not.toHaveBeenCalled();
    expect(expandTemplate(render, "{{ $labels.job }} = {{ $value }}", { labels: { job: "api" }, value: 0.25 })).toBe("api = 0.25");
    expect(render).toHaveBeenCalledWith("{{ $labels.job }} = {{ $value }}", { labels: { job: "api" }, value: 0.25 });
  });

  it("puts Prometheus's error text where a template fails", () => {
    expect(expandTemplate(fakeRender, "{{ nope }}", { labels: {}, value: null })).toBe('<error expanding template: unsupported action "nope">');
  });
});

describe("instanceLabels", () => {
  it("series labels, then rule labels over them, then alertname; __name__ and empty values dropped", () => {
    expect(instanceLabels({ __name__: "up", job: "node", instance: "a", env: "" }, { severity: "page", instance: "b", job: "" }, "InstanceDown")).toEqual({
      instance: "b",
      severity: "page",
      alertname: "InstanceDown",
    });
    expect(instanceLabels({ alertname: "other" }, { alertname: "also" }, "Title")).toEqual({ alertname: "Title" });
  });
});

describe("renderRuleLabels / renderAnnotations", () => {
  it("renders each value with the data given", () => {
    const data = { labels: { instance: "db1:9100" }, value: 93.5 };
    expect(renderRuleLabels(fakeRender, { severity: "page", host: "{{ $labels.instance }}" }, data)).toEqual({ severity: "page", host: "db1:9100" });
    expect(renderAnnotations(fakeRender, { summary: "{{ $labels.instance }} at {{ $value }}%", runbook_url: "https://r.example/x" }, data)).toEqual({
      summary: "db1:9100 at 93.5%",
      runbook_url: "https://r.example/x",
    });
  });
});
