/**
 * The notification policy tree: Alertmanager's `route` section, built and matched as Alertmanager's
 * dispatcher does.
 *
 * Building: each route's options start from its parent's (the root's from ROUTE_DEFAULTS and no
 * grouping) and what the route sets replaces them: `receiver`, `group_by` (`['...']` groups by all
 * labels; `[]` groups everything together), `group_wait`, `group_interval`, `repeat_interval`.
 * `mute_time_intervals` and `active_time_intervals` are the route's own, not inherited (as in
 * Alertmanager). The deprecated `match` (equality) and `match_re` (regex, kept as `^(?:re)$`, the
 * way Alertmanager stores it) join `matchers` (parsed in fallback mode), and the route's matchers
 * are sorted.
 *
 * Matching (`matchRoutes`): depth first, left to right. A route matches when all its matchers do;
 * its children are then tried in order and the search stops at the first child that matched unless
 * that child has `continue: true`; a route none of whose children matched is itself the match.
 * The root has no matchers, so every alert matches at least one route.
 *
 * Each route has Alertmanager's `key` (its matchers and its ancestors': `{}/{owner="team-A"}`, the
 * prefix of group keys), `id` (key plus its position among its siblings: unique) and `path`
 * (`route.routes[1].routes[0]`, where it sits in the configuration).
 *
 * Pure module: safe in the browser and in workers.
 */
import { DurationError, parseDuration } from "@/server/lib/duration";
import { validateInhibitRules } from "./inhibit";
import { isValidClassicLabelName, Matcher, MatcherError, parseMatchers, sortMatchers, stringifyMatchers } from "./matchers";
import { GROUP_BY_ALL, ROUTE_DEFAULTS, type InhibitRule, type LabelSet, type RouteConfig, type TimeInterval } from "./model";
import { validateTimeIntervals, type ConfigProblem } from "./time-intervals";

export type { ConfigProblem } from "./time-intervals";

/** A route's effective options (durations in milliseconds). */
export interface RouteOptions {
  receiver: string;
  /** Label names to group by (meaningless when groupByAll). */
  groupBy: string[];
  /** `group_by: ['...']`: every label groups. */
  groupByAll: boolean;
  groupWait: number;
  groupInterval: number;
  repeatInterval: number;
  muteTimeIntervals: string[];
  activeTimeIntervals: string[];
}

export interface Route {
  /** Where the route is in the configuration: `route`, `route.routes[1].routes[0]`. */
  path: string;
  /** Alertmanager's route key: the matchers from the root down, `{}/{owner="team-A"}`. */
  key: string;
  /** Alertmanager's route id: the key and the position among siblings (`{}/{owner="team-A"}/0`); unique. */
  id: string;
  /** Depth (root 0) and position among its siblings (root -1). */
  depth: number;
  index: number;
  /** The route's own matchers, sorted. */
  matchers: Matcher[];
  continue: boolean;
  options: RouteOptions;
  routes: Route[];
  /** The configuration this route came from (children included). */
  config: RouteConfig;
}

export class RouteConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join("; "));
    this.name = "RouteConfigError";
  }
}

const ROOT_OPTIONS: RouteOptions = {
  receiver: "",
  groupBy: [],
  groupByAll: false,
  groupWait: parseDuration(ROUTE_DEFAULTS.group_wait),
  groupInterval: parseDuration(ROUTE_DEFAULTS.group_interval),
  repeatInterval: parseDuration(ROUTE_DEFAULTS.repeat_interval),
  muteTimeIntervals: [],
  activeTimeIntervals: [],
};

