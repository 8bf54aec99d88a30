import { describe, expect, it } from "vitest";
import {
  decodeExpositionBody,
  expositionFormatOf,
  ExpositionParseError,
  parseExposition,
  parseOpenMetrics,
  parsePrometheusText,
} from "./index";
import { parseSecondsToMs, readQuoted } from "./lex";
import { thrownBy } from "@/test/thrown";

const errorOf = (fn: () => unknown) => thrownBy(fn, ExpositionParseError);

describe("parseExposition", () => {
  it("picks OpenMetrics only for application/openmetrics-text", () => {
    expect(expositionFormatOf("application/openmetrics-text; version=1.0.0; charset=utf-8")).toBe("openmetrics-1.0");
    expect(expositionFormatOf("Application/OpenMetrics-Text")).toBe("openmetrics-1.0");
    expect(expositionFormatOf("text/plain; version=0.0.4")).toBe("prometheus-text-0.0.4");
    expect(expositionFormatOf(undefined)).toBe("prometheus-text-0.0.4");
    expect(parseExposition("a 1\n# EOF\n", "application/openmetrics-text").format).toBe("openmetrics-1.0");
    // Without the content type the 0.0.4 parser reads it: "# EOF" is a plain comment there.
    expect(parseExposition("a 1\n# EOF\n").format).toBe("prometheus-text-0.0.4");
  });

  it("reports the line and format in the error", () => {
    const err = errorOf(() => parseExposition("a 1\n", "application/openmetrics-text; version=1.0.0"));
    expect(err.format).toBe("openmetrics-1.0");
    const e2 = errorOf(() => parseExposition("ok 1\nok 2\nbad{ 3\n"));
    expect(e2.line).toBe(3);
    expect(e2.message).toMatch(/^text format parse error in line 3: /);
  });
});

