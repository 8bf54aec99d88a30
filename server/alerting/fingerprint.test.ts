import { describe, expect, it } from "vitest";
import { compareCodePoints, fingerprint, goQuote, labelsKey } from "./fingerprint";

/** FNV-1a 64 with BigInt, straight from the definition, to check the limb arithmetic. */
function reference(labels: Record<string, string>): string {
  const enc = new TextEncoder();
  let h = 0xcbf29ce484222325n;
  const names = Object.keys(labels).sort(compareCodePoints);
  for (const n of names) {
    for (const b of [...enc.encode(n), 0xff, ...enc.encode(labels[n]), 0xff]) {
      h ^= BigInt(b);
      h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
    }
  }
  return h.toString(16).padStart(16, "0");
}

describe("fingerprint", () => {
  it("is Prometheus's FNV-1a 64 (values computed independently)", () => {
    expect(fingerprint({})).toBe("cbf29ce484222325");
    expect(fingerprint({ foo: "bar", qux: "quux" })).toBe("50ddaaa8273d034b");
    expect(fingerprint({ alertname: "HighLoad", instance: "a:9100" })).toBe("fe2564eb45fed68e");
    expect(fingerprint({ é: "🙂", a: "\u00a0" })).toBe("8bc762501eb8eae0");
  });

  it("does not depend on key order and changes with any name or value", () => {
    expect(fingerprint({ b: "2", a: "1" })).toBe(fingerprint({ a: "1", b: "2" }));
    expect(fingerprint({ a: "1", b: "2" })).not.toBe(fingerprint({ a: "1", b: "3" }));
    // The separator keeps `a=bc` and `ab=c` apart.
    expect(fingerprint({ a: "bc" })).not.toBe(fingerprint({ ab: "c" }));
  });

  it("agrees with a BigInt reference on varied label sets", () => {
    const sets: Record<string, string>[] = [
      { alertname: "x" },
      { job: "node", instance: "10.0.0.1:9100", severity: "critical", team: "db" },
      { emoji: "🙂🙃", accent: "àéîõü", cjk: "警告", lone: "\ud800x" },
      { a: "", b: "\n\t\"\\" },
    ];
    for (const s of sets) expect(fingerprint(s)).toBe(reference(s));
  });
});

describe("labelsKey", () => {
  it("prints Prometheus's label set text, sorted, values Go-quoted", () => {
    expect(labelsKey({})).toBe("{}");
    expect(labelsKey({ instance: "a:9100", alertname: "HighLoad" })).toBe('{alertname="HighLoad", instance="a:9100"}');
    expect(labelsKey({ msg: 'say "hi"\n' })).toBe('{msg="say \\"hi\\"\\n"}');
  });

  it("sorts the name=value texts as Go does (a1 before a)", () => {
    expect(labelsKey({ a: "x", a1: "y" })).toBe('{a1="y", a="x"}');
  });
});

describe("goQuote", () => {
  it("escapes like strconv.Quote", () => {
    expect(goQuote("plain")).toBe('"plain"');
    expect(goQuote('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(goQuote("\x07\b\f\n\r\t\v")).toBe('"\\a\\b\\f\\n\\r\\t\\v"');
    expect(goQuote("\x00\x7f")).toBe('"\\x00\\x7f"');
    expect(goQuote("héllo 🙂")).toBe('"héllo 🙂"');
    expect(goQuote("\u00a0\u2028")).toBe('"\\u00a0\\u2028"');
  });
});

describe("compareCodePoints", () => {
  it("orders by code point, not UTF-16 unit", () => {
    // U+FF61 is one UTF-16 unit above the surrogate of U+1F642, but a smaller code point.
    expect(compareCodePoints("\uff61", "🙂")).toBeLessThan(0);
    expect(["b", "a", "🙂", "\uff61"].sort(compareCodePoints)).toEqual(["a", "b", "\uff61", "🙂"]);
  });
});
