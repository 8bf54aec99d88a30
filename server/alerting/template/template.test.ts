import { describe, expect, it } from "vitest";
import { buildNotification, type NotificationData } from "../notification";
import {
  checkNotificationTemplate,
  checkRuleTemplate,
  checkTemplate,
  defaultTemplates,
  expandRuleAnnotations,
  expandRuleTemplate,
  renderNotificationTemplate,
  renderTemplate,
  renderWithFallback,
  TemplateError,
  TemplateLibrary,
  type RenderResult,
  type TemplateOptions,
} from "./index";
import { KV } from "./values";

function ok(src: string, data: unknown = {}, opts: TemplateOptions = {}): string {
  const r = renderTemplate(src, data, opts);
  if (!r.ok) throw new Error(`unexpected error: ${r.error.message}`);
  return r.text;
}

function err(src: string, data: unknown = {}, opts: TemplateOptions = {}): TemplateError {
  const r = renderTemplate(src, data, opts);
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.text)}`);
  expect(r.error).toBeInstanceOf(TemplateError);
  return r.error;
}

describe("text and actions", () => {
  it("prints text, fields and literals", () => {
    expect(ok("plain")).toBe("plain");
    expect(ok("{{ .a }}-{{ .b.c }}", { a: "x", b: { c: 2n } })).toBe("x-2");
    expect(ok('{{ "str" }} {{ `raw\\n` }} {{ 42 }} {{ 1.5 }} {{ 1e3 }} {{ 0x1F }} {{ true }} {{ \'a\' }}')).toBe("str raw\\n 42 1.5 1000 31 true 97");
    expect(ok('{{ "a\\tb\\u00e9" }}')).toBe("a\tbé");
    expect(ok("{{ . }}", "dot")).toBe("dot");
    expect(ok("{{ .missing }}", {})).toBe("<no value>");
  });

  it("trims whitespace around {{- and -}}", () => {
    expect(ok("a  \n {{- .x -}} \n  b", { x: "X" })).toBe("aXb");
    expect(ok("a {{- .x }} b", { x: "X" })).toBe("aX b");
    expect(ok("{{ 3 }} {{- -4 }}")).toBe("3-4"); // "-4" is a number, "- " a trim marker
  });

  it("skips comments", () => {
    expect(ok("a{{/* hidden */}}b")).toBe("ab");
    expect(ok("a \n{{- /* hidden */ -}}\n b")).toBe("ab");
  });

  it("prints nothing for declarations", () => {
    expect(ok('{{ $x := "v" }}[{{ $x }}]')).toBe("[v]");
  });
});

describe("pipelines and functions", () => {
  it("passes the previous result as the last argument", () => {
    expect(ok('{{ "abc" | toUpper }}')).toBe("ABC");
    expect(ok('{{ .v | printf "%.2f" }}', { v: 3.14159 })).toBe("3.14");
    expect(ok('{{ "a" | printf "%s-%s" "b" }}')).toBe("b-a");
    expect(ok("{{ .v | humanize | printf \"[%s]\" }}", { v: 1234567 })).toBe("[1.235M]");
  });

  it("evaluates parenthesised pipelines and their fields", () => {
    expect(ok('{{ printf "%s=%s" (toUpper "a") ("b" | toUpper) }}')).toBe("A=B");
    expect(ok("{{ (.m).k }}", { m: { k: "v" } })).toBe("v");
    expect(ok("{{ (index .l 0).Name }}", { l: [{ Name: "n" }] })).toBe("n");
  });

  it("and / or short-circuit and return an operand", () => {
    expect(ok('{{ and 1 0 "x" }}|{{ or 0 "" "y" }}|{{ or 0 "" }}')).toBe("0|y|");
    // The second operand would fail if evaluated.
    expect(ok("{{ and false .nope.deeper }}", {})).toBe("false");
    expect(ok("{{ or true (index .list 5) }}", { list: [] })).toBe("true");
    expect(ok("{{ 0 | or 5 }}")).toBe("5");
  });

  it("not, eq, ne, lt, le, gt, ge", () => {
    expect(ok('{{ not "" }} {{ not 1 }} {{ eq .s "a" "b" }} {{ ne 1 2 }} {{ lt 1 2 }} {{ le 2 2 }} {{ gt .v 80 }} {{ ge 1.5 2 }}', { s: "b", v: 95.5 })).toBe(
      "true false true true true true true false",
    );
  });

  it("calls methods with arguments", () => {
    const data = { labels: new KV({ a: "1", b: "2", c: "3" }) };
    expect(ok('{{ (.labels.Remove (stringSlice "b")).Names }}', data)).toBe("[a c]");
    expect(ok('{{ .labels.Remove (stringSlice "a" "c") | len }}', data)).toBe("1");
  });
});

describe("control structures", () => {
  it("if / else if / else", () => {
    const t = '{{ if gt .v 90.0 }}critical{{ else if gt .v 80.0 }}warning{{ else }}ok{{ end }}';
    expect(ok(t, { v: 95 })).toBe("critical");
    expect(ok(t, { v: 85 })).toBe("warning");
    expect(ok(t, { v: 5 })).toBe("ok");
  });

  it("uses Go truthiness", () => {
    const t = "{{ if . }}T{{ else }}F{{ end }}";
    expect([0, 0n, "", [], {}, null, undefined, false, new KV()].map((v) => ok(t, v)).join("")).toBe("FFFFFFFFF");
    expect([1, -1n, "x", [0], { a: 1 }, true, new KV({ a: "" })].map((v) => ok(t, v)).join("")).toBe("TTTTTTT");
  });

  it("range over lists, maps (sorted keys), integers, with else, break and continue", () => {
    expect(ok("{{ range . }}<{{ . }}>{{ end }}", ["a", "b"])).toBe("<a><b>");
    expect(ok("{{ range $i, $e := . }}{{ $i }}={{ $e }};{{ end }}", ["a", "b"])).toBe("0=a;1=b;");
    expect(ok("{{ range $k, $v := . }}{{ $k }}:{{ $v }} {{ end }}", { b: "2", a: "1" })).toBe("a:1 b:2 ");
    expect(ok("{{ range $k, $v := . }}{{ $k }}={{ $v }},{{ end }}", new KV({ z: "26", alertname: "A" }))).toBe("alertname=A,z=26,");
    expect(ok("{{ range 3 }}{{ . }}{{ end }}")).toBe("012");
    expect(ok("{{ range . }}x{{ else }}empty{{ end }}", [])).toBe("empty");
    expect(ok("{{ range .nothing }}x{{ else }}none{{ end }}", {})).toBe("none");
    expect(ok("{{ range . }}{{ if eq . 3 }}{{ break }}{{ end }}{{ . }}{{ end }}", [1n, 2n, 3n, 4n])).toBe("12");
    expect(ok("{{ range . }}{{ if eq . 2 }}{{ continue }}{{ end }}{{ . }}{{ end }}", [1n, 2n, 3n])).toBe("13");
  });

  it("with / else with / else", () => {
    const t = "{{ with .a }}a={{ . }}{{ else with .b }}b={{ . }}{{ else }}none{{ end }}";
    expect(ok(t, { a: "1", b: "2" })).toBe("a=1");
    expect(ok(t, { a: "", b: "2" })).toBe("b=2");
    expect(ok(t, { a: "", b: "" })).toBe("none");
  });

  it("scopes variables to their block, $ is the top dot, = assigns", () => {
    expect(ok('{{ $x := "outer" }}{{ if true }}{{ $x := "inner" }}{{ $x }}{{ end }}-{{ $x }}')).toBe("inner-outer");
    expect(ok('{{ $x := "a" }}{{ range . }}{{ $x = . }}{{ end }}{{ $x }}', ["b", "c"])).toBe("c");
    expect(ok("{{ range .items }}{{ $.prefix }}{{ . }} {{ end }}", { prefix: "#", items: ["a", "b"] })).toBe("#a #b ");
    expect(ok("{{ with $v := .x }}{{ $v }}{{ end }}", { x: "X" })).toBe("X");
  });

  it("define, template and block", () => {
    const src = '{{ define "item" }}[{{ . }}]{{ end }}{{ range . }}{{ template "item" . }}{{ end }}{{ block "tail" . }}({{ len . }}){{ end }}';
    expect(ok(src, ["a", "b"])).toBe("[a][b](2)");
    const lib = TemplateLibrary.parse([{ name: "lib", source: '{{ define "greet" }}hello {{ . }}{{ end }}' }]);
    expect(lib.ok).toBe(true);
    if (lib.ok) expect(ok('{{ template "greet" "you" }}', {}, { library: lib.library })).toBe("hello you");
    // A template's own define overrides the library's.
    if (lib.ok) expect(ok('{{ define "greet" }}hi {{ . }}{{ end }}{{ template "greet" "you" }}', {}, { library: lib.library })).toBe("hi you");
  });
});

describe("errors carry position and reason", () => {
  it("parse errors", () => {
    const e = err("line1\n  {{ .a ");
    expect(e.phase).toBe("parse");
    expect(e.line).toBe(2);
    expect(e.column).toBe(3);
    expect(e.reason).toBe("unclosed action");
    expect(e.message).toBe("template: template:2:3: unclosed action");

    expect(err("{{ nosuchfunc 1 }}").reason).toBe('function "nosuchfunc" not defined');
    expect(err('{{ query "up" }}').reason).toMatch(/function "query" is not supported: templates cannot run queries/);
    expect(err("{{ $undefined }}").reason).toBe('undefined variable "$undefined"');
    expect(err("{{ if .a }}x").reason).toBe("unexpected EOF");
    expect(err("{{ end }}").reason).toBe("unexpected {{end}}");
    expect(err('{{ "unterminated }}').reason).toBe("unterminated quoted string");
    expect(err("{{ .a | 1 }}").reason).toBe("non executable command in pipeline stage 2");
    expect(err("{{ }}").reason).toBe("missing value for command");
    expect(err("{{ break }}").reason).toBe("{{break}} outside {{range}}");
    expect(err("{{ (1 }}").reason).toBe("unclosed left paren");
    expect(err('{{ printf "%d"1 }}').reason).toMatch(/missing space/);
    expect(err("{{/* open").reason).toBe("unclosed comment");
  });

  it("execution errors name the construct", () => {
    const e = err("ok {{ .Labels.x.y }}", { Labels: new KV({ x: "1" }) }, { name: "summary" });
    expect(e.phase).toBe("exec");
    expect(e.column).toBe(7);
    expect(e.message).toBe('template: summary:1:7: executing "summary" at <.Labels.x.y>: can\'t evaluate field y in type string');

    expect(err('{{ humanize "abc" }}').message).toMatch(/at <humanize>: error calling humanize: strconv.ParseFloat: parsing "abc": invalid syntax/);
    expect(err('{{ printf "%s" 1 2 | humanize 3 }}').reason).toBe("wrong number of args for humanize: want 1 got 2");
    expect(err('{{ template "nope" }}').reason).toBe('no such template "nope"');
    expect(err("{{ 1 2 }}").reason).toBe("can't give argument to non-function 1");
    expect(err("{{ .a.b }}", { a: null }).reason).toBe("nil pointer evaluating <nil>.b");
    expect(err('{{ reReplaceAll "(" "" "x" }}').reason).toMatch(/^error calling reReplaceAll: error parsing regexp/);
    expect(err('{{ range "abc" }}{{ end }}').reason).toBe("range can't iterate over abc");
  });

  it("reports errors of named templates at their own source", () => {
    const lib = TemplateLibrary.parse([{ name: "lib", source: 'x\n{{ define "bad" }}{{ .x.y }}{{ end }}' }]);
    if (!lib.ok) throw lib.error;
    const e = err('{{ template "bad" .s }}', { s: { x: "str" } }, { library: lib.library, name: "main" });
    expect(e.templateName).toBe("lib");
    expect(e.line).toBe(2);
  });

  it("stops runaway templates", () => {
    const loop = '{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}';
    expect(err(loop).reason).toBe("exceeded maximum template depth (50)");
    expect(err("{{ range 1000 }}{{ range 1000 }}x{{ end }}{{ end }}", {}, { limits: { maxSteps: 10_000 } }).reason).toMatch(/too expensive/);
    expect(err("{{ range 100 }}xxxxxxxxxx{{ end }}", {}, { limits: { maxOutput: 500 } }).reason).toBe("output is larger than 500 characters");
  });

  it("never throws, even on odd data", () => {
    const weird = { get a(): string {
      throw new Error("boom");
    } };
    const r = renderTemplate("{{ .a }}", weird);
    expect(r.ok).toBe(false);
  });

  it("checks syntax without running", () => {
    expect(checkTemplate("{{ .a }}")).toBeNull();
    expect(checkTemplate("{{ .a ")?.reason).toBe("unclosed action");
    expect(checkRuleTemplate("{{ $labels.instance }} {{ $value | humanize }}")).toBeNull();
    expect(checkRuleTemplate("{{ $lables.instance }}")?.reason).toBe('undefined variable "$lables"');
    expect(checkNotificationTemplate('{{ template "slack.default.text" . }}')).toBeNull();
  });
});

describe("HTML escaping", () => {
  const html = (src: string, data: unknown) => ok(src, data, { html: true });

  it("escapes printed values but not the template's own markup", () => {
    expect(html("<b>{{ .v }}</b>", { v: `<script>alert("x")</script> & 'y'` })).toBe("<b>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;y&#39;</b>");
  });

  it("keeps safeHtml as it is", () => {
    expect(html("{{ .v | safeHtml }}", { v: "<i>ok</i>" })).toBe("<i>ok</i>");
  });

  it("filters dangerous URL schemes at the start of a URL attribute", () => {
    expect(html('<a href="{{ .u }}">x</a>', { u: "javascript:alert(1)" })).toBe('<a href="#ZgotmplZ">x</a>');
    expect(html('<a href="{{ .u }}">x</a>', { u: "https://ok.example/?a=1&b=2" })).toBe('<a href="https://ok.example/?a=1&amp;b=2">x</a>');
    expect(html('<img src="/{{ .u }}">', { u: "javascript:x" })).toBe('<img src="/javascript:x">');
    expect(html('<a href="{{ .u | safeUrl }}">x</a>', { u: "myapp:open" })).toBe('<a href="myapp:open">x</a>');
  });

  it("escapes quotes inside attributes and spaces in unquoted ones", () => {
    expect(html('<div title="{{ .t }}">', { t: '"><script>' })).toBe('<div title="&#34;&gt;&lt;script&gt;">');
    expect(html("<div title={{ .t }}>", { t: "a b=c" })).toBe("<div title=a&#32;b&#61;c>");
    expect(html("<div {{ .t }}>", { t: "onclick=alert(1)" })).toBe("<div ZgotmplZ>");
  });

  it("escapes for JavaScript inside script elements", () => {
    expect(html("<script>var x = '{{ .v }}';</script>", { v: "';alert(1)//" })).toBe("<script>var x = '\\u0027;alert(1)//';</script>");
  });

  it("does not escape in text mode", () => {
    expect(ok("<b>{{ .v }}</b>", { v: "<i>" })).toBe("<b><i></b>");
  });
});

describe("rule annotation templates (Prometheus)", () => {
  const input = { labels: { instance: "node1:9100", job: "node" }, value: 0.1234, externalLabels: { cluster: "eu1" }, externalURL: "https://lookout.example" };

  it("has $labels, $value, $externalLabels, $externalURL and .Labels/.Value", () => {
    const r = expandRuleTemplate(
      "{{ $labels.instance }} is at {{ $value | humanizePercentage }} ({{ $value }}) in {{ $externalLabels.cluster }} — {{ .Labels.job }} {{ .Value }} {{ $externalURL }}",
      input,
    );
    expect(r).toEqual({ ok: true, text: "node1:9100 is at 12.34% (0.1234) in eu1 — node 0.1234 https://lookout.example" });
  });

  it("prints large values as Go does unless humanized", () => {
    expect(expandRuleTemplate("{{ $value }} / {{ humanize $value }}", { labels: {}, value: 1234567 })).toEqual({ ok: true, text: "1.234567e+06 / 1.235M" });
  });

  it("uses Prometheus's title (no lower-casing) and leaves plain text alone", () => {
    expect(expandRuleTemplate('{{ title "hIGH load" }}', input)).toEqual({ ok: true, text: "HIGH Load" });
    expect(expandRuleTemplate("no template here", input)).toEqual({ ok: true, text: "no template here" });
  });

  it("turns a failing annotation into Prometheus's error text", () => {
    const r = expandRuleAnnotations({ summary: "{{ $labels.instance }} down", description: "{{ humanize $labels.instance }}" }, input, { ruleName: "InstanceDown" });
    expect(r.annotations.summary).toBe("node1:9100 down");
    expect(r.annotations.description).toMatch(/^<error expanding template: template: __alert_InstanceDown:1:4: executing "__alert_InstanceDown" at <humanize>: error calling humanize: strconv.ParseFloat/);
    expect(Object.keys(r.errors)).toEqual(["description"]);
  });
});

const NOW = Date.parse("2024-05-01T13:00:00Z");

function sampleNotification(): NotificationData {
  return buildNotification(
    '{}:{alertname="HighErrorRate"}',
    "team-api",
    { alertname: "HighErrorRate", job: "api" },
    [
      {
        labels: { alertname: "HighErrorRate", job: "api", instance: "b:1", severity: "critical" },
        annotations: { summary: "High errors on b:1", runbook_url: "https://runbooks.example/high-errors" },
        startsAt: "2024-05-01T11:00:00Z",
        endsAt: "2024-05-01T12:30:00Z",
      },
      {
        labels: { alertname: "HighErrorRate", job: "api", instance: "a:1", severity: "critical" },
        annotations: { summary: "High errors on a:1", description: "5% of requests fail", value: "0.05", runbook_url: "https://runbooks.example/high-errors" },
        startsAt: "2024-05-01T12:00:00Z",
        generatorURL: "https://lookout.example/explore/metrics?g0.expr=x",
      },
    ],
    "https://lookout.example",
    NOW,
  );
}

function render(src: string, opts: { html?: boolean } = {}): RenderResult {
  return renderNotificationTemplate(src, sampleNotification(), { now: () => NOW, ...opts });
}

function text(src: string, opts: { html?: boolean } = {}): string {
  const r = render(src, opts);
  if (!r.ok) throw new Error(r.error.message);
  return r.text;
}

describe("notification templates (Alertmanager data)", () => {
  it("exposes the group fields", () => {
    expect(text("{{ .Status }} {{ .Receiver }} {{ .ExternalURL }} {{ .GroupLabels.job }} {{ .CommonLabels.severity }} {{ .CommonAnnotations.runbook_url }}")).toBe(
      "firing team-api https://lookout.example api critical https://runbooks.example/high-errors",
    );
  });

  it("lists alerts, firing and resolved", () => {
    expect(text("{{ len .Alerts }} {{ len .Alerts.Firing }} {{ len .Alerts.Resolved }}")).toBe("2 1 1");
    expect(text("{{ range .Alerts.Firing }}{{ .Labels.instance }} {{ .Status }}{{ end }}")).toBe("a:1 firing");
    expect(text("{{ range .Alerts.Resolved }}{{ .Labels.instance }} {{ .EndsAt.Format \"15:04\" }}{{ end }}")).toBe("b:1 12:30");
    expect(text("{{ range .Alerts }}{{ .Labels.instance }},{{ end }}")).toBe("a:1,b:1,");
  });

  it("gives each alert its fields", () => {
    expect(text("{{ with index .Alerts 0 }}{{ .StartsAt }}|{{ .EndsAt }}|{{ .EndsAt.IsZero }}|{{ .GeneratorURL }}|{{ .Fingerprint }}|{{ .Annotations.summary }}{{ end }}")).toMatch(
      /^2024-05-01 12:00:00 \+0000 UTC\|0001-01-01 00:00:00 \+0000 UTC\|true\|https:\/\/lookout\.example\/explore\/metrics\?g0\.expr=x\|[0-9a-f]{16}\|High errors on a:1$/,
    );
    expect(text("{{ with index .Alerts 0 }}{{ since .StartsAt | humanizeDuration }} {{ .StartsAt | date \"2006-01-02\" }} {{ (tz \"Asia/Tokyo\" .StartsAt).Format \"15:04 MST\" }}{{ end }}")).toMatch(
      /^1h 0m 0s 2024-05-01 21:00 (JST|\+0900)$/,
    );
  });

  it("has KV methods and join", () => {
    expect(text('{{ range .CommonLabels.SortedPairs }}{{ .Name }}={{ .Value }} {{ end }}')).toBe("alertname=HighErrorRate job=api severity=critical ");
    expect(text('{{ .CommonLabels.Names | join "," }}')).toBe("alertname,job,severity");
    expect(text('{{ .GroupLabels.Values | join " " }}')).toBe("HighErrorRate api");
    expect(text('{{ (.CommonLabels.Remove (stringSlice "alertname")).Names }}')).toBe("[job severity]");
    expect(text("{{ .CommonLabels.nonexistent }}|")).toBe("|");
  });

  it("marshals to JSON", () => {
    expect(text("{{ .GroupLabels | toJson }}")).toBe('{"alertname":"HighErrorRate","job":"api"}');
    expect(JSON.parse(text("{{ (index .Alerts 1) | toJson }}"))).toMatchObject({ status: "resolved", endsAt: "2024-05-01T12:30:00Z", labels: { instance: "b:1" } });
  });

  it("says which field is wrong", () => {
    const r = render("{{ .Alerts.Firing.Labels }}");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.reason).toBe("can't evaluate field Labels in type template.Alerts");
    const r2 = render("{{ .CommonLabel }}");
    if (!r2.ok) expect(r2.error.reason).toBe("can't evaluate field CommonLabel in type template.Data");
  });
});

describe("default templates", () => {
  it("parse and are all present", () => {
    expect(defaultTemplates().names()).toEqual(
      expect.arrayContaining([
        "__subject",
        "default.title",
        "default.text",
        "email.default.subject",
        "email.default.html",
        "email.default.text",
        "slack.default.title",
        "slack.default.titlelink",
        "slack.default.text",
        "slack.default.fallback",
        "slack.default.color",
        "pagerduty.default.description",
        "pagerduty.default.client",
        "pagerduty.default.clientURL",
        "pagerduty.default.instances",
      ]),
    );
  });

  it("title names the status, firing count, alert and group labels", () => {
    expect(text('{{ template "default.title" . }}')).toBe("[FIRING:1] HighErrorRate (api)");
  });

  it("text lists firing and resolved alerts with details and links", () => {
    expect(text('{{ template "default.text" . }}')).toBe(
      [
        "Firing (1):",
        "- High errors on a:1",
        "  firing since 2024-05-01 12:00:00 UTC (1h 0m 0s)",
        "  5% of requests fail",
        "  Value: 0.05",
        "  Labels: alertname=HighErrorRate instance=a:1 job=api severity=critical",
        "  Runbook: https://runbooks.example/high-errors",
        "  Source: https://lookout.example/explore/metrics?g0.expr=x",
        "",
        "Resolved (1):",
        "- High errors on b:1",
        "  resolved at 2024-05-01 12:30:00 UTC (fired at 2024-05-01 11:00:00 UTC)",
        "  Labels: alertname=HighErrorRate instance=b:1 job=api severity=critical",
        "  Runbook: https://runbooks.example/high-errors",
        "",
        "Open in Lookout: https://lookout.example/alerting",
      ].join("\n"),
    );
  });

  it("HTML email escapes values and links to the runbook, source and Lookout", () => {
    const n = sampleNotification();
    n.alerts[0]!.annotations.description = "<script>x</script>";
    const r = renderNotificationTemplate('{{ template "email.default.html" . }}', n, { now: () => NOW, html: true });
    if (!r.ok) throw r.error;
    expect(r.text).toContain("&lt;script&gt;x&lt;/script&gt;");
    expect(r.text).not.toContain("<script>");
    expect(r.text).toContain('<a href="https://runbooks.example/high-errors"');
    expect(r.text).toContain('<a href="https://lookout.example/explore/metrics?g0.expr=x"');
    expect(r.text).toContain('<a href="https://lookout.example/alerting"');
    expect(r.text).toContain("<title>[FIRING:1] HighErrorRate (api)</title>");
    expect(r.text).toContain("Firing (1)");
    expect(r.text).toContain("Resolved (1)");
  });

  it("Slack text, colour and fallback", () => {
    expect(text('{{ template "slack.default.color" . }}')).toBe("danger");
    expect(text('{{ template "slack.default.text" . }}')).toBe(
      [
        "*Firing: High errors on a:1*",
        "5% of requests fail",
        "*Value:* 0.05",
        "*Labels:* `alertname=HighErrorRate` `instance=a:1` `job=api` `severity=critical`",
        "_firing since 2024-05-01 12:00:00 UTC (1h 0m 0s)_",
        "<https://runbooks.example/high-errors|Runbook> · <https://lookout.example/explore/metrics?g0.expr=x|Source>",
        "",
        "*Resolved: High errors on b:1*",
        "*Labels:* `alertname=HighErrorRate` `instance=b:1` `job=api` `severity=critical`",
        "_resolved at 2024-05-01 12:30:00 UTC (fired at 2024-05-01 11:00:00 UTC)_",
        "<https://runbooks.example/high-errors|Runbook>",
      ].join("\n"),
    );
    expect(text('{{ template "slack.default.fallback" . }}')).toBe("[FIRING:1] HighErrorRate (api) | https://lookout.example/alerting");
  });

  it("resolved groups and truncated alerts", () => {
    const n = sampleNotification();
    const resolved: NotificationData = { ...n, status: "resolved", alerts: n.alerts.filter((a) => a.status === "resolved"), truncatedAlerts: 3 };
    const r = renderNotificationTemplate('{{ template "default.title" . }}\n{{ template "default.text" . }}', resolved, { now: () => NOW });
    if (!r.ok) throw r.error;
    expect(r.text.split("\n")[0]).toBe("[RESOLVED] HighErrorRate (api)");
    expect(r.text).toContain("…and 3 more.");
    expect(r.text).not.toContain("Firing (");
  });
});

describe("renderWithFallback", () => {
  it("uses the custom template when it works", () => {
    expect(renderWithFallback("{{ .Status | toUpper }}", '{{ template "default.title" . }}', sampleNotification())).toEqual({ text: "FIRING", error: null });
  });

  it("falls back to the default with the error when it fails", () => {
    const r = renderWithFallback("{{ .Nope }}", '{{ template "default.title" . }}', sampleNotification(), { name: "title" });
    expect(r.text).toBe("[FIRING:1] HighErrorRate (api)");
    expect(r.error?.message).toBe('template: title:1:4: executing "title" at <.Nope>: can\'t evaluate field Nope in type template.Data');
    const p = renderWithFallback("{{ if }}", "fallback", sampleNotification());
    expect(p.text).toBe("fallback");
    expect(p.error?.phase).toBe("parse");
  });

  it("uses the default when there is no custom template", () => {
    expect(renderWithFallback(undefined, "{{ .Receiver }}", sampleNotification())).toEqual({ text: "team-api", error: null });
  });
});
