import { describe, expect, it } from "vitest";
import { RuleGroupSchema, type RuleGroup } from "./model";
import { conditionExpr, describeRuleFileIssue, parseRuleFile, toPrometheusRuleFile, type RuleFileParse } from "./rule-file";

const y = (lines: string[]) => `${lines.join("\n")}\n`;

/** A file as one would write it for node_exporter and a web service. */
const NODE_RULES = y([
  "groups:", //                                                                              1
  "  - name: service", //                                                                    2
  "    interval: 30s", //                                                                    3
  "    rules:", //                                                                           4
  "      - record: job:http_requests:rate5m", //                                             5
  "        expr: sum by (job) (rate(http_requests_total[5m]))", //                           6
  "      - alert: HighErrorRate", //                                                         7
  "        expr: |", //                                                                      8
  '          sum by (job) (rate(http_requests_total{status=~"5.."}[5m]))', //               9
  "            / sum by (job) (rate(http_requests_total[5m])) > 0.05", //                    10
  "        for: 10m", //                                                                     11
  "        labels:", //                                                                      12
  "          severity: page", //                                                             13
  "        annotations:", //                                                                 14
  '          summary: "High error rate on {{ $labels.job }}"', //                            15
  "          description: \"{{ $value | humanizePercentage }} of requests fail\"", //        16
  "          runbook_url: https://runbooks.example.com/high-error-rate", //                  17
  "  - name: node", //                                                                       18
  "    interval: 1m", //                                                                     19
  "    labels:", //                                                                          20
  "      team: infra", //                                                                    21
  "    rules:", //                                                                           22
  "      - alert: HighMemoryUsage", //                                                       23
  "        expr: (1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes) * 100 > 90", // 24
  "        for: 5m", //                                                                      25
  "        keep_firing_for: 10m", //                                                         26
  "        labels:", //                                                                      27
  "          severity: warning", //                                                          28
  "          team: platform", //                                                             29
  "        annotations:", //                                                                 30
  "          summary: Memory above 90% on {{ $labels.instance }}", //                        31
  "      - alert: DiskWillFillIn4Hours", //                                                  32
  '        expr: predict_linear(node_filesystem_avail_bytes{fstype!="tmpfs"}[6h], 4*3600) < 0', // 33
  "        for: 0", //                                                                       34
  "        labels:", //                                                                      35
  "          severity: critical", //                                                         36
  "          priority: 1", //                                                                37
  "        annotations:", //                                                                 38
  "          summary: Disk {{ $labels.mountpoint }} on {{ $labels.instance }} fills within 4 hours", // 39
]);

function parsed(text: string, opts = {}): Extract<RuleFileParse, { ok: true }> {
  const r = parseRuleFile(text, opts);
  if (!r.ok) throw new Error(r.errors.map(describeRuleFileIssue).join("\n"));
  return r;
}

/** The problems of a file that must not load, as `line N: path: message`. */
function problems(text: string): string[] {
  const r = parseRuleFile(text);
  expect(r.ok).toBe(false);
  return r.ok ? [] : r.errors.map(describeRuleFileIssue);
}

