import { describe, expect, it } from "vitest";
import { fromLocalInput, newSilenceForm, recreateSilenceForm, silenceFormFrom, silenceRequestFromForm, toLocalInput, withDuration, withEnd, withStart } from "./silence-form";

const NOW = new Date(2030, 4, 6, 10, 15).getTime();
const HOUR = 3_600_000;

describe("silence form", () => {
  it("edits local times as datetime-local text", () => {
    expect(toLocalInput(new Date(2030, 0, 2, 3, 4, 59))).toBe("2030-01-02T03:04");
    expect(fromLocalInput("2030-01-02T03:04")?.getTime()).toBe(new Date(2030, 0, 2, 3, 4).getTime());
    expect(fromLocalInput("2030-02-30T03:04")).toBeNull();
    expect(fromLocalInput("tomorrow")).toBeNull();
  });

  it("starts from an alert's labels, now, for two hours, by the user", () => {
    const f = newSilenceForm({ now: NOW, createdBy: "me@x", labels: { alertname: "Down", job: "api" } });
    expect(f).toEqual({
      rows: [
        { name: "alertname", op: "=", value: "Down" },
        { name: "job", op: "=", value: "api" },
      ],
      startsAt: "2030-05-06T10:15",
      endsAt: "2030-05-06T12:15",
      duration: "2h",
      comment: "",
      createdBy: "me@x",
    });
    expect(newSilenceForm({ now: NOW, createdBy: "me" }).rows).toEqual([{ name: "", op: "=", value: "" }]);
  });

  it("keeps end and duration in step", () => {
    const f = newSilenceForm({ now: NOW, createdBy: "me" });
    expect(withDuration(f, "1d").endsAt).toBe("2030-05-07T10:15");
    expect(withDuration(f, "1 day")).toMatchObject({ duration: "1 day", endsAt: f.endsAt });
    expect(withEnd(f, "2030-05-06T11:45").duration).toBe("1h30m");
    expect(withStart(f, "2030-05-06T12:00").endsAt).toBe("2030-05-06T14:00");
  });

  it("builds the request: filled rows, ISO times, a past start moved to now", () => {
    const f = { ...newSilenceForm({ now: NOW - HOUR, createdBy: " me@x ", labels: { alertname: "Down" } }), comment: "deploy" };
    f.rows.push({ name: "", op: "=", value: "" });
    const r = silenceRequestFromForm(f, NOW);
    expect(r.errors).toBeUndefined();
    expect(r.request).toEqual({
      matchers: [{ name: "alertname", value: "Down", isRegex: false, isEqual: true }],
      startsAt: new Date(NOW).toISOString(),
      endsAt: new Date(NOW + HOUR).toISOString(),
      comment: "deploy",
      createdBy: "me@x",
    });
  });

  it("finds the problems", () => {
    const f = newSilenceForm({ now: NOW, createdBy: "" });
    expect(silenceRequestFromForm(f, NOW).errors).toEqual({ matchers: "a silence needs at least one matcher" });
    const bad = { ...f, rows: [{ name: "job", op: "=~" as const, value: "(" }], endsAt: "2030-05-06T09:00", duration: "soon" };
    const e = silenceRequestFromForm(bad, NOW).errors!;
    expect(e.rows![0]).toMatch(/regexp/);
    expect(e.endsAt).toBe("the end is in the past");
    expect(e.duration).toMatch(/invalid duration/);
    expect(silenceRequestFromForm({ ...f, rows: [{ name: "job", op: "=~", value: ".*" }] }, NOW).errors).toEqual({ matchers: expect.stringMatching(/every alert/) });
  });

  it("edits an existing silence", () => {
    const s = { id: "s1", matchers: [{ name: "a", value: "b", isRegex: true, isEqual: false }], startsAt: new Date(NOW).toISOString(), endsAt: new Date(NOW + 90 * 60_000).toISOString(), comment: "c", createdBy: "bob" };
    expect(silenceFormFrom(s, { keepId: true })).toEqual({ id: "s1", rows: [{ name: "a", op: "!~", value: "b" }], startsAt: "2030-05-06T10:15", endsAt: "2030-05-06T11:45", duration: "1h30m", comment: "c", createdBy: "bob" });
    expect(silenceFormFrom(s, { keepId: false }).id).toBeUndefined();
  });

  it("recreates an expired silence from now for its former duration", () => {
    const s = { id: "s1", matchers: [{ name: "a", value: "b", isRegex: false, isEqual: true }], startsAt: new Date(NOW - 10 * HOUR).toISOString(), endsAt: new Date(NOW - 7 * HOUR).toISOString(), comment: "again", createdBy: "bob" };
    expect(recreateSilenceForm(s, { now: NOW, createdBy: "me" })).toEqual({ rows: [{ name: "a", op: "=", value: "b" }], startsAt: "2030-05-06T10:15", endsAt: "2030-05-06T13:15", duration: "3h", comment: "again", createdBy: "me" });
  });
});
