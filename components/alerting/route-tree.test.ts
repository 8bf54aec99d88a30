import { describe, expect, it } from "vitest";
import type { RouteConfig } from "@/server/alerting/model";
import { addChild, applyRouteNodeForm, effectiveSettings, groupByText, matcherStrings, moveRoute, policyName, problemRoutePath, removeRoute, routeAt, routeNodeForm, updateRoute } from "./route-tree";

const tree: RouteConfig = {
  receiver: "default",
  group_by: ["alertname"],
  routes: [
    { receiver: "team-a", matchers: ['team="a"'], group_wait: "10s", routes: [{ matchers: ['severity="critical"'], receiver: "pager" }] },
    { receiver: "team-b", match: { team: "b" }, match_re: { env: "prod|staging" } },
  ],
};

describe("route tree edits", () => {
  it("finds, updates, adds, removes and moves policies without changing the input", () => {
    const before = JSON.stringify(tree);
    expect(routeAt(tree, [0, 0])?.receiver).toBe("pager");
    expect(routeAt(tree, [3])).toBeUndefined();
    const updated = updateRoute(tree, [0, 0], (r) => ({ ...r, receiver: "sms" }));
    expect(routeAt(updated, [0, 0])?.receiver).toBe("sms");
    expect(routeAt(updated, [1])).toBe(tree.routes![1]);
    const added = addChild(tree, [1], { receiver: "new" });
    expect(added.path).toEqual([1, 0]);
    expect(routeAt(added.root, [1, 0])).toEqual({ receiver: "new" });
    const removed = removeRoute(tree, [0, 0]);
    expect(routeAt(removed, [0])).toEqual({ receiver: "team-a", matchers: ['team="a"'], group_wait: "10s" });
    expect(() => removeRoute(tree, [])).toThrow(/default policy/);
    const moved = moveRoute(tree, [1], -1);
    expect(moved.path).toEqual([0]);
    expect(moved.root.routes!.map((r) => r.receiver)).toEqual(["team-b", "team-a"]);
    expect(moveRoute(tree, [0], -1)).toEqual({ root: tree, path: [0] });
    expect(() => updateRoute(tree, [5], (r) => r)).toThrow(RangeError);
    expect(JSON.stringify(tree)).toBe(before);
  });

  it("names policies and finds the policy of a problem", () => {
    expect(policyName([])).toBe("Default policy");
    expect(policyName([0, 2])).toBe("Policy 1.3");
    expect(problemRoutePath("route.receiver")).toEqual([]);
    expect(problemRoutePath("route.routes[1].routes[0].group_wait")).toEqual([1, 0]);
    expect(problemRoutePath("route")).toEqual([]);
    expect(problemRoutePath("receivers[0].name")).toBeNull();
  });

  it("tells what a policy inherits", () => {
    const e = effectiveSettings(tree, [0, 0]);
    expect(e).toMatchObject({ receiver: "pager", group_by: ["alertname"], group_wait: "10s", group_interval: "5m", repeat_interval: "4h" });
    expect([...e.own]).toEqual(["receiver"]);
    expect(groupByText(["..."])).toBe("all labels");
    expect(groupByText([])).toBe("nothing (one group)");
    expect(groupByText(["alertname", "cluster"])).toBe("alertname, cluster");
  });
});

describe("a policy's form", () => {
  it("folds match and match_re into matcher strings", () => {
    expect(matcherStrings(tree.routes![1]!)).toEqual(['team="b"', 'env=~"prod|staging"']);
    const f = routeNodeForm(tree.routes![1]!);
    expect(f).toMatchObject({ receiver: "team-b", matchers: ['team="b"', 'env=~"prod|staging"'], groupBy: "", continue: false });
    const r = applyRouteNodeForm(tree.routes![1]!, f, false);
    expect(r.route).toEqual({ receiver: "team-b", matchers: ['team="b"', 'env=~"prod|staging"'] });
  });

  it("applies every setting and keeps the children", () => {
    const f = { ...routeNodeForm(tree.routes![0]!), groupBy: "alertname, cluster", groupInterval: "1m", repeatInterval: "", continue: true, muteTimings: ["weekends"], matchers: ['team="a"', "  "] };
    expect(applyRouteNodeForm(tree.routes![0]!, f, false).route).toEqual({
      receiver: "team-a",
      matchers: ['team="a"'],
      group_by: ["alertname", "cluster"],
      group_wait: "10s",
      group_interval: "1m",
      continue: true,
      mute_time_intervals: ["weekends"],
      routes: tree.routes![0]!.routes,
    });
  });

  it("refuses bad input and keeps the default policy plain", () => {
    const f = { ...routeNodeForm({}), matchers: ['team="a"', "team ~ x"], groupBy: "a, 1b", groupWait: "10 s", groupInterval: "0s" };
    expect(applyRouteNodeForm({}, f, false).errors).toEqual({ matchers: [null, expect.any(String)], groupBy: '"1b" is not a label name', groupWait: "a duration such as 30s, 5m, 4h", groupInterval: "cannot be zero" });
    expect(applyRouteNodeForm({}, { ...routeNodeForm({}), groupBy: "..., a" }, false).errors).toEqual({ groupBy: "... (all labels) stands alone" });
    expect(applyRouteNodeForm({}, routeNodeForm({}), true).errors).toEqual({ receiver: "the default policy needs a contact point" });
    const root = applyRouteNodeForm(tree, { ...routeNodeForm(tree), continue: true, matchers: ['a="b"'] }, true).route!;
    expect(root).toEqual({ receiver: "default", group_by: ["alertname"], routes: tree.routes });
  });
});
