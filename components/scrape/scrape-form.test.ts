import { describe, expect, it } from "vitest";
import { configFromForm, formErrorsFrom, scrapeFormFrom } from "./scrape-form";

describe("scrape form", () => {
  it("round-trips a config, keeping the fields it does not show", () => {
    const config = {
      job_name: "node",
      scrape_interval: "30s",
      scrape_timeout: "5s",
      metrics_path: "/m",
      scheme: "https",
      honor_labels: true,
      sample_limit: 1000,
      params: { module: ["x"] },
      basic_auth: { username: "u", password: "<secret>" },
      static_configs: [{ targets: ["a:1", "b:2"], labels: { env: "prod", team: "core" } }],
      relabel_configs: [{ source_labels: ["__address__"], target_label: "host" }],
    };
    const form = scrapeFormFrom(config);
    expect(form).toMatchObject({ jobName: "node", targets: "a:1\nb:2", labels: "env=prod\nteam=core", interval: "30s", honorLabels: true, sampleLimit: "1000", metricRelabelConfigs: "" });
    expect(configFromForm(form)).toEqual({ config, errors: null });
  });

  it("sends only what was filled in; the server applies the defaults", () => {
    const form = { ...scrapeFormFrom(null), jobName: " app ", targets: "\n app:8080 \n# comment\n" };
    expect(configFromForm(form)).toEqual({ config: { job_name: "app", static_configs: [{ targets: ["app:8080"] }] }, errors: null });
  });

  it("names label lines without '=', JSON that does not parse and a bad sample limit", () => {
    const form = { ...scrapeFormFrom(null), jobName: "a", labels: "env", relabelConfigs: "[{", metricRelabelConfigs: '{"action":"drop"}', sampleLimit: "-1" };
    const r = configFromForm(form);
    expect(r.config).toBeNull();
    expect(r.errors).toMatchObject({
      labels: '"env": write one key=value per line',
      relabelConfigs: expect.stringMatching(/^Not valid JSON/),
      metricRelabelConfigs: expect.stringContaining("must be a JSON array"),
      sampleLimit: expect.any(String),
    });
  });

  it("maps server issues to fields, naming the target line and the rule", () => {
    const { fields, other } = formErrorsFrom(
      [
        { path: ["config", "static_configs", "0", "targets", "1"], message: "is not a valid hostname" },
        { path: ["config", "relabel_configs", 2, "action"], message: "bad action" },
        { path: ["config", "scrape_timeout"], message: "scrape timeout greater than scrape interval" },
        { path: ["config", "params"], message: "bad params" },
      ],
      "a:1\nhttp://b/metrics",
    );
    expect(fields).toEqual({
      targets: "http://b/metrics: is not a valid hostname",
      relabelConfigs: "Rule 3 (action): bad action",
      timeout: "scrape timeout greater than scrape interval",
    });
    expect(other).toEqual(["params: bad params"]);
  });
});
