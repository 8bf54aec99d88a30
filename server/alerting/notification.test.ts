import { fingerprint } from "./fingerprint";
import { describe, expect, it } from "vitest";
import {
  buildNotification,
  commonPairs,
  compareAlerts,
  goTimeString,
  NotificationDataSchema,
  truncateAlerts,
  withAlerts,
  ZERO_TIME,
  type NotifiableAlert,
} from "./notification";

const NOW = Date.parse("2024-05-01T13:00:00Z");

const alerts: NotifiableAlert[] = [
  {
    labels: { alertname: "HighErrorRate", job: "api", instance: "b:1", severity: "critical" },
    annotations: { summary: "b is failing", runbook_url: "https://rb/x" },
    startsAt: "2024-05-01T11:00:00Z",
    endsAt: "2024-05-01T12:30:00Z",
  },
  {
    labels: { alertname: "HighErrorRate", job: "api", instance: "a:1", severity: "critical" },
    annotations: { summary: "a is failing", runbook_url: "https://rb/x" },
    startsAt: "2024-05-01T12:00:00.250Z",
    endsAt: "2024-05-01T14:00:00Z", // in the future: still firing
    generatorURL: "https://lookout.example/g",
    fingerprint: "feedfacefeedface",
  },
];

describe("buildNotification", () => {
  const n = buildNotification('{}:{alertname="HighErrorRate"}', "team-api", { alertname: "HighErrorRate" }, alerts, "https://lookout.example", NOW);

  it("is Alertmanager's webhook payload, version 4", () => {
    expect(NotificationDataSchema.parse(n)).toEqual(n);
    expect(n).toMatchObject({
      version: "4",
      groupKey: '{}:{alertname="HighErrorRate"}',
      truncatedAlerts: 0,
      status: "firing",
      receiver: "team-api",
      groupLabels: { alertname: "HighErrorRate" },
      externalURL: "https://lookout.example",
    });
  });

  it("computes each alert's status from endsAt, hides a firing alert's end, formats times as Go", () => {
    expect(n.alerts.map((a) => [a.labels.instance, a.status, a.startsAt, a.endsAt])).toEqual([
      ["a:1", "firing", "2024-05-01T12:00:00.25Z", "0001-01-01T00:00:00Z"],
      ["b:1", "resolved", "2024-05-01T11:00:00Z", "2024-05-01T12:30:00Z"],
    ]);
    expect(n.alerts[0]!.generatorURL).toBe("https://lookout.example/g");
    expect(n.alerts[1]!.generatorURL).toBe("");
  });

  it("keeps a given fingerprint and computes missing ones", () => {
    expect(n.alerts[0]!.fingerprint).toBe("feedfacefeedface");
    expect(n.alerts[1]!.fingerprint).toBe(fingerprint(alerts[0]!.labels));
  });

  it("has common labels and annotations over all alerts", () => {
    expect(n.commonLabels).toEqual({ alertname: "HighErrorRate", job: "api", severity: "critical" });
    expect(n.commonAnnotations).toEqual({ runbook_url: "https://rb/x" });
  });

  it("is resolved once every alert is", () => {
    const r = buildNotification("k", "r", {}, [alerts[0]!], "", NOW);
    expect(r.status).toBe("resolved");
    expect(r.commonAnnotations).toEqual(alerts[0]!.annotations);
  });

  it("starts an alert without startsAt now", () => {
    const r = buildNotification("k", "r", {}, [{ labels: { a: "1" }, annotations: {} }], "", NOW);
    expect(r.alerts[0]!.startsAt).toBe("2024-05-01T13:00:00Z");
    expect(r.alerts[0]!.status).toBe("firing");
  });

  it("handles an empty group", () => {
    const r = buildNotification("k", "r", {}, [], "", NOW);
    expect(r).toMatchObject({ status: "resolved", alerts: [], commonLabels: {}, commonAnnotations: {} });
  });
});

describe("ordering", () => {
  it("sorts by job, then instance (present first), then label set (fewer labels first)", () => {
    const ls: { labels: Record<string, string> }[] = [
      { labels: { b: "1" } },
      { labels: { job: "b" } },
      { labels: { job: "a", instance: "2" } },
      { labels: { job: "a", instance: "1" } },
      { labels: { job: "a" } },
      { labels: { a: "1" } },
      { labels: { a: "1", z: "0" } },
    ];
    expect([...ls].sort(compareAlerts).map((x) => JSON.stringify(x.labels))).toEqual([
      '{"job":"a","instance":"1"}',
      '{"job":"a","instance":"2"}',
      '{"job":"a"}',
      '{"job":"b"}',
      // Alertmanager's LabelSet.Before: walking the merged sorted names, the set missing a name comes first.
      '{"b":"1"}',
      '{"a":"1"}',
      '{"a":"1","z":"0"}',
    ]);
  });
});

describe("helpers", () => {
  it("fingerprints label sets as Prometheus does", () => {
    expect(fingerprint({})).toBe("cbf29ce484222325");
    // The reference value from Prometheus's own model tests.
    expect(fingerprint({ name: "garland, briggs", fear: "love is not enough" })).toBe("507a62d79ee76c9a");
    expect(fingerprint({ a: "b", c: "d" })).toBe(fingerprint({ c: "d", a: "b" }));
    expect(fingerprint({ a: "bc" })).not.toBe(fingerprint({ ab: "c" }));
  });

  it("commonPairs keeps what every map shares", () => {
    expect(commonPairs([{ a: "1", b: "2" }, { a: "1", b: "3" }, { a: "1" }])).toEqual({ a: "1" });
    expect(commonPairs([])).toEqual({});
  });

  it("goTimeString drops a zero fraction and keeps milliseconds", () => {
    expect(goTimeString(Date.parse("2024-01-01T00:00:00.000Z"))).toBe("2024-01-01T00:00:00Z");
    expect(goTimeString(Date.parse("2024-01-01T00:00:00.120Z"))).toBe("2024-01-01T00:00:00.12Z");
    expect(ZERO_TIME).toBe("0001-01-01T00:00:00Z");
  });

  it("truncateAlerts counts what it leaves out", () => {
    const n = buildNotification("k", "r", {}, alerts, "", NOW);
    expect(truncateAlerts(n, 0)).toBe(n);
    expect(truncateAlerts(n, 5)).toBe(n);
    const t = truncateAlerts(n, 1);
    expect(t.alerts).toHaveLength(1);
    expect(t.truncatedAlerts).toBe(1);
    expect(t.commonLabels).toEqual(n.commonLabels);
  });

  it("withAlerts recomputes status and common pairs", () => {
    const n = buildNotification("k", "r", {}, alerts, "", NOW);
    const firingOnly = withAlerts(n, n.alerts.filter((a) => a.status === "firing"));
    expect(firingOnly.status).toBe("firing");
    expect(firingOnly.commonLabels.instance).toBe("a:1");
    expect(firingOnly.commonAnnotations.summary).toBe("a is failing");
  });
});