/** The matchers of one route config: match, match_re and matchers. Problems go to `problems`. */
export function routeMatchers(config: Pick<RouteConfig, "match" | "match_re" | "matchers">, path: string, problems: ConfigProblem[]): Matcher[] {
  const out: Matcher[] = [];
  for (const [name, value] of Object.entries(config.match ?? {})) {
    if (!isValidClassicLabelName(name)) {
      problems.push({ path: `${path}.match.${name}`, message: `invalid label name ${JSON.stringify(name)}` });
      continue;
    }
    out.push(new Matcher("=", name, String(value)));
  }
  for (const [name, value] of Object.entries(config.match_re ?? {})) {
    if (!isValidClassicLabelName(name)) {
      problems.push({ path: `${path}.match_re.${name}`, message: `invalid label name ${JSON.stringify(name)}` });
      continue;
    }
    try {
      out.push(new Matcher("=~", name, `^(?:${String(value)})$`));
    } catch (err) {
      if (!(err instanceof MatcherError)) throw err;
      problems.push({ path: `${path}.match_re.${name}`, message: err.message });
    }
  }
  (config.matchers ?? []).forEach((text, i) => {
    try {
      out.push(...parseMatchers(String(text), { mode: "fallback" }));
    } catch (err) {
      if (!(err instanceof MatcherError)) throw err;
      problems.push({ path: `${path}.matchers[${i}]`, message: `${JSON.stringify(text)}: ${err.message}` });
    }
  });
  return sortMatchers(out);
}

function durationOption(value: string | undefined, field: string, path: string, problems: ConfigProblem[], nonZero: boolean): number | undefined {
  if (value === undefined) return undefined;
  try {
    const ms = parseDuration(String(value));
    if (nonZero && ms === 0) {
      problems.push({ path: `${path}.${field}`, message: `${field} cannot be zero` });
      return undefined;
    }
    return ms;
  } catch (err) {
    if (!(err instanceof DurationError)) throw err;
    problems.push({ path: `${path}.${field}`, message: err.message });
    return undefined;
  }
}

function buildRoute(config: RouteConfig, parent: Route | null, index: number, path: string, problems: ConfigProblem[]): Route {
  const inherited = parent ? parent.options : ROOT_OPTIONS;
  const options: RouteOptions = { ...inherited, groupBy: [...inherited.groupBy], muteTimeIntervals: [], activeTimeIntervals: [] };
  if (config.receiver) options.receiver = config.receiver;
  if (config.group_by !== undefined) {
    const labels: string[] = [];
    let all = false;
    config.group_by.forEach((name, i) => {
      if (name === GROUP_BY_ALL) all = true;
      else if (!isValidClassicLabelName(name)) problems.push({ path: `${path}.group_by[${i}]`, message: `invalid label name ${JSON.stringify(name)} in group_by` });
      else if (labels.includes(name)) problems.push({ path: `${path}.group_by[${i}]`, message: `label ${JSON.stringify(name)} is listed twice in group_by` });
      else labels.push(name);
    });
    if (all && labels.length > 0) problems.push({ path: `${path}.group_by`, message: "group_by cannot have '...' (all labels) and other labels at the same time" });
    if (all) {
      options.groupByAll = true;
    } else {
      options.groupBy = labels;
      options.groupByAll = false;
    }
  }
  options.groupWait = durationOption(config.group_wait, "group_wait", path, problems, false) ?? options.groupWait;
  options.groupInterval = durationOption(config.group_interval, "group_interval", path, problems, true) ?? options.groupInterval;
  options.repeatInterval = durationOption(config.repeat_interval, "repeat_interval", path, problems, true) ?? options.repeatInterval;
  options.muteTimeIntervals = [...(config.mute_time_intervals ?? [])];
  options.activeTimeIntervals = [...(config.active_time_intervals ?? [])];

  const matchers = routeMatchers(config, path, problems);
  const ownKey = stringifyMatchers(matchers);
  const key = parent ? `${parent.key}/${ownKey}` : ownKey;
  const route: Route = {
    path,
    key,
    id: parent ? `${key}/${index}` : key,
    depth: parent ? parent.depth + 1 : 0,
    index,
    matchers,
    continue: config.continue === true,
    options,
    routes: [],
    config,
  };
  route.routes = (config.routes ?? []).map((child, i) => buildRoute(child, route, i, `${path}.routes[${i}]`, problems));
  return route;
}

/**
 * Builds the route tree from an Alertmanager `route` section. Throws RouteConfigError listing
 * every unparsable matcher, duration or group_by of the tree. References to receivers and time
 * intervals, and the root's own rules, are `validateRoutingConfig`'s job.
 */
export function buildRouteTree(config: RouteConfig): Route {
  const problems: ConfigProblem[] = [];
  const tree = buildRoute(config, null, -1, "route", problems);
  if (problems.length > 0) throw new RouteConfigError(problems);
  return tree;
}

/** The routes an alert with these labels is sent to, in Alertmanager's order. */
export function matchRoutes(tree: Route, labels: LabelSet): Route[] {
  return matchFrom(tree, labels) ?? [];
}

