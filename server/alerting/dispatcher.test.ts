import { describe, expect, it } from "vitest";
import { computeGroups, notificationDedupKey, type DispatchAlert } from "./dispatcher";
import { buildRouteTree } from "./routing";

const alert = (labels: Record<string, string>, endsAt: number | null = null): DispatchAlert => ({ fingerprint: JSON.stringify(labels), labels, annotations: {}, startsAt: 0, endsAt, generatorURL: "" });

describe("computeGroups", () => {
  it("puts each alert in the group of every route it reaches, keyed as Alertmanager does", () => {
    const tree = buildRouteTree({
      receiver: "default",
      group_by: ["alertname"],
      routes: [
        { matchers: ['team="db"'], receiver: "db", group_by: ["cluster"], continue: true },
        { matchers: ['severity="critical"'], receiver: "pager", group_by: ["..."] },
      ],
    });
    const groups = computeGroups(tree, [
      alert({ alertname: "A", team: "db", cluster: "c1", severity: "critical" }),
      alert({ alertname: "B", team: "db", cluster: "c1" }),
      alert({ alertname: "C", team: "web" }),
    ]);
    expect([...groups.values()].map((g) => [g.key, g.route.options.receiver, g.labels, g.alerts.map((a) => a.labels.alertname)])).toEqual([
      ['{}/{team="db"}:{cluster="c1"}', "db", { cluster: "c1" }, ["A", "B"]],
      ['{}/{severity="critical"}:{alertname="A", cluster="c1", severity="critical", team="db"}', "pager", { alertname: "A", cluster: "c1", severity: "critical", team: "db" }, ["A"]],
      ['{}:{alertname="C"}', "default", { alertname: "C" }, ["C"]],
    ]);
  });
});

describe("notificationDedupKey", () => {
  const base = { groupKey: "{}:{a=\"b\"}", generation: 1_000, receiver: "ops", type: "webhook", index: 0, previousAt: null, alerts: [{ fingerprint: "f1", status: "firing" }, { fingerprint: "f2", status: "resolved" }] };

  it("is the same for the same decision, whatever the order of the alerts", () => {
    expect(notificationDedupKey(base)).toMatch(/^[0-9a-f]{64}$/);
    expect(notificationDedupKey({ ...base, alerts: [...base.alerts].reverse() })).toBe(notificationDedupKey(base));
  });

  it("differs for another integration, content, previous notification (a repeat) or group generation", () => {
    const key = notificationDedupKey(base);
    for (const other of [
      { ...base, index: 1 },
      { ...base, type: "slack" },
      { ...base, receiver: "other" },
      { ...base, alerts: [{ fingerprint: "f1", status: "resolved" }] },
      { ...base, previousAt: 5_000 },
      { ...base, generation: 2_000 },
    ]) {
      expect(notificationDedupKey(other)).not.toBe(key);
    }
  });
});
