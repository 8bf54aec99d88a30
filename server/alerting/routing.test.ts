import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import type { RouteConfig } from "./model";
import { buildRouteTree, findRoute, matchRoutes, RouteConfigError, validateRoutingConfig, walkRoutes } from "./routing";

const tree = (yaml: string) => buildRouteTree(parseYaml(yaml) as RouteConfig);
const receivers = (t: ReturnType<typeof tree>, labels: Record<string, string>) => matchRoutes(t, labels).map((r) => r.options.receiver);

const CONFIG = `
receiver: default
group_by: [alertname]
group_wait: 10s
routes:
  - matchers: ['team="db"']
    receiver: db
    group_interval: 1m
    mute_time_intervals: [nights]
    routes:
      - matchers: [severity="critical"]
        receiver: db-pager
        continue: true
      - matchers: [severity=~"critical|warning"]
        receiver: db-chat
        group_by: ['...']
      - matchers: [env="staging"]
        group_by: []
  - match: { team: web }
    match_re: { env: "prod|staging" }
    receiver: web
    repeat_interval: 1h
  - matchers: ['team=~".+"']
    receiver: any-team
    active_time_intervals: [office]
`;

describe("buildRouteTree", () => {
  const t = tree(CONFIG);

  it("inherits options from the parent and the defaults", () => {
    expect(t.options).toEqual({
      receiver: "default",
      groupBy: ["alertname"],
      groupByAll: false,
      groupWait: 10_000,
      groupInterval: 300_000,
      repeatInterval: 14_400_000,
      muteTimeIntervals: [],
      activeTimeIntervals: [],
    });
    const db = findRoute(t, "route.routes[0]");
    expect(db?.options).toMatchObject({ receiver: "db", groupBy: ["alertname"], groupWait: 10_000, groupInterval: 60_000, muteTimeIntervals: ["nights"] });
    const pager = findRoute(t, "route.routes[0].routes[0]");
    expect(pager?.options).toMatchObject({ receiver: "db-pager", groupInterval: 60_000, groupBy: ["alertname"] });
    // Time intervals are the route's own, as in Alertmanager.
    expect(pager?.options.muteTimeIntervals).toEqual([]);
  });

  it("reads group_by ['...'] as all labels and [] as no grouping", () => {
    expect(findRoute(t, "route.routes[0].routes[1]")?.options.groupByAll).toBe(true);
    const staging = findRoute(t, "route.routes[0].routes[2]");
    expect(staging?.options.groupBy).toEqual([]);
    expect(staging?.options.groupByAll).toBe(false);
    expect(staging?.options.receiver).toBe("db");
  });

  it("merges match/match_re into sorted matchers and builds Alertmanager's keys", () => {
    const web = findRoute(t, "route.routes[1]");
    expect(web?.matchers.map((m) => m.toJSON())).toEqual([
      { type: "=~", name: "env", value: "^(?:prod|staging)$" },
      { type: "=", name: "team", value: "web" },
    ]);
    expect(t.key).toBe("{}");
    expect(web?.key).toBe('{}/{env=~"^(?:prod|staging)$",team="web"}');
    expect(web?.id).toBe('{}/{env=~"^(?:prod|staging)$",team="web"}/1');
    expect(findRoute(t, "route.routes[0].routes[0]")?.key).toBe('{}/{team="db"}/{severity="critical"}');
    const ids = new Set<string>();
    walkRoutes(t, (r) => ids.add(r.id));
    expect(ids.size).toBe(7);
  });

  it("lists every unparsable matcher, duration and group_by with its path", () => {
    const bad = { receiver: "x", group_wait: "5 minutes", routes: [{ matchers: ["ok=1", "a!b"] }, { match_re: { a: "(" }, group_by: ["a", "a", "b-c"], repeat_interval: "0s" }] };
    try {
      buildRouteTree(bad);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(RouteConfigError);
      expect((err as RouteConfigError).problems.map((p) => p.path)).toEqual([
        "route.group_wait",
        "route.routes[0].matchers[1]",
        "route.routes[1].group_by[1]",
        "route.routes[1].group_by[2]",
        "route.routes[1].repeat_interval",
        "route.routes[1].match_re.a",
      ]);
    }
  });
});

