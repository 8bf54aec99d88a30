import { describe, expect, it } from "vitest";
import type { Silence } from "./model";
import { mutingSilences, silenceMatchesLabels, silenceMutes, silenceState, validateSilence } from "./silences-match";

const silence = (overrides: Partial<Silence> = {}): Silence => ({
  id: "s1",
  matchers: [
    { name: "alertname", value: "HighLatency", isRegex: false, isEqual: true },
    { name: "cluster", value: "eu-.*", isRegex: true, isEqual: true },
  ],
  startsAt: "2026-01-05T10:00:00Z",
  endsAt: "2026-01-05T12:00:00Z",
  createdBy: "ops",
  comment: "",
  ...overrides,
});
const at = (iso: string) => Date.parse(iso);

describe("silenceState", () => {
  it("is pending before startsAt, active from it until endsAt, expired from endsAt", () => {
    const s = silence();
    expect(silenceState(s, at("2026-01-05T09:59:59.999Z"))).toBe("pending");
    expect(silenceState(s, at("2026-01-05T10:00:00Z"))).toBe("active");
    expect(silenceState(s, at("2026-01-05T11:59:59.999Z"))).toBe("active");
    expect(silenceState(s, at("2026-01-05T12:00:00Z"))).toBe("expired");
    expect(silenceState({ startsAt: "2026-01-05T11:00:00+01:00", endsAt: "2026-01-05T12:00:00+01:00" }, at("2026-01-05T10:30:00Z"))).toBe("active");
  });
});

describe("silenceMutes", () => {
  const labels = { alertname: "HighLatency", cluster: "eu-west", severity: "warning" };

  it("mutes a matching alert only while active", () => {
    expect(silenceMutes(silence(), labels, at("2026-01-05T11:00:00Z"))).toBe(true);
    expect(silenceMutes(silence(), labels, at("2026-01-05T13:00:00Z"))).toBe(false);
    expect(silenceMutes(silence(), labels, at("2026-01-05T09:00:00Z"))).toBe(false);
  });

  it("needs every matcher to hold; regexes are anchored; a missing label is empty", () => {
    expect(silenceMatchesLabels(silence(), { ...labels, cluster: "us-east" })).toBe(false);
    expect(silenceMatchesLabels(silence(), { ...labels, cluster: "xeu-west" })).toBe(false);
    const noTeam = silence({ matchers: [{ name: "alertname", value: "HighLatency", isRegex: false, isEqual: true }, { name: "team", value: ".+", isRegex: true, isEqual: false }] });
    expect(silenceMatchesLabels(noTeam, labels)).toBe(true);
    expect(silenceMatchesLabels(noTeam, { ...labels, team: "db" })).toBe(false);
  });

  it("lists the silences muting an alert, skipping broken ones", () => {
    const broken = silence({ id: "s2", matchers: [{ name: "alertname", value: "(", isRegex: true, isEqual: true }] });
    const other = silence({ id: "s3", matchers: [{ name: "alertname", value: "Other", isRegex: false, isEqual: true }] });
    expect(mutingSilences([silence(), broken, other], labels, at("2026-01-05T11:00:00Z")).map((s) => s.id)).toEqual(["s1"]);
  });
});

describe("validateSilence", () => {
  it("accepts a valid silence", () => {
    expect(validateSilence(silence(), { now: at("2026-01-05T11:00:00Z") })).toEqual([]);
  });

  it("refuses a silence whose matchers all match the empty string", () => {
    const s = silence({ matchers: [{ name: "a", value: ".*", isRegex: true, isEqual: true }, { name: "b", value: "x", isRegex: false, isEqual: false }] });
    expect(validateSilence(s)).toEqual([{ path: "matchers", message: expect.stringContaining("must not match the empty string") }]);
  });

  it("reports bad names, bad regexes, no matchers and bad times", () => {
    expect(validateSilence(silence({ matchers: [] })).map((p) => p.path)).toEqual(["matchers"]);
    const s = silence({
      matchers: [
        { name: "bad name", value: "x", isRegex: false, isEqual: true },
        { name: "a", value: "(", isRegex: true, isEqual: true },
      ],
      startsAt: "2026-01-05T12:00:00Z",
      endsAt: "2026-01-05T12:00:00Z",
    });
    expect(validateSilence(s, { now: at("2026-01-06T00:00:00Z") })).toEqual([
      { path: "matchers[0].name", message: 'invalid label name "bad name"' },
      { path: "matchers[1].value", message: expect.stringContaining("missing closing )") },
      { path: "endsAt", message: "endsAt must be after startsAt" },
      { path: "endsAt", message: "endsAt must be in the future" },
    ]);
    expect(validateSilence(silence({ startsAt: "soon" })).map((p) => p.path)).toEqual(["startsAt"]);
  });
});