describe("parseRuleFile", () => {
  it("reads alerting rules into groups; recording rules are a warning each", () => {
    const r = parsed(NODE_RULES, { folderUid: "infra" });
    expect(r.warnings.map(describeRuleFileIssue)).toEqual(['line 5: groups[0].rules[0]: recording rule "job:http_requests:rate5m" is not imported: Lookout evaluates alerting rules only']);
    expect(r.groups.map((g) => [g.name, g.interval, g.folderUid, g.rules.length])).toEqual([
      ["service", "30s", "infra", 1],
      ["node", "1m", "infra", 2],
    ]);
    expect(r.groups[0]!.rules[0]).toEqual({
      title: "HighErrorRate",
      query: { kind: "promql", expr: 'sum by (job) (rate(http_requests_total{status=~"5.."}[5m]))\n  / sum by (job) (rate(http_requests_total[5m])) > 0.05' },
      for: "10m",
      keepFiringFor: undefined,
      labels: { severity: "page" },
      annotations: {
        summary: "High error rate on {{ $labels.job }}",
        description: "{{ $value | humanizePercentage }} of requests fail",
        runbook_url: "https://runbooks.example.com/high-error-rate",
      },
      noDataState: "OK",
      execErrState: "KeepLast",
      paused: false,
    });
    const [mem, disk] = r.groups[1]!.rules;
    // Group labels are added; the rule's own win.
    expect(mem).toMatchObject({ title: "HighMemoryUsage", for: "5m", keepFiringFor: "10m", labels: { team: "platform", severity: "warning" } });
    expect(disk).toMatchObject({
      title: "DiskWillFillIn4Hours",
      query: { kind: "promql", expr: 'predict_linear(node_filesystem_avail_bytes{fstype!="tmpfs"}[6h], 4*3600) < 0' },
      for: "0s",
      labels: { team: "infra", severity: "critical", priority: "1" },
    });
    expect(disk!.query).not.toHaveProperty("condition");
    // Every group is a valid model group as is.
    for (const g of r.groups) expect(RuleGroupSchema.parse(g)).toEqual(g);
  });

  it("lets the caller choose no-data and error handling", () => {
    const r = parsed(NODE_RULES, { noDataState: "NoData", execErrState: "Error" });
    expect(r.groups.flatMap((g) => g.rules.map((x) => [x.noDataState, x.execErrState]))).toEqual([
      ["NoData", "Error"],
      ["NoData", "Error"],
      ["NoData", "Error"],
    ]);
  });

  it("takes empty files and empty groups", () => {
    for (const text of ["", "# no rules yet\n", "groups:\n", "groups: []\n"]) expect(parsed(text)).toEqual({ ok: true, groups: [], warnings: [] });
    expect(parsed("groups:\n  - name: empty\n").groups).toEqual([{ name: "empty", folderUid: null, interval: "1m", rules: [] }]);
  });

  it("locates a PromQL error at the line of the expression, with the position inside it", () => {
    const text = y([
      "groups:",
      "  - name: a",
      "    rules:",
      "      - alert: Ok",
      "        expr: up == 0",
      "      - alert: Broken",
      "        expr: rate(http_requests_total[5m] > 1",
      "      - alert: Multi",
      "        expr: |",
      "          sum(rate(x[5m]))",
      "            / sum(rate(y[5m])) >",
      "      - alert: Range",
      "        expr: up[5m]",
      "      - alert: Unknown",
      "        expr: frobnicate(up)",
    ]);
    const errs = problems(text);
    expect(errs).toHaveLength(4);
    expect(errs[0]).toMatch(/^line 7: groups\[0\]\.rules\[1\]\.expr: 1:\d+: parse error: /);
    expect(errs[1]).toMatch(/^line 11: groups\[0\]\.rules\[2\]\.expr: 2:\d+: parse error: /);
    expect(errs[2]).toBe("line 13: groups[0].rules[3].expr: the expression must be an instant vector or a scalar, not a range vector");
    expect(errs[3]).toBe('line 15: groups[0].rules[4].expr: 1:1: parse error: unknown function with name "frobnicate"');
  });

  it("reports structural problems where they are, all at once", () => {
    const text = y([
      "groups:", //                         1
      "  - name: a", //                     2
      "    interval: 5 minutes", //         3
      "    rules:", //                      4
      "      - alert: X", //                5
      "        expr: up == 0", //           6
      "        for: 5m", //                 7
      "        severity: page", //          8
      "  - name: b", //                     9
      "    rules:", //                      10
      "      - expr: up == 0", //           11
      "      - alert: Y", //                12
      "  - rules: []", //                   13
    ]);
    expect(problems(text)).toEqual([
      "line 3: groups[0].interval: a duration such as 30s, 5m, 1h30m",
      "line 8: groups[0].rules[0].severity: unknown field (check the spelling; fields that are not supported are refused)",
      "line 12: groups[1].rules[1].expr: missing (expected a string)",
      "line 13: groups[2].name: missing (expected a string)",
    ]);
  });

  it("checks rule kinds, names and group names", () => {
    const text = y([
      "groups:", //                                   1
      "  - name: a", //                               2
      "    rules:", //                                3
      "      - expr: up == 0", //                     4
      "      - alert: A", //                          5
      "        record: a:b", //                       6
      "        expr: up", //                          7
      "      - record: 'not a metric'", //            8
      "        expr: up", //                          9
      "      - record: ok:name", //                   10
      "        expr: up", //                          11
      "        for: 5m", //                           12
      "      - alert: '  '", //                       13
      "        expr: up", //                          14
      "      - alert: B", //                          15
      "        expr: up", //                          16
      "        labels:", //                           17
      "          bad-name: x", //                     18
      "        annotations:", //                      19
      "          1st: y", //                          20
      "  - name: a", //                               21
      "    labels:", //                               22
      "      'a.b': c", //                            23
    ]);
    expect(problems(text)).toEqual([
      "line 4: groups[0].rules[0]: one of alert or record must be set",
      "line 5: groups[0].rules[1]: only one of alert and record may be set",
      'line 8: groups[0].rules[2].record: invalid recording rule name "not a metric" (a metric name: letters, digits, _ and :)',
      "line 12: groups[0].rules[3].for: not allowed in a recording rule",
      "line 13: groups[0].rules[4].alert: an alert name is required",
      'line 18: groups[0].rules[5].labels["bad-name"]: invalid name (letters, digits and _; not starting with a digit)',
      'line 20: groups[0].rules[5].annotations["1st"]: invalid name (letters, digits and _; not starting with a digit)',
      'line 21: groups[1].name: group name "a" is repeated in the file (also groups[0])',
      'line 23: groups[1].labels["a.b"]: invalid name (letters, digits and _; not starting with a digit)',
    ]);
  });

  it("maps model limits back to the file's rule (recording rules skipped in between)", () => {
    const text = y(["groups:", "  - name: a", "    rules:", "      - record: r", "        expr: up", "      - alert: " + "A".repeat(201), "        expr: up == 0"]);
    expect(problems(text)).toEqual(["line 6: groups[0].rules[1].alert: must be at most 200 characters"]);
  });

  it("reports YAML syntax errors and a file that is not a mapping", () => {
    expect(problems("groups:\n  - name: a\n   rules: [\n")[0]).toMatch(/^line \d+: YAML syntax: /);
    expect(problems("- name: a\n")).toEqual(["line 1: expected a mapping, got a list"]);
    expect(problems("groups:\n  - name: a\n    name: b\n")[0]).toMatch(/^line 3: YAML syntax: Map keys must be unique/);
  });

  it("warns about group fields it does not apply", () => {
    const r = parsed(y(["groups:", "  - name: a", "    limit: 10", "    query_offset: 1m", "    rules: []"]));
    expect(r.warnings.map(describeRuleFileIssue)).toEqual(["line 3: groups[0].limit: not enforced: every alert of the group is kept", "line 4: groups[0].query_offset: not supported: rules are evaluated at the scheduled time"]);
  });
});

