import { describe, expect, it } from "vitest";
import { inhibitRuleForm, inhibitRuleFromForm, muteTimingForm, muteTimingFromForm, specSummary, type MuteTimingForm } from "./timing-forms";

describe("mute timing form", () => {
  it("round-trips a time interval", () => {
    const t = {
      name: "out-of-hours",
      time_intervals: [
        { times: [{ start_time: "00:00", end_time: "09:00" }], weekdays: ["monday:friday"], location: "Europe/Paris" },
        { weekdays: ["saturday", "sunday"] },
        { days_of_month: ["1:7", "-1"], months: ["january"], years: ["2030"] },
      ],
    };
    const f = muteTimingForm(t);
    expect(f.specs[0]).toEqual({ times: [{ start: "00:00", end: "09:00" }], weekdays: "monday:friday", daysOfMonth: "", months: "", years: "", location: "Europe/Paris" });
    expect(muteTimingFromForm(f)).toEqual({ timing: t });
    expect(muteTimingForm(null)).toEqual({ name: "", specs: [{ times: [], weekdays: "", daysOfMonth: "", months: "", years: "", location: "" }] });
  });

  it("reports each bad field of each spec", () => {
    const f: MuteTimingForm = {
      name: "",
      specs: [
        { times: [{ start: "9:00", end: "17:00" }], weekdays: "funday", daysOfMonth: "", months: "", years: "", location: "" },
        { times: [], weekdays: "", daysOfMonth: "40", months: "smarch", years: "", location: "Mars/Olympus" },
      ],
    };
    const e = muteTimingFromForm(f).errors!;
    expect(e.name).toMatch(/name/);
    expect(e.specs![0]).toEqual({ times: expect.any(String), weekdays: expect.stringMatching(/funday/) });
    expect(e.specs![1]).toEqual({ daysOfMonth: expect.any(String), months: expect.stringMatching(/smarch/), location: expect.any(String) });
  });

  it("summarises a spec", () => {
    expect(specSummary({ weekdays: ["monday:friday"], times: [{ start_time: "09:00", end_time: "17:00" }], location: "UTC" })).toBe("monday:friday · 09:00–17:00 (UTC)");
    expect(specSummary({})).toBe("always");
  });
});

describe("inhibition rule form", () => {
  it("converts, folding the older maps into matcher strings", () => {
    const f = inhibitRuleForm({ source_match: { severity: "critical" }, target_match_re: { severity: "warning|info" }, equal: ["alertname", "cluster"] });
    expect(f).toEqual({ source: ['severity="critical"'], target: ['severity=~"warning|info"'], equal: "alertname, cluster" });
    expect(inhibitRuleFromForm(f).rule).toEqual({ source_matchers: ['severity="critical"'], target_matchers: ['severity=~"warning|info"'], equal: ["alertname", "cluster"] });
    expect(inhibitRuleFromForm({ ...f, equal: " " }).rule).toEqual({ source_matchers: ['severity="critical"'], target_matchers: ['severity=~"warning|info"'] });
  });

  it("refuses bad matchers, empty sides and bad label names", () => {
    expect(inhibitRuleFromForm({ source: ["sev ~ x"], target: [""], equal: "a-b" }).errors).toEqual({
      source: [expect.any(String)],
      targetEmpty: expect.any(String),
      equal: '"a-b" is not a label name',
    });
  });
});