function matchFrom(route: Route, labels: LabelSet): Route[] | null {
  for (const m of route.matchers) if (!m.matches(labels[m.name] ?? "")) return null;
  const all: Route[] = [];
  for (const child of route.routes) {
    const matched = matchFrom(child, labels);
    if (matched === null) continue;
    all.push(...matched);
    if (!child.continue) break;
  }
  return all.length > 0 ? all : [route];
}

/** Visits every route, parents before children, in configuration order. */
export function walkRoutes(tree: Route, visit: (route: Route, parent: Route | null) => void, parent: Route | null = null): void {
  visit(tree, parent);
  for (const child of tree.routes) walkRoutes(child, visit, tree);
}

/** The route with this id or path, or null. */
export function findRoute(tree: Route, idOrPath: string): Route | null {
  let found: Route | null = null;
  walkRoutes(tree, (r) => {
    if (!found && (r.id === idOrPath || r.path === idOrPath)) found = r;
  });
  return found;
}

/** The parts of an alertmanager.yml that routing depends on. */
export interface RoutingConfigInput {
  route?: RouteConfig | null;
  receivers?: readonly { name: string }[];
  time_intervals?: readonly TimeInterval[];
  mute_time_intervals?: readonly TimeInterval[];
  inhibit_rules?: readonly InhibitRule[];
}

/**
 * Every problem Alertmanager would reject the configuration for, each with its path: a missing
 * root route or root receiver; matchers, `continue` or time intervals on the root; bad matchers,
 * durations (zero group_interval/repeat_interval included) and group_by labels anywhere; receivers
 * and time intervals that are used but not defined, or defined twice; bad time interval fields;
 * bad inhibition rules. Empty when the configuration is valid.
 */
export function validateRoutingConfig(config: RoutingConfigInput): ConfigProblem[] {
  const problems: ConfigProblem[] = [];

  const receiverNames = new Set<string>();
  (config.receivers ?? []).forEach((r, i) => {
    if (receiverNames.has(r.name)) problems.push({ path: `receivers[${i}].name`, message: `receiver ${JSON.stringify(r.name)} is defined twice` });
    receiverNames.add(r.name);
  });

  const intervalNames = new Set<string>();
  problems.push(...validateTimeIntervals(config.mute_time_intervals ?? [], "mute_time_intervals", intervalNames));
  problems.push(...validateTimeIntervals(config.time_intervals ?? [], "time_intervals", intervalNames));

  const root = config.route;
  if (!root) {
    problems.push({ path: "route", message: "a root route is required" });
  } else {
    if (!root.receiver) problems.push({ path: "route.receiver", message: "the root route must have a default receiver" });
    if ((root.matchers?.length ?? 0) > 0 || Object.keys(root.match ?? {}).length > 0 || Object.keys(root.match_re ?? {}).length > 0) {
      problems.push({ path: "route", message: "the root route must not have matchers (it receives every alert)" });
    }
    if (root.continue) problems.push({ path: "route.continue", message: "the root route cannot have continue" });
    if ((root.mute_time_intervals?.length ?? 0) > 0) problems.push({ path: "route.mute_time_intervals", message: "the root route must not have mute time intervals" });
    if ((root.active_time_intervals?.length ?? 0) > 0) problems.push({ path: "route.active_time_intervals", message: "the root route must not have active time intervals" });

    const treeProblems: ConfigProblem[] = [];
    const tree = buildRoute(root, null, -1, "route", treeProblems);
    problems.push(...treeProblems);
    walkRoutes(tree, (r) => {
      if (r.config.receiver && !receiverNames.has(r.config.receiver)) {
        problems.push({ path: `${r.path}.receiver`, message: `receiver ${JSON.stringify(r.config.receiver)} is not defined` });
      }
      for (const field of ["mute_time_intervals", "active_time_intervals"] as const) {
        (r.config[field] ?? []).forEach((name, i) => {
          if (!intervalNames.has(name)) problems.push({ path: `${r.path}.${field}[${i}]`, message: `time interval ${JSON.stringify(name)} is not defined` });
        });
      }
    });
  }

  problems.push(...validateInhibitRules(config.inhibit_rules ?? []));
  return problems;
}
