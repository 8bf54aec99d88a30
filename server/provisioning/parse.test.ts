import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { thrownBy } from "@/test/thrown";
import { formatPath } from "./issues";
import { parseProvisioningFile, ProvisioningFileError } from "./parse";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The problems of a file that must not parse, as `line N: path: message` lines. */
function problems(yaml: string): string[] {
  const e = thrownBy(() => parseProvisioningFile(yaml, "test.yaml"), ProvisioningFileError);
  expect(e.message).toMatch(/^test\.yaml is not a valid provisioning file \(\d+ problems?\):\n/);
  return e.message.split("\n").slice(1).map((l) => l.trim());
}

const y = (lines: string[]) => `${lines.join("\n")}\n`;

describe("parseProvisioningFile", () => {
  it("reads the example file", () => {
    const plan = parseProvisioningFile(readFileSync(path.join(root, "examples/lookout.yaml"), "utf8"), "lookout.yaml");
    expect(plan.global).toEqual({ scrapeIntervalMs: 30_000, scrapeTimeoutMs: 10_000 });
    expect(plan.scrapeConfigs.map((c) => c.job_name)).toEqual(["node", "nginx"]);
    expect(plan.sources).toHaveLength(1);
    expect(plan.sources[0]).toMatchObject({ name: "nginx", hotDays: 14, archiveDays: 90 });
    expect(plan.sources[0]!.pipeline.map((s) => s.type)).toEqual(["grok", "date", "add", "drop"]);
    expect(plan.ruleFiles).toEqual([{ path: "rules/node.rules.yml", resolved: path.resolve("rules/node.rules.yml"), folder: undefined, index: 0, line: expect.any(Number) }]);
    expect(plan.evaluationInterval).toBe("1m");
    expect(plan.ruleGroups).toEqual([]);
    expect(plan.alertmanager!.receivers.map((r) => r.name)).toEqual(["team-webhook", "oncall-email"]);
    expect(plan.alertmanager!.route.routes![0]).toMatchObject({ matchers: ['severity="critical"'], receiver: "oncall-email", mute_time_intervals: ["weekends"] });
    expect(plan.alertmanager!.inhibit_rules).toEqual([{ source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ["alertname", "instance"] }]);
    expect(plan.alertmanager!.time_intervals.map((t) => t.name)).toEqual(["weekends"]);
    expect(plan.notices).toEqual([]);
  });

  it("takes an empty file, and empty sections, as nothing to provision", () => {
    for (const text of ["", "# nothing yet\n", "scrape_configs:\nsources:\n", "rule_files:\ngroups:\nalertmanager:\n"]) {
      expect(parseProvisioningFile(text, "/etc/f")).toEqual({
        global: { scrapeIntervalMs: 15_000, scrapeTimeoutMs: 10_000 },
        scrapeConfigs: [],
        sources: [],
        dashboards: [],
        file: "/etc/f",
        ruleFiles: [],
        ruleGroups: [],
        evaluationInterval: "1m",
        alertmanager: null,
        notices: [],
      });
    }
  });

  it("names the path and the line of a wrong type, in YAML words", () => {
    const text = y([
      "scrape_configs:", //                  1
      "  - job_name: a", //                  2
      "    static_configs:", //              3
      "      - targets: ['x:1']", //         4
      "  - job_name: b", //                  5
      "    static_configs:", //              6
      "      - targets: 'x:1'", //           7
      "    honor_labels: yes", //            8
    ]);
    expect(problems(text)).toEqual([
      "line 8: scrape_configs[1].honor_labels: expected true or false, got a string",
      "line 7: scrape_configs[1].static_configs[0].targets: expected a list, got a string",
    ]);
  });

  it("reports a missing field, an empty value and an unknown field where they are", () => {
    const text = y([
      "sources:", //               1
      "  - description: x", //     2
      "    pipline: []", //        3
      "  - name: b", //            4
      "    pipeline:", //          5
      "scrape_configs:", //        6
      "  - job_name: j", //        7
      "    static_configs:", //    8
      "      - targets:", //       9
      "          - a:1", //        10
      "        lables: {x: y}", // 11
    ]);
    expect(problems(text).sort()).toEqual(
      [
        "line 11: scrape_configs[0].static_configs[0].lables: unknown field (check the spelling; fields that are not supported are refused)",
        "line 2: sources[0].name: missing (expected a string)",
        "line 3: sources[0].pipline: unknown field (check the spelling; fields that are not supported are refused)",
        "line 5: sources[1].pipeline: expected a list, got nothing",
      ].sort(),
    );
  });

  it("names the sections when a top-level key is unknown", () => {
    expect(problems("scrape_config:\n  - job_name: x\n")).toEqual([
      "line 1: scrape_config: unknown section (the sections are global, scrape_configs, sources, rule_files, groups, alertmanager, dashboards)",
    ]);
    expect(problems("- a\n- b\n")).toEqual(["line 1: expected a mapping, got a list"]);
  });

  it("words pipeline step problems: unknown type, a grok pattern that does not compile, a bad date format", () => {
    const text = y([
      "sources:",
      "  - name: app",
      "    pipeline:",
      "      - type: jsn", //                                  4
      "      - type: grok", //                                 5
      "        patterns: ['%{IP:ip}', '%{NOPE:x}']", //        6
      "      - {field: x}", //                                 7
      "      - type: date", //                                 8
      "        formats: []", //                                9
    ]);
    expect(problems(text)).toEqual([
      'line 4: sources[0].pipeline[0].type: unknown type "jsn" (one of json, logfmt, grok, date, level, rename, remove, add, mask, hash, drop, sample)',
      "line 6: sources[0].pipeline[1].patterns[1]: pattern %{NOPE} not defined",
      "line 7: sources[0].pipeline[2].type: missing (one of json, logfmt, grok, date, level, rename, remove, add, mask, hash, drop, sample)",
      "line 9: sources[0].pipeline[3].formats: needs at least 1 item",
    ]);
  });

  it("keeps the scrape schema's own messages and checks durations against the global defaults", () => {
    const text = y([
      "global:",
      "  scrape_interval: 5s",
      "scrape_configs:",
      "  - job_name: a", //                  4
      "    scrape_timeout: 8s", //           5
      "  - job_name: b", //                  6
      "    scheme: ftp", //                  7
      "    static_configs:",
      "      - targets: ['http://x:1/metrics']", // 9
      "    scrape_interval: soon", //        10
    ]);
    expect(problems(text)).toEqual([
      'line 10: scrape_configs[1].scrape_interval: not a valid duration string: "soon" (use e.g. 15s, 1m30s)',
      'line 7: scrape_configs[1].scheme: expected one of "http", "https"',
      'line 9: scrape_configs[1].static_configs[0].targets[0]: "http://x:1/metrics" is not a valid hostname (write host:port; scheme and path are separate fields)',
    ]);
    // Once the schema passes: the timeout above the (global) interval.
    expect(problems(text.replace(/scheme: ftp/, "scheme: http").replace("http://x:1/metrics", "x:1").replace("soon", "10s"))).toEqual([
      "line 5: scrape_configs[0].scrape_timeout: scrape timeout greater than scrape interval",
    ]);
  });

  it("refuses duplicate names and the built-in job's name", () => {
    const text = y([
      "scrape_configs:",
      "  - job_name: a",
      "  - job_name: lookout", // 3
      "  - job_name: a", //       4
      "sources:",
      "  - name: web",
      "  - name: web", //         7
      "    hot_days: 40", //      8
    ]);
    expect(problems(text)).toEqual([
      // archive_days is not set (30): the line of the source.
      "line 7: sources[1].archive_days: 30 is less than hot_days (40); the archive period includes the hot days",
    ]);
    expect(problems(text.replace("hot_days: 40", "hot_days: 4"))).toEqual([
      `line 3: scrape_configs[1].job_name: "lookout" is the console's built-in job (it scrapes Lookout's own /metrics); pick another name`,
      'line 4: scrape_configs[2].job_name: duplicate job_name "a" (also scrape_configs[0])',
      'line 7: sources[1].name: duplicate source name "web" (also sources[0])',
    ]);
  });

  it("reports YAML syntax errors with their line and column", () => {
    expect(problems("sources:\n  - name: a\n  name: b\n")[0]).toMatch(/^line 3: YAML syntax: .+ \(column \d+\)$/);
    expect(problems("a: 1\na: 2\n")).toEqual(["line 2: YAML syntax: Map keys must be unique (column 1)"]);
  });

  it("reads inline rule groups: the evaluation interval as their default, recording rules and limits as notices with their lines", () => {
    const plan = parseProvisioningFile(
      y([
        "global:",
        "  evaluation_interval: 30s",
        "groups:",
        "  - name: a", //                          4
        "    rules:",
        "      - record: job:up:sum", //           6
        "        expr: sum by (job) (up)",
        "      - alert: Down",
        "        expr: up == 0",
        "        for: 2m",
        "        labels: {severity: page}",
        "  - name: b", //                          12
        "    interval: 10s",
        "    limit: 5", //                         14
        "    rules: []",
      ]),
      "/etc/lookout/f.yaml",
    );
    expect(plan.evaluationInterval).toBe("30s");
    expect(plan.ruleGroups).toEqual([
      {
        index: 0,
        line: 4,
        group: {
          name: "a",
          folderUid: null,
          interval: "30s",
          rules: [{ title: "Down", query: { kind: "promql", expr: "up == 0" }, for: "2m", labels: { severity: "page" }, annotations: {}, noDataState: "OK", execErrState: "KeepLast", paused: false }],
        },
      },
      { index: 1, line: 12, group: { name: "b", folderUid: null, interval: "10s", rules: [] } },
    ]);
    expect(plan.notices).toEqual([
      'line 6: groups[0].rules[0]: recording rule "job:up:sum" is not imported: Lookout evaluates alerting rules only',
      "line 14: groups[1].limit: not enforced: every alert of the group is kept",
    ]);
  });

  it("reports inline rule group errors with their lines (inside a multi-line expression too), with the file's other problems", () => {
    const text = y([
      "scrape_configs:", //                      1
      "  - job_name: a",
      "    scrape_interval: soon", //            3
      "groups:",
      "  - name: a",
      "    rules:",
      "      - alert: A",
      "        expr: up ==", //                  8
      "      - alert: B",
      "        expr: |",
      "          sum(rate(x[5m]))",
      "            > bad(", //                   12
      "      - expr: up", //                     13
      "      - alert: C",
      "        expr: rate(up[5m])[10m:]", //     15
      "  - name: a", //                          16
    ]);
    expect(problems(text)).toEqual([
      'line 3: scrape_configs[0].scrape_interval: not a valid duration string: "soon" (use e.g. 15s, 1m30s)',
      "line 8: groups[0].rules[0].expr: 1:6: parse error: unexpected end of input",
      'line 12: groups[0].rules[1].expr: 2:5: parse error: unknown function with name "bad"',
      "line 13: groups[0].rules[2]: one of alert or record must be set",
      "line 15: groups[0].rules[3].expr: the expression must be an instant vector or a scalar, not a range vector",
      'line 16: groups[1].name: group name "a" is repeated in the file (also groups[0])',
    ]);
    expect(problems(y(["groups:", "  - name: a", "    rules:", "      - alert: A", "        expr: up", "        severity: high"]))).toEqual([
      "line 6: groups[0].rules[0].severity: unknown field (check the spelling; fields that are not supported are refused)",
    ]);
    expect(problems(y(["groups:", "  - name: a", "    interval: 48h", "    rules: []"]))).toEqual(["line 3: groups[0].interval: a rule group is evaluated every 1s to 24h"]);
    expect(problems("global: {evaluation_interval: 2d}\n")).toEqual(["line 1: global.evaluation_interval: rule groups are evaluated every 1s to 24h"]);
    expect(problems("groups: {name: a}\n")).toEqual(["line 1: groups: expected a list, got a mapping"]);
  });

  it("reads rule_files: paths or globs resolved against the file's folder, with a folder or not", () => {
    const plan = parseProvisioningFile(y(["rule_files:", "  - rules/*.yml", "  - {path: /srv/team.yml, folder: Team}"]), "/etc/lookout/lookout.yaml");
    expect(plan.ruleFiles).toEqual([
      { path: "rules/*.yml", resolved: "/etc/lookout/rules/*.yml", folder: undefined, index: 0, line: 2 },
      { path: "/srv/team.yml", resolved: "/srv/team.yml", folder: "Team", index: 1, line: 3 },
    ]);
    expect(problems(y(["rule_files:", "  - ''", "  - {path: a.yml, folders: x}"]))).toEqual([
      "line 2: rule_files[0]: an empty path",
      "line 3: rule_files[1].folders: unknown field (check the spelling; fields that are not supported are refused)",
    ]);
    expect(problems("rule_files: x.yml\n")).toEqual(["line 1: rule_files: expected a list, got a string"]);
  });

  it("checks alertmanager: as Alertmanager loads it, each problem where it is", () => {
    const text = y([
      "alertmanager:", //                               1
      "  route:",
      "    receiver: web",
      "    group_by: [alertname, alertname]", //        4
      "    routes:",
      "      - matchers: ['severity=~\"(\"']", //        6
      "        receiver: pager", //                     7
      "        mute_time_intervals: [nights]", //       8
      "  receivers:",
      "    - name: web",
      "      webhook_configs:",
      "        - url: http://localhost:9099/alerts",
      "    - name: mail",
      "      email_configs:",
      "        - to: a@example.com", //                 15
      "  inhibit_rules:",
      "    - source_matchers: ['severity=critical']",
      "      equal: ['1x']", //                         18
      "  time_intervals:",
      "    - name: days",
      "      time_intervals:",
      "        - weekdays: [funday]", //                22
    ]);
    expect(problems(text)).toEqual([
      'line 22: alertmanager.time_intervals[0].time_intervals[0].weekdays[0]: "funday" is not a weekday (sunday … saturday)',
      'line 4: alertmanager.route.group_by[1]: label "alertname" is listed twice in group_by',
      expect.stringMatching(/^line 6: alertmanager\.route\.routes\[0\]\.matchers\[0\]: "severity=~\\"\(\\"": .*missing closing \)/),
      'line 7: alertmanager.route.routes[0].receiver: receiver "pager" is not defined',
      'line 8: alertmanager.route.routes[0].mute_time_intervals[0]: time interval "nights" is not defined',
      'line 18: alertmanager.inhibit_rules[0].equal[0]: invalid label name "1x" in equal',
      "line 15: alertmanager.receivers[1].email_configs[0]: needs smarthost (or global.smtp_smarthost)",
      "line 15: alertmanager.receivers[1].email_configs[0]: needs from (or global.smtp_from)",
    ]);
    // The schema first: a misspelt field, a missing root route.
    expect(problems(y(["alertmanager:", "  receivers: []", "  recievers: []"]))).toEqual([
      "line 1: alertmanager.route: missing (expected a mapping)",
      "line 3: alertmanager.recievers: unknown field (check the spelling; fields that are not supported are refused)",
    ]);
    // A password is never echoed.
    const secret = problems(y(["alertmanager:", "  route: {receiver: m}", "  receivers:", "    - name: m", "      email_configs:", "        - {to: a@b.c, from: l@b.c, smarthost: 'h:25', auth_password: 12345678}"])).join("\n");
    expect(secret).toBe("line 6: alertmanager.receivers[0].email_configs[0].auth_password: expected a string, got a whole number");
  });

  it("reads dashboards: paths resolved against the file's folder, with their lines", () => {
    const plan = parseProvisioningFile(y(["sources: []", "dashboards:", "  - dashboards/node.json", "  - /srv/dash", "  - path: team", "    folder: Team A"]), "/etc/lookout/lookout.yaml");
    expect(plan.dashboards).toEqual([
      { path: "dashboards/node.json", resolved: "/etc/lookout/dashboards/node.json", folder: undefined, index: 0, line: 3 },
      { path: "/srv/dash", resolved: "/srv/dash", folder: undefined, index: 1, line: 4 },
      { path: "team", resolved: "/etc/lookout/team", folder: "Team A", index: 2, line: 5 },
    ]);
    expect(parseProvisioningFile("dashboards:\n", "f").dashboards).toEqual([]);
    expect(problems(y(["dashboards:", "  - ''", "  - {path: x, folders: y}"]))).toEqual(["line 2: dashboards[0]: an empty path", "line 3: dashboards[1].folders: unknown field (check the spelling; fields that are not supported are refused)"]);
    expect(problems("dashboards: a.json\n")).toEqual(["line 1: dashboards: expected a list, got a string"]);
  });

  it("never echoes a value (it may be a secret)", () => {
    const msg = problems(y(["scrape_configs:", "  - job_name: a", "    basic_auth:", "      username: u", "      password: 12345678"])).join("\n");
    expect(msg).toBe("line 5: scrape_configs[0].basic_auth.password: expected a string, got a whole number");
    expect(msg).not.toContain("12345678");
  });

  it("resolves the global defaults: the timeout is capped at the interval", () => {
    expect(parseProvisioningFile("global: {scrape_interval: 5s}\n", "f").global).toEqual({ scrapeIntervalMs: 5_000, scrapeTimeoutMs: 5_000 });
    expect(problems("global: {scrape_interval: 5s, scrape_timeout: 6s}\n")).toEqual(["line 1: global.scrape_timeout: global scrape timeout greater than scrape interval"]);
  });
});

describe("formatPath", () => {
  it("writes indexes in brackets and quotes keys that are not identifiers", () => {
    expect(formatPath(["scrape_configs", 1, "static_configs", 0, "targets"])).toBe("scrape_configs[1].static_configs[0].targets");
    expect(formatPath(["a", "b.c", "d"])).toBe('a["b.c"].d');
    expect(formatPath([])).toBe("");
  });
});
