import { describe, expect, it } from "vitest";
import { hashmod, relabel, RelabelConfigSchema, type RelabelConfigInput } from "./relabel";

const parse = (configs: RelabelConfigInput[]) => configs.map((c) => RelabelConfigSchema.parse(c));
const run = (labels: Record<string, string>, configs: RelabelConfigInput[]) => relabel(labels, parse(configs));

type Case = { name: string; input: Record<string, string>; configs: RelabelConfigInput[]; output: Record<string, string> | null };

const CASES: Case[] = [
  // replace
  { name: "replace with defaults copies the source", input: { a: "foo" }, configs: [{ source_labels: ["a"], target_label: "d" }], output: { a: "foo", d: "foo" } },
  {
    name: "replace with capture groups and ${1}",
    input: { a: "foo", b: "bar" },
    configs: [{ source_labels: ["a"], regex: "f(.*)", target_label: "d", replacement: "ch${1}-ch${1}" }],
    output: { a: "foo", b: "bar", d: "choo-choo" },
  },
  {
    name: "replace joins sources with the separator",
    input: { a: "foo", b: "bar" },
    configs: [{ source_labels: ["a", "b"], regex: "f(.*);(.*)r", target_label: "d", replacement: "$1$2" }],
    output: { a: "foo", b: "bar", d: "ooba" },
  },
  {
    name: "replace with a custom separator",
    input: { a: "foo", b: "bar" },
    configs: [{ source_labels: ["a", "b"], separator: "/", target_label: "path" }],
    output: { a: "foo", b: "bar", path: "foo/bar" },
  },
  { name: "replace: no match, no change", input: { a: "foo" }, configs: [{ source_labels: ["a"], regex: "bar(.*)", target_label: "d" }], output: { a: "foo" } },
  { name: "replace: regex is anchored", input: { a: "foo" }, configs: [{ source_labels: ["a"], regex: "o", target_label: "d", replacement: "x" }], output: { a: "foo" } },
  {
    name: "replace: missing source is the empty string (and an empty result deletes the target)",
    input: { a: "foo", d: "old" },
    configs: [{ source_labels: ["missing"], target_label: "d" }],
    output: { a: "foo" },
  },
  {
    name: "replace: missing source matches an empty-tolerant regex",
    input: { a: "foo" },
    configs: [{ source_labels: ["missing"], regex: "", target_label: "env", replacement: "none" }],
    output: { a: "foo", env: "none" },
  },
  { name: "replace: static value without sources", input: { a: "foo" }, configs: [{ target_label: "env", replacement: "prod" }], output: { a: "foo", env: "prod" } },
  { name: "replace: empty replacement deletes", input: { a: "foo", b: "bar" }, configs: [{ source_labels: ["a"], target_label: "b", replacement: "" }], output: { a: "foo" } },
  {
    name: "replace: target_label templating with $1",
    input: { a: "env_prod" },
    configs: [{ source_labels: ["a"], regex: "([a-z]+)_(.+)", target_label: "label_$1", replacement: "$2" }],
    output: { a: "env_prod", label_env: "prod" },
  },
  {
    name: "replace: an expanded target that is not a label name is skipped",
    input: { a: "1abc" },
    configs: [{ source_labels: ["a"], target_label: "$1", replacement: "x" }],
    output: { a: "1abc" },
  },
  {
    name: "replace: named groups (?P<name>) and $name",
    input: { __address__: "example.com:9100" },
    configs: [
      { source_labels: ["__address__"], regex: "(?P<host>[^:]+):(?P<port>\\d+)", target_label: "host", replacement: "$host" },
      { source_labels: ["__address__"], regex: "(?P<host>[^:]+):(?P<port>\\d+)", target_label: "port", replacement: "${port}" },
    ],
    output: { __address__: "example.com:9100", host: "example.com", port: "9100" },
  },
  { name: "replace: $1x means group \"1x\" (empty → delete)", input: { a: "foo", d: "x" }, configs: [{ source_labels: ["a"], target_label: "d", replacement: "$1x" }], output: { a: "foo" } },
  { name: "action names are case-insensitive", input: { a: "foo" }, configs: [{ source_labels: ["a"], target_label: "d", action: "Replace" }], output: { a: "foo", d: "foo" } },
  // keep / drop
  { name: "keep: match keeps", input: { job: "node" }, configs: [{ source_labels: ["job"], regex: "node|api", action: "keep" }], output: { job: "node" } },
  { name: "keep: no match drops", input: { job: "nodes" }, configs: [{ source_labels: ["job"], regex: "node|api", action: "keep" }], output: null },
  { name: "keep: missing source drops for .+", input: { a: "x" }, configs: [{ source_labels: ["job"], regex: ".+", action: "keep" }], output: null },
  { name: "drop: match drops", input: { __name__: "go_gc_duration_seconds" }, configs: [{ source_labels: ["__name__"], regex: "go_.*", action: "drop" }], output: null },
  { name: "drop: no match keeps", input: { __name__: "up" }, configs: [{ source_labels: ["__name__"], regex: "go_.*", action: "drop" }], output: { __name__: "up" } },
  { name: "drop with the default regex drops everything", input: { a: "x" }, configs: [{ action: "drop" }], output: null },
  // keepequal / dropequal
  { name: "keepequal: equal keeps", input: { a: "1", b: "1" }, configs: [{ source_labels: ["a"], target_label: "b", action: "keepequal" }], output: { a: "1", b: "1" } },
  { name: "keepequal: different drops", input: { a: "1", b: "2" }, configs: [{ source_labels: ["a"], target_label: "b", action: "keepequal" }], output: null },
  { name: "keepequal: both missing are equal", input: { c: "1" }, configs: [{ source_labels: ["a"], target_label: "b", action: "keepequal" }], output: { c: "1" } },
  { name: "dropequal: equal drops", input: { a: "1", b: "1" }, configs: [{ source_labels: ["a"], target_label: "b", action: "dropequal" }], output: null },
  { name: "dropequal: different keeps", input: { a: "1", b: "2" }, configs: [{ source_labels: ["a"], target_label: "b", action: "dropequal" }], output: { a: "1", b: "2" } },
  // hashmod
  { name: "hashmod (Prometheus's own test vector)", input: { c: "baz" }, configs: [{ source_labels: ["c"], target_label: "d", modulus: 1000, action: "hashmod" }], output: { c: "baz", d: "976" } },
  {
    name: "hashmod then keep: sharding",
    input: { __address__: "foo" },
    configs: [
      { source_labels: ["__address__"], target_label: "__tmp_hash", modulus: 1000, action: "hashmod" },
      { source_labels: ["__tmp_hash"], regex: "696", action: "keep" },
    ],
    output: { __address__: "foo", __tmp_hash: "696" },
  },
  // labelmap
  {
    name: "labelmap copies matching labels under the new name",
    input: { __meta_kubernetes_pod_label_app: "web", __meta_kubernetes_pod_label_tier: "front", job: "k8s" },
    configs: [{ regex: "__meta_kubernetes_pod_label_(.+)", action: "labelmap" }],
    output: { __meta_kubernetes_pod_label_app: "web", __meta_kubernetes_pod_label_tier: "front", job: "k8s", app: "web", tier: "front" },
  },
  {
    name: "labelmap with a replacement template overwrites existing labels",
    input: { foo: "a", bar: "b", baz_foo: "old" },
    configs: [{ regex: "(foo)", replacement: "baz_$1", action: "labelmap" }],
    output: { foo: "a", bar: "b", baz_foo: "a" },
  },
  // labeldrop / labelkeep
  {
    name: "labeldrop drops __meta_* labels",
    input: { __meta_a: "1", __meta_b: "2", job: "x", instance: "y" },
    configs: [{ regex: "__meta_.*", action: "labeldrop" }],
    output: { job: "x", instance: "y" },
  },
  { name: "labeldrop is anchored", input: { job: "x", jobs: "y" }, configs: [{ regex: "job", action: "labeldrop" }], output: { jobs: "y" } },
  {
    name: "labelkeep keeps only matching names",
    input: { __name__: "up", job: "x", instance: "y", pod: "z" },
    configs: [{ regex: "__name__|job|instance", action: "labelkeep" }],
    output: { __name__: "up", job: "x", instance: "y" },
  },
  {
    name: "kubernetes-style pipeline: labelmap then labeldrop",
    input: { __address__: "10.0.0.1:80", __meta_kubernetes_namespace: "prod", __meta_kubernetes_pod_label_app: "web" },
    configs: [
      { regex: "__meta_kubernetes_pod_label_(.+)", action: "labelmap" },
      { source_labels: ["__meta_kubernetes_namespace"], target_label: "namespace" },
      { regex: "__meta_.+", action: "labeldrop" },
    ],
    output: { __address__: "10.0.0.1:80", app: "web", namespace: "prod" },
  },
  // lowercase / uppercase
  { name: "lowercase", input: { a: "FooBar", b: "BAZ" }, configs: [{ source_labels: ["a", "b"], target_label: "l", action: "lowercase" }], output: { a: "FooBar", b: "BAZ", l: "foobar;baz" } },
  { name: "uppercase", input: { a: "foo" }, configs: [{ source_labels: ["a"], target_label: "a", action: "uppercase" }], output: { a: "FOO" } },
  { name: "lowercase of a missing source deletes the target", input: { l: "x" }, configs: [{ source_labels: ["a"], target_label: "l", action: "lowercase" }], output: {} },
  // no configs
  { name: "no configs: unchanged", input: { a: "1" }, configs: [], output: { a: "1" } },
];