describe("conditionExpr", () => {
  it.each([
    ["rate(errors_total[5m])", { op: ">", threshold: 0.01 }, "rate(errors_total[5m]) > 0.01"],
    ["a / b", { op: ">=", threshold: 2 }, "a / b >= 2"],
    ["a > 1", { op: "<", threshold: 5 }, "(a > 1) < 5"],
    ["a or b", { op: "==", threshold: 0 }, "(a or b) == 0"],
    ["up", { op: "!=", threshold: -1.5 }, "up != -1.5"],
    ["up", { op: "<=", threshold: Infinity }, "up <= +Inf"],
    ["sum(x) # total", { op: ">", threshold: 1e-7 }, "(\nsum(x) # total\n) > 1e-7"],
  ] as const)("%s %o → %s", (expr, cond, want) => {
    expect(conditionExpr(expr, cond)).toBe(want);
  });
});

describe("toPrometheusRuleFile", () => {
  const groups: RuleGroup[] = [
    RuleGroupSchema.parse({
      name: "api",
      interval: "30s",
      rules: [
        { title: "HighErrorRate", query: { kind: "promql", expr: "sum(rate(errors_total[5m])) / sum(rate(requests_total[5m]))", condition: { op: ">", threshold: 0.05 } }, for: "10m", labels: { severity: "page" }, annotations: { summary: "{{ $value }}" }, noDataState: "OK", execErrState: "KeepLast" },
        { title: "TooFewLogs", query: { kind: "logs", query: "service:api", window: "10m", condition: { op: "<", threshold: 1 } } },
        { title: "InstanceDown", query: { kind: "promql", expr: "up == 0" }, keepFiringFor: "5m", noDataState: "OK", execErrState: "KeepLast" },
      ],
    }),
  ];

  it("writes PromQL rules, thresholds folded into expr; log rules left out with a warning", () => {
    const { text, warnings } = toPrometheusRuleFile(groups);
    expect(text).toBe(
      y([
        "groups:",
        "  - name: api",
        "    interval: 30s",
        "    rules:",
        "      - alert: HighErrorRate",
        "        expr: sum(rate(errors_total[5m])) / sum(rate(requests_total[5m])) > 0.05",
        "        for: 10m",
        "        labels:",
        "          severity: page",
        "        annotations:",
        '          summary: "{{ $value }}"',
        "      - alert: InstanceDown",
        "        expr: up == 0",
        "        keep_firing_for: 5m",
      ]),
    );
    expect(warnings).toEqual(['group "api", rule "TooFewLogs": a log rule has no Prometheus form; left out']);
  });

  it("round-trips through parseRuleFile", () => {
    const back = parsed(toPrometheusRuleFile(groups).text);
    expect(back.groups[0]!.rules.map((r) => [r.title, r.query, r.for, r.keepFiringFor, r.labels, r.annotations])).toEqual([
      ["HighErrorRate", { kind: "promql", expr: "sum(rate(errors_total[5m])) / sum(rate(requests_total[5m])) > 0.05" }, "10m", undefined, { severity: "page" }, { summary: "{{ $value }}" }],
      ["InstanceDown", { kind: "promql", expr: "up == 0" }, "0s", "5m", {}, {}],
    ]);
    const file = parsed(NODE_RULES).groups;
    expect(parsed(toPrometheusRuleFile(file).text).groups).toEqual(file);
  });

  it("warns about what Prometheus has no form for", () => {
    const g = RuleGroupSchema.parse({ name: "g", rules: [{ title: "X", query: { kind: "promql", expr: "up == 0" }, paused: true }] });
    expect(toPrometheusRuleFile([g]).warnings).toEqual([
      'group "g", rule "X": no-data handling NoData has no Prometheus form (Prometheus treats no data as all clear)',
      'group "g", rule "X": error handling Error has no Prometheus form (Prometheus keeps a failing rule\'s alerts as they were)',
      'group "g", rule "X": paused here, but Prometheus will evaluate it',
    ]);
  });
});
