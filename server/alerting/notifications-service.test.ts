import { describe, expect, it } from "vitest";
import type { AlertmanagerConfig } from "./model";
import { configProblems, defaultConfigValidator, labelsFingerprint, labelsMatch, redact, SECRET_MASK, silenceMatcherMatches, silenceState } from "./notifications-service";

describe("labelsFingerprint", () => {
  it("is 16 hex digits, independent of label order, and distinguishes names from values", () => {
    const fp = labelsFingerprint({ alertname: "Disk", instance: "a" });
    expect(fp).toMatch(/^[0-9a-f]{16}$/);
    expect(labelsFingerprint({ instance: "a", alertname: "Disk" })).toBe(fp);
    expect(labelsFingerprint({ alertname: "Disk", instance: "b" })).not.toBe(fp);
    // Pair boundaries matter: {a: "bc"} is not {ab: "c"}.
    expect(labelsFingerprint({ a: "bc" })).not.toBe(labelsFingerprint({ ab: "c" }));
    // Prometheus's: FNV-1a 64 (the empty set is the offset basis).
    expect(labelsFingerprint({})).toBe("cbf29ce484222325");
  });
});

describe("silence matchers", () => {
  const labels = { alertname: "HighLatency", severity: "critical", team: "web" };
  const m = (name: string, value: string, isRegex = false, isEqual = true) => ({ name, value, isRegex, isEqual });

  it("match equality, inequality, anchored regexes and negated regexes; a missing label is empty", () => {
    expect(silenceMatcherMatches(m("severity", "critical"), labels)).toBe(true);
    expect(silenceMatcherMatches(m("severity", "crit"), labels)).toBe(false);
    expect(silenceMatcherMatches(m("severity", "warning", false, false), labels)).toBe(true);
    expect(silenceMatcherMatches(m("team", "web|api", true), labels)).toBe(true);
    expect(silenceMatcherMatches(m("team", "we", true), labels)).toBe(false);
    expect(silenceMatcherMatches(m("team", "a.*", true, false), labels)).toBe(true);
    expect(silenceMatcherMatches(m("cluster", ""), labels)).toBe(true);
    expect(silenceMatcherMatches(m("cluster", ".+", true), labels)).toBe(false);
    expect(silenceMatcherMatches(m("team", "(", true), labels)).toBe(false);
    expect(labelsMatch([m("alertname", "High.*", true), m("severity", "critical")], labels)).toBe(true);
    expect(labelsMatch([m("alertname", "High.*", true), m("severity", "warning")], labels)).toBe(false);
  });

  it("silenceState: pending before the start, active until the end, expired from the end", () => {
    const s = { startsAt: new Date(1000), endsAt: new Date(2000) };
    expect(silenceState(s, 999)).toBe("pending");
    expect(silenceState(s, 1000)).toBe("active");
    expect(silenceState(s, 1999)).toBe("active");
    expect(silenceState(s, 2000)).toBe("expired");
  });
});

const config = (): AlertmanagerConfig => ({
  global: { smtp_auth_password: "pw", slack_api_url: "https://hooks.slack.example/services/T/B/tok" },
  route: { receiver: "ops", routes: [{ receiver: "chat", matchers: ['team="web"'], mute_time_intervals: ["nights"] }] },
  receivers: [
    { name: "ops", webhook_configs: [{ url: "https://hooks.example/x?token=1", max_alerts: 0, http_headers: { authorization: "Bearer t" } }, { url: "https://plain.example/", max_alerts: 0 }], email_configs: [{ to: "a@b", auth_password: "pw", smarthost: "h:25", from: "f@b" }] },
    { name: "chat", slack_configs: [{ channel: "#a" }] },
    { name: "pd", pagerduty_configs: [{ routing_key: "key" }] },
  ],
  inhibit_rules: [],
  time_intervals: [{ name: "nights", time_intervals: [] }],
});

describe("redact", () => {
  it("masks passwords, routing keys and header values, and cuts secret URLs to their origin", () => {
    const r = redact(config());
    expect(r.global).toEqual({ smtp_auth_password: SECRET_MASK, slack_api_url: `https://hooks.slack.example/${SECRET_MASK}` });
    expect(r.receivers[0]!.webhook_configs).toEqual([
      { url: `https://hooks.example/${SECRET_MASK}`, max_alerts: 0, http_headers: { authorization: SECRET_MASK } },
      { url: "https://plain.example", max_alerts: 0 },
    ]);
    expect(r.receivers[0]!.email_configs![0]).toEqual({ to: "a@b", auth_password: SECRET_MASK, smarthost: "h:25", from: "f@b" });
    expect(r.receivers[1]!.slack_configs).toEqual([{ channel: "#a" }]);
    expect(r.receivers[2]!.pagerduty_configs![0]!.routing_key).toBe(SECRET_MASK);
    // The input is not changed.
    expect(config().receivers[2]!.pagerduty_configs![0]!.routing_key).toBe("key");
  });
});

describe("configProblems", () => {
  it("accepts a consistent configuration", () => {
    expect(configProblems(config())).toEqual([]);
  });

  it("names integrations missing their Slack URL or SMTP settings (here and in global)", () => {
    const c = config();
    c.receivers.push({ name: "mail", email_configs: [{ to: "x@y" }] });
    c.global = {};
    expect(configProblems(c)).toEqual([
      'receiver "chat": slack_configs[0] needs api_url (or global.slack_api_url)',
      'receiver "mail": email_configs[0] needs smarthost (or global.smtp_smarthost)',
      'receiver "mail": email_configs[0] needs from (or global.smtp_from)',
    ]);
  });
});

describe("defaultConfigValidator", () => {
  it("reports what Alertmanager refuses to load, with paths: receivers and intervals, root route, matchers, durations, group_by, inhibition", () => {
    const c = config();
    c.route.routes!.push({ receiver: "ghost", group_interval: "0s", mute_time_intervals: ["weekends"], group_by: ["a", "a"], matchers: ['severity=~"("'] });
    c.route.match = { a: "b" };
    c.receivers.push({ name: "pd" });
    c.inhibit_rules = [{ source_matchers: ['x=~"("'] }];
    const problems = defaultConfigValidator(c);
    for (const expected of [
      'receivers[3].name: receiver "pd" is defined twice',
      "route: the root route must not have matchers (it receives every alert)",
      'route.routes[1].receiver: receiver "ghost" is not defined',
      'route.routes[1].mute_time_intervals[0]: time interval "weekends" is not defined',
      "route.routes[1].group_interval: group_interval cannot be zero",
    ]) {
      expect(problems).toContain(expected);
    }
    expect(problems.some((p) => p.startsWith("route.routes[1].group_by[1]:"))).toBe(true);
    expect(problems.some((p) => p.startsWith("route.routes[1].matchers[0]:"))).toBe(true);
    expect(problems.some((p) => p.startsWith("inhibit_rules[0].source_matchers[0]:"))).toBe(true);
    expect(defaultConfigValidator(config())).toEqual([]);
  });
});