describe("relabel", () => {
  it.each(CASES)("$name", ({ input, configs, output }) => {
    expect(run(input, configs)).toEqual(output);
  });

  it("does not mutate its input and handles a __proto__ label", () => {
    const input = { a: "foo" };
    const out = run(input, [{ source_labels: ["a"], target_label: "__proto__" }]);
    expect(input).toEqual({ a: "foo" });
    expect(out && Object.entries(out)).toEqual([["a", "foo"], ["__proto__", "foo"]]);
  });
});

describe("hashmod", () => {
  it("uses md5 bytes 8..15 as a big-endian uint64", () => {
    expect(hashmod("baz", 1000)).toBe("976"); // the first 8 bytes would give 48
    expect(hashmod("foo", 1000)).toBe("696");
    expect(hashmod("", 1)).toBe("0");
  });
});

describe("RelabelConfigSchema", () => {
  it("applies Prometheus's defaults", () => {
    const c = RelabelConfigSchema.parse({ target_label: "x" });
    expect(c).toMatchObject({ source_labels: [], separator: ";", replacement: "$1", modulus: 0, action: "replace", target_label: "x" });
    expect(c.regex.source).toBe("(.*)");
    expect(c.regex.re.test("anything")).toBe(true);
  });

  const invalid: [string, unknown, RegExp][] = [
    ["an invalid regex", { source_labels: ["a"], regex: "foo(", action: "keep" }, /^invalid regex "foo\(": /],
    ["an RE2-incompatible regex", { regex: "(?!x).*", action: "drop" }, /invalid regex .*lookaround assertions are not supported/],
    ["an unknown action", { action: "rename" }, /Invalid option|expected one of/],
    ["an unknown field", { target_label: "x", regexp: "a" }, /Unrecognized key/],
    ["an invalid source label", { source_labels: ["foo-bar"], action: "keep" }, /"foo-bar" is not a valid label name/],
    ["hashmod without modulus", { source_labels: ["a"], target_label: "b", action: "hashmod" }, /hashmod requires non-zero modulus/],
    ["replace without target_label", { source_labels: ["a"] }, /replace action requires 'target_label' value/],
    ["an invalid replace target", { source_labels: ["a"], target_label: "foo-bar" }, /"foo-bar" is invalid 'target_label' for replace action/],
    ["a templated lowercase target", { source_labels: ["a"], target_label: "$1", action: "lowercase" }, /"\$1" is invalid 'target_label' for lowercase action/],
    ["labelmap with an invalid replacement", { regex: "(.*)", replacement: "a-$1", action: "labelmap" }, /"a-\$1" is invalid 'replacement' for labelmap action/],
    ["labeldrop with a target", { regex: "a", target_label: "b", action: "labeldrop" }, /labeldrop action requires only 'regex', and no other fields/],
    ["keepequal with a regex", { source_labels: ["a"], target_label: "b", regex: "x", action: "keepequal" }, /keepequal action requires only 'source_labels' and 'target_label'/],
    ["a negative modulus", { source_labels: ["a"], target_label: "b", modulus: -1, action: "hashmod" }, /Too small|>=0/],
  ];

  it.each(invalid)("rejects %s with a clear message", (_name, input, message) => {
    const result = RelabelConfigSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message).join("\n")).toMatch(message);
  });

  it("reports the regex error at the regex field", () => {
    const result = RelabelConfigSchema.safeParse({ source_labels: ["a"], regex: "[a-", action: "keep" });
    expect(result.error?.issues).toEqual([expect.objectContaining({ path: ["regex"], message: 'invalid regex "[a-": missing closing ]' })]);
  });

  it("accepts templated replace targets and a hashmod config", () => {
    expect(RelabelConfigSchema.safeParse({ source_labels: ["a"], regex: "(.*)", target_label: "x_${1}_$2" }).success).toBe(true);
    expect(RelabelConfigSchema.safeParse({ source_labels: ["a"], target_label: "shard", modulus: 4, action: "HashMod" }).success).toBe(true);
  });
});
