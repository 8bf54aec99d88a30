import { describe, expect, it } from "vitest";
import { completionContext, type CompletionContext } from "./complete";

/** `|` marks the cursor. */
const at = (q: string): CompletionContext => completionContext(q.replace("|", ""), q.indexOf("|"));

describe("completionContext", () => {
  it.each<[string, CompletionContext]>([
    ["|", { kind: "field", prefix: "", from: 0, to: 0 }],
    ["ser|", { kind: "field", prefix: "ser", from: 0, to: 3 }],
    ["se|rvice", { kind: "field", prefix: "se", from: 0, to: 7 }],
    ["service:|", { kind: "value", field: "service", prefix: "", from: 8, to: 8 }],
    ["service:pay|", { kind: "value", field: "service", prefix: "pay", from: 8, to: 11 }],
    ["level:error AND service:pay|", { kind: "value", field: "service", prefix: "pay", from: 24, to: 27 }],
    ["-service:pay|", { kind: "value", field: "service", prefix: "pay", from: 9, to: 12 }],
    ["attributes.user.id:u|", { kind: "value", field: "user.id", prefix: "u", from: 19, to: 20 }],
    ["status>=5|", { kind: "value", field: "status", prefix: "5", from: 8, to: 9 }],
    ["status:>=5|", { kind: "value", field: "status", prefix: "5", from: 9, to: 10 }],
    ['service:"pay|', { kind: "value", field: "service", prefix: "pay", from: 8, to: 12 }],
    ["service:(payment OR ch|", { kind: "value", field: "service", prefix: "ch", from: 20, to: 22 }],
    ["service:(payment |", { kind: "operator", prefix: "", from: 17, to: 17 }],
    ["service:(payment OR |", { kind: "value", field: "service", prefix: "", from: 20, to: 20 }],
    ["service:(a) |", { kind: "operator", prefix: "", from: 12, to: 12 }],
    ["timeout |", { kind: "operator", prefix: "", from: 8, to: 8 }],
    ["timeout A|", { kind: "operator", prefix: "A", from: 8, to: 9 }],
    ["timeout ho|", { kind: "field", prefix: "ho", from: 8, to: 10 }],
    ["timeout AND |", { kind: "field", prefix: "", from: 12, to: 12 }],
    ["timeout AND NOT |", { kind: "field", prefix: "", from: 16, to: 16 }],
    ["(|", { kind: "field", prefix: "", from: 1, to: 1 }],
    ["(a OR b|", { kind: "field", prefix: "b", from: 6, to: 7 }],
    ["_exists_:tr|", { kind: "field", prefix: "tr", from: 9, to: 11 }],
    ['"card dec|', { kind: "none", prefix: "card dec", from: 0, to: 9 }],
    ['"card declined" |', { kind: "operator", prefix: "", from: 16, to: 16 }],
    ["status:[500 TO |", { kind: "none", prefix: "", from: 15, to: 15 }],
    ["status:[500 TO 599] |", { kind: "operator", prefix: "", from: 20, to: 20 }],
  ])("%s", (q, expected) => {
    expect(at(q)).toEqual(expected);
  });

  it("clamps the cursor", () => {
    expect(completionContext("ab", 99)).toEqual({ kind: "field", prefix: "ab", from: 0, to: 2 });
    expect(completionContext("ab", -5)).toEqual({ kind: "field", prefix: "", from: 0, to: 0 });
  });
});