describe("Prometheus text 0.0.4", () => {
  it("parses values, integer-millisecond timestamps and escapes", () => {
    const { families } = parsePrometheusText(
      [
        "# HELP rq Requests.\\nSecond line \\\\ \\x",
        "# TYPE rq counter",
        'rq{path="/a\\"b\\\\c\\nd",code="200"} 1.5e3 1700000000123',
        "rq{code=\"500\"} +Inf",
        "g -Inf",
        "g NaN -5",
        "",
      ].join("\n"),
    );
    expect(families.map((f) => [f.name, f.type])).toEqual([
      ["rq", "counter"],
      ["g", "unknown"],
    ]);
    expect(families[0].help).toBe("Requests.\nSecond line \\ \\x");
    expect(families[0].samples[0]).toEqual({
      name: "rq",
      labels: { path: '/a"b\\c\nd', code: "200" },
      value: 1500,
      timestampMs: 1700000000123,
    });
    expect(families[0].samples[1].value).toBe(Infinity);
    expect(families[1].samples[0].value).toBe(-Infinity);
    expect(families[1].samples[1].value).toBeNaN();
    expect(families[1].samples[1].timestampMs).toBe(-5);
  });

  it("groups summary and histogram series into their family and keeps suffixes", () => {
    const { families } = parsePrometheusText(
      [
        "# TYPE lat histogram",
        'lat_bucket{le="0.1"} 1',
        'lat_bucket{le="+Inf"} 2',
        "lat_sum 0.3",
        "lat_count 2",
        "lat_created 1", // not a histogram suffix in 0.0.4: its own untyped family
        "",
      ].join("\n"),
    );
    expect(families.map((f) => f.name)).toEqual(["lat", "lat_created"]);
    expect(families[0].samples.map((s) => s.name)).toEqual(["lat_bucket", "lat_bucket", "lat_sum", "lat_count"]);
  });

  it("merges a family continued after another one, as expfmt does", () => {
    const { families } = parsePrometheusText("a 1\nb 2\na 3\n");
    expect(families.map((f) => [f.name, f.samples.length])).toEqual([
      ["a", 2],
      ["b", 1],
    ]);
  });

  it("rejects duplicate metadata, TYPE after samples and a missing final new-line", () => {
    expect(errorOf(() => parsePrometheusText("# TYPE a gauge\n# TYPE a gauge\n")).line).toBe(2);
    expect(errorOf(() => parsePrometheusText("a 1\n# TYPE a gauge\n")).line).toBe(2);
    expect(errorOf(() => parsePrometheusText("# HELP a x\n# HELP a y\n")).line).toBe(2);
    expect(errorOf(() => parsePrometheusText("a 1\nb 2")).message).toMatch(/line 2: unexpected end of input stream/);
  });

  it("rejects invalid names, escapes, values and timestamps", () => {
    for (const bad of [
      'a{b="\\t"} 1\n',
      "a{b=c} 1\n",
      "a{1b=\"c\"} 1\n",
      'a{__name__="x"} 1\n',
      'a{b="1",b="2"} 1\n',
      "a 0x10\n",
      "a 1_000\n",
      "a 1e999\n",
      "a 1 1.5\n",
      "a 1 2 3\n",
      "{} 1\n",
      '{"x","y"} 1\n',
    ]) {
      expect(() => parsePrometheusText(bad), bad).toThrow(ExpositionParseError);
    }
  });

  it("accepts quoted (UTF-8) metric and label names", () => {
    const { families } = parsePrometheusText('{"http.requests", "küche.temp"="warm", le="1"} 2\n');
    expect(families[0].name).toBe("http.requests");
    expect(families[0].samples[0].labels).toEqual({ "küche.temp": "warm", le: "1" });
  });

  it("keeps a __proto__ label as data", () => {
    const { families } = parsePrometheusText('a{__proto__="x"} 1\n');
    const labels = families[0].samples[0].labels;
    expect(Object.keys(labels)).toEqual(["__proto__"]);
    expect(labels.__proto__).toBe("x");
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe("OpenMetrics 1.0", () => {
  it("keeps _created as a sample of its family, with its suffix", () => {
    const { families } = parseOpenMetrics("# TYPE req counter\nreq_total 3\nreq_created 1700000000.5\n# EOF\n");
    expect(families).toHaveLength(1);
    expect(families[0].samples.map((s) => [s.name, s.value])).toEqual([
      ["req_total", 3],
      ["req_created", 1700000000.5],
    ]);
  });

  it("converts float-second timestamps to exact milliseconds", () => {
    const { families } = parseOpenMetrics("# TYPE a gauge\na 1 1700000000.123\n# EOF");
    expect(families[0].samples[0].timestampMs).toBe(1700000000123);
    expect(parseSecondsToMs("1.1")).toBe(1100);
    expect(parseSecondsToMs("1.5e3")).toBe(1500000);
    expect(parseSecondsToMs("-0.5")).toBe(-500);
    expect(parseSecondsToMs("0.0000000001")).toBe(0); // nanosecond truncation
    expect(parseSecondsToMs("NaN")).toBeUndefined();
  });

  it("parses exemplars with and without timestamp", () => {
    const { families } = parseOpenMetrics(
      [
        "# TYPE h histogram",
        'h_bucket{le="1"} 0 # {trace_id="abc"} 0.5 1700000000.25',
        'h_bucket{le="+Inf"} 2 # {trace_id="def"} 7',
        "h_count 2",
        "h_sum 7.5",
        "# EOF",
      ].join("\n"),
    );
    const [b1, b2] = families[0].samples;
    expect(b1.exemplar).toEqual({ labels: { trace_id: "abc" }, value: 0.5, timestampMs: 1700000000250 });
    expect(b2.exemplar).toEqual({ labels: { trace_id: "def" }, value: 7 });
  });

  it("handles ' # ' and '}' inside label values", () => {
    const { families } = parseOpenMetrics('# TYPE a counter\na_total{x="} # {y=\\"z\\"} 1"} 1 # {t="1"} 1\n# EOF\n');
    expect(families[0].samples[0].labels).toEqual({ x: '} # {y="z"} 1' });
    expect(families[0].samples[0].exemplar?.labels).toEqual({ t: "1" });
  });

  it("rejects interleaved families, text after # EOF and a missing # EOF", () => {
    expect(errorOf(() => parseOpenMetrics("a 1\nb 1\na 2\n# EOF\n")).message).toMatch(/used by two metric families/);
    expect(errorOf(() => parseOpenMetrics("a 1\n# EOF\n\n")).line).toBe(3);
    expect(errorOf(() => parseOpenMetrics("a 1\n")).message).toMatch(/missing # EOF/);
  });

  it("rejects 0.0.4 leniencies", () => {
    for (const bad of [
      "# a comment\n# EOF\n",
      "a  1\n# EOF\n",
      " a 1\n# EOF\n",
      'a{b="1",} 1\n# EOF\n',
      "a 1 123 \n# EOF\n",
      "# TYPE a untyped\n# EOF\n",
    ]) {
      expect(() => parseOpenMetrics(bad), bad).toThrow(ExpositionParseError);
    }
  });

  it("drops a repeated series at the same timestamp (the first wins)", () => {
    const { families } = parseOpenMetrics('# TYPE a gauge\na{x="1"} 1 5\na{x="1"} 2 5\na{x="1"} 3 6\n# EOF\n');
    expect(families[0].samples.map((s) => s.value)).toEqual([1, 3]);
  });
});

describe("decodeExpositionBody", () => {
  it("decodes UTF-8 and names the line of an invalid byte", () => {
    expect(decodeExpositionBody(new TextEncoder().encode("a{x=\"ü\"} 1\n"))).toBe('a{x="ü"} 1\n');
    const bytes = new Uint8Array([...new TextEncoder().encode("a 1\nb{x=\""), 0xbd, ...new TextEncoder().encode('"} 1\n')]);
    expect(errorOf(() => decodeExpositionBody(bytes)).line).toBe(2);
  });
});

// No timings asserted (benchmarks are not tests): a parser that backtracks or goes quadratic here
// runs into the test timeout instead.
describe("large and pathological input", () => {
  it("reads a quoted string without backtracking on pathological input", () => {
    const s = `"${"\\\\".repeat(50_000)}`; // many escapes, never closed
    expect(() => readQuoted(s, 0, true, "label value")).toThrow(/unescaped new-line/);
  });

  it("parses 100k samples in both formats", () => {
    const lines: string[] = ["# TYPE http_requests counter"];
    for (let i = 0; i < 100_000; i++) {
      lines.push(`http_requests_total{method="GET",path="/api/v1/items/${i}",code="200"} ${i} 1700000000000`);
    }
    const text = lines.join("\n") + "\n";
    const prom = parsePrometheusText(text);
    expect(prom.families[0].samples).toHaveLength(100_000);

    const om = lines.join("\n").replaceAll(" 1700000000000", " 1700000000") + "\n# EOF\n";
    const parsed = parseOpenMetrics(om);
    expect(parsed.families[0].samples).toHaveLength(100_000);
  }, 60_000);
});