describe("matchRoutes", () => {
  const t = tree(CONFIG);

  it("stops at the first matching child unless it has continue", () => {
    expect(receivers(t, { team: "db", severity: "critical" })).toEqual(["db-pager", "db-chat"]);
    expect(receivers(t, { team: "db", severity: "warning" })).toEqual(["db-chat"]);
  });

  it("matches the parent when no child matches, and the root as the last resort", () => {
    expect(receivers(t, { team: "db", severity: "info" })).toEqual(["db"]);
    expect(receivers(t, { alertname: "x" })).toEqual(["default"]);
  });

  it("does not try later siblings after a match without continue", () => {
    expect(receivers(t, { team: "web", env: "prod" })).toEqual(["web"]);
    expect(receivers(t, { team: "web", env: "dev" })).toEqual(["any-team"]);
  });

  it("matches missing labels as empty", () => {
    const t2 = tree(`receiver: r\nroutes:\n  - matchers: ['env!~".+"']\n    receiver: no-env\n`);
    expect(receivers(t2, { a: "b" })).toEqual(["no-env"]);
    expect(receivers(t2, { env: "prod" })).toEqual(["r"]);
  });
});

describe("validateRoutingConfig", () => {
  it("accepts a valid configuration", () => {
    const route = parseYaml(CONFIG) as RouteConfig;
    expect(
      validateRoutingConfig({
        route,
        receivers: ["default", "db", "db-pager", "db-chat", "web", "any-team"].map((name) => ({ name })),
        time_intervals: [
          { name: "nights", time_intervals: [{ times: [{ start_time: "00:00", end_time: "06:00" }] }] },
          { name: "office", time_intervals: [{ weekdays: ["monday:friday"] }] },
        ],
      }),
    ).toEqual([]);
  });

  it("reports every problem with its path", () => {
    const problems = validateRoutingConfig({
      route: {
        matchers: ['a="b"'],
        continue: true,
        mute_time_intervals: ["nights"],
        routes: [{ receiver: "ghost" }, { matchers: ["a!b"], group_interval: "0s", active_time_intervals: ["never"] }],
      },
      receivers: [{ name: "x" }, { name: "x" }],
      time_intervals: [{ name: "nights", time_intervals: [{ weekdays: ["funday"] }] }],
      mute_time_intervals: [{ name: "nights", time_intervals: [] }],
      inhibit_rules: [{ source_matchers: ["severity=critical"], target_matchers: ['severity=~"("'], equal: ["bad-name"] }],
    });
    const byPath = Object.fromEntries(problems.map((p) => [p.path, p.message]));
    expect(byPath).toMatchObject({
      "receivers[1].name": expect.stringContaining("defined twice"),
      "time_intervals[0].name": expect.stringContaining("defined twice"),
      "time_intervals[0].time_intervals[0].weekdays[0]": expect.stringContaining("is not a weekday"),
      "route.receiver": expect.stringContaining("default receiver"),
      route: expect.stringContaining("must not have matchers"),
      "route.continue": expect.any(String),
      "route.mute_time_intervals": expect.any(String),
      "route.routes[0].receiver": 'receiver "ghost" is not defined',
      "route.routes[1].matchers[0]": expect.stringContaining('"a!b": 1:2: !: invalid input'),
      "route.routes[1].group_interval": "group_interval cannot be zero",
      "route.routes[1].active_time_intervals[0]": 'time interval "never" is not defined',
      "inhibit_rules[0].target_matchers[0]": expect.stringContaining("missing closing )"),
      "inhibit_rules[0].equal[0]": expect.stringContaining("invalid label name"),
    });
    expect(problems).toHaveLength(13);
  });

  it("requires a root route", () => {
    expect(validateRoutingConfig({})).toEqual([{ path: "route", message: "a root route is required" }]);
  });
});
