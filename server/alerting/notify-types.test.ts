import { describe, expect, it } from "vitest";
import { receiverIntegrations } from "./notify-types";

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
