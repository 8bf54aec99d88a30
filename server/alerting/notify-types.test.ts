import { describe, expect, it } from "vitest";
import { fingerprint } from "./fingerprint";
import { buildNotificationData, GO_ZERO_TIME, receiverIntegrations } from "./notify-types";

describe("receiverIntegrations", () => {
  it("lists a receiver's integrations by type then position, with Alertmanager's send_resolved defaults", () => {
    const list = receiverIntegrations({
      name: "ops",
      pagerduty_configs: [{ routing_key: "k" }],
      email_configs: [{ to: "a@b", send_resolved: true }],
      webhook_configs: [
        { url: "http://a", max_alerts: 0 },
        { url: "http://b", max_alerts: 0, send_resolved: false },
      ],
      slack_configs: [{ channel: "#x" }],
    });
    expect(list.map((i) => [i.type, i.index, i.sendResolved, i.receiverName])).toEqual([
      ["webhook", 0, true, "ops"],
      ["webhook", 1, false, "ops"],
      ["slack", 0, false, "ops"],
      ["email", 0, true, "ops"],
      ["pagerduty", 0, true, "ops"],
    ]);
    expect(list[1]!.config).toMatchObject({ url: "http://b" });
    expect(receiverIntegrations({ name: "none" })).toEqual([]);
  });
});

describe("buildNotificationData", () => {
  it("makes the webhook v4 payload: statuses from endsAt, common labels and annotations, group status", () => {
    const now = Date.parse("2026-03-01T12:00:00Z");
    const a = { labels: { alertname: "Disk", instance: "b", team: "db" }, annotations: { summary: "full", runbook: "r" }, startsAt: "2026-03-01T11:00:00.000Z" };
    const b = { labels: { alertname: "Disk", instance: "a", team: "db" }, annotations: { summary: "full" }, startsAt: "2026-03-01T10:00:00.000Z", endsAt: "2026-03-01T11:59:00.000Z", fingerprint: "feedfeedfeedfeed" };
    const data = buildNotificationData('{}:{alertname="Disk"}', "ops", { alertname: "Disk" }, [a, b], "http://lookout", now);
    expect(data).toMatchObject({
      version: "4",
      groupKey: '{}:{alertname="Disk"}',
      truncatedAlerts: 0,
      status: "firing",
      receiver: "ops",
      groupLabels: { alertname: "Disk" },
      commonLabels: { alertname: "Disk", team: "db" },
      commonAnnotations: { summary: "full" },
      externalURL: "http://lookout",
    });
    expect(data.alerts.map((x) => [x.labels.instance, x.status, x.endsAt, x.fingerprint])).toEqual([
      ["a", "resolved", "2026-03-01T11:59:00.000Z", "feedfeedfeedfeed"],
      ["b", "firing", GO_ZERO_TIME, fingerprint(a.labels)],
    ]);
    expect(buildNotificationData("k", "ops", {}, [b], "", now).status).toBe("resolved");
  });
});
