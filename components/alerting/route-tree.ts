/**
 * Notification policies as the console edits them: the route tree addressed by index paths
 * (`[]` the default policy, `[0, 2]` the third child of the first child), immutable edits (update,
 * add a child, remove, move among siblings), what a policy inherits from its parents, one
 * policy's form, and where in the tree a configuration problem (`route.routes[0].matchers[1]`)
 * points. Pure.
 */
import { GROUP_BY_ALL, ROUTE_DEFAULTS, type RouteConfig } from "@/server/alerting/model";
import { stringifyMatcher } from "@/server/alerting/matchers";
import { DurationSchema } from "@/server/alerting/model";
import { matcherStringProblem } from "./matcher-rows";

export type RoutePath = readonly number[];

export function routeAt(root: RouteConfig, path: RoutePath): RouteConfig | undefined {
  let cur: RouteConfig | undefined = root;
  for (const i of path) cur = cur?.routes?.[i];
  return cur;
}

/** The tree with the policy at `path` replaced by `fn(policy)`. */
export function updateRoute(root: RouteConfig, path: RoutePath, fn: (r: RouteConfig) => RouteConfig): RouteConfig {
  if (path.length === 0) return fn(root);
  const [i, ...rest] = path;
  const children = root.routes ?? [];
  if (i! < 0 || i! >= children.length) throw new RangeError(`no policy at ${path.join(".")}`);
  return { ...root, routes: children.map((c, j) => (j === i ? updateRoute(c, rest, fn) : c)) };
}

/** Adds `child` (default: an empty policy) as the last child of `path`; returns the new child's path. */
export function addChild(root: RouteConfig, path: RoutePath, child: RouteConfig = {}): { root: RouteConfig; path: number[] } {
  let index = 0;
  const next = updateRoute(root, path, (r) => {
    index = r.routes?.length ?? 0;
    return { ...r, routes: [...(r.routes ?? []), child] };
  });
  return { root: next, path: [...path, index] };
}

/** Removes the policy at `path` (not the default policy) with its children. */
export function removeRoute(root: RouteConfig, path: RoutePath): RouteConfig {
  if (path.length === 0) throw new RangeError("the default policy cannot be removed");
  const parent = path.slice(0, -1);
  const i = path[path.length - 1]!;
  return updateRoute(root, parent, (r) => {
    const routes = (r.routes ?? []).filter((_c, j) => j !== i);
    const { routes: _old, ...rest } = r;
    return routes.length ? { ...rest, routes } : rest;
  });
}

/** Moves the policy among its siblings by `delta` (−1 up, +1 down); unchanged at the ends. Returns its new path. */
export function moveRoute(root: RouteConfig, path: RoutePath, delta: -1 | 1): { root: RouteConfig; path: number[] } {
  if (path.length === 0) return { root, path: [] };
  const parent = path.slice(0, -1);
  const i = path[path.length - 1]!;
  const siblings = routeAt(root, parent)?.routes ?? [];
  const j = i + delta;
  if (j < 0 || j >= siblings.length) return { root, path: [...path] };
  const next = updateRoute(root, parent, (r) => {
    const routes = [...(r.routes ?? [])];
    [routes[i], routes[j]] = [routes[j]!, routes[i]!];
    return { ...r, routes };
  });
  return { root: next, path: [...parent, j] };
}

/** "Default policy", "Policy 1", "Policy 1.2" (1-based positions). */
export function policyName(path: RoutePath): string {
  return path.length === 0 ? "Default policy" : `Policy ${path.map((i) => i + 1).join(".")}`;
}

/** A policy's matchers as Alertmanager strings: `matchers`, then the older `match` / `match_re` maps. */
export function matcherStrings(r: RouteConfig): string[] {
  return [
    ...(r.matchers ?? []),
    ...Object.entries(r.match ?? {}).map(([name, value]) => stringifyMatcher({ name, type: "=", value })),
    ...Object.entries(r.match_re ?? {}).map(([name, value]) => stringifyMatcher({ name, type: "=~", value })),
  ];
}

export interface EffectiveSettings {
  receiver: string | undefined;
  group_by: string[];
  group_wait: string;
  group_interval: string;
  repeat_interval: string;
  /** Which of them this policy sets itself (the rest it inherits). */
  own: Set<"receiver" | "group_by" | "group_wait" | "group_interval" | "repeat_interval">;
}

/** What the policy at `path` uses: its own settings, else its parents', else Alertmanager's defaults. */
export function effectiveSettings(root: RouteConfig, path: RoutePath): EffectiveSettings {
  const chain: RouteConfig[] = [root];
  for (let k = 1; k <= path.length; k++) chain.push(routeAt(root, path.slice(0, k))!);
  const last = chain[chain.length - 1]!;
  const pick = <K extends "receiver" | "group_by" | "group_wait" | "group_interval" | "repeat_interval">(k: K): RouteConfig[K] => {
    for (let i = chain.length - 1; i >= 0; i--) if (chain[i]![k] !== undefined) return chain[i]![k];
    return undefined;
  };
  const own = new Set<EffectiveSettings["own"] extends Set<infer T> ? T : never>();
  for (const k of ["receiver", "group_by", "group_wait", "group_interval", "repeat_interval"] as const) if (last[k] !== undefined) own.add(k);
  return {
    receiver: pick("receiver"),
    group_by: pick("group_by") ?? [],
    group_wait: pick("group_wait") ?? ROUTE_DEFAULTS.group_wait,
    group_interval: pick("group_interval") ?? ROUTE_DEFAULTS.group_interval,
    repeat_interval: pick("repeat_interval") ?? ROUTE_DEFAULTS.repeat_interval,
    own,
  };
}

/** `alertname, cluster`, `all labels`, `nothing` (one group). */
export function groupByText(groupBy: readonly string[]): string {
  if (groupBy.includes(GROUP_BY_ALL)) return "all labels";
  return groupBy.length ? groupBy.join(", ") : "nothing (one group)";
}

// ---------------------------------------------------------------------------------------------
// One policy's form

export interface RouteNodeForm {
  receiver: string;
  /** Alertmanager matcher strings, one per row. */
  matchers: string[];
  /** Empty: inherited. Comma-separated label names, or `...` for all labels. */
  groupBy: string;
  groupWait: string;
  groupInterval: string;
  repeatInterval: string;
  continue: boolean;
  muteTimings: string[];
  activeTimings: string[];
}

export function routeNodeForm(r: RouteConfig): RouteNodeForm {
  return {
    receiver: r.receiver ?? "",
    matchers: matcherStrings(r),
    groupBy: (r.group_by ?? []).join(", "),
    groupWait: r.group_wait ?? "",
    groupInterval: r.group_interval ?? "",
    repeatInterval: r.repeat_interval ?? "",
    continue: r.continue ?? false,
    muteTimings: r.mute_time_intervals ?? [],
    activeTimings: r.active_time_intervals ?? [],
  };
}

export interface RouteNodeErrors {
  receiver?: string;
  matchers?: (string | null)[];
  groupBy?: string;
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
}

const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The policy `r` with the form applied (its children kept; `match`/`match_re` folded into
 * `matchers`), or the form's problems. The default policy needs a receiver and takes no matchers,
 * `continue` or time intervals.
 */
export function applyRouteNodeForm(r: RouteConfig, form: RouteNodeForm, isRoot: boolean): { route: RouteConfig; errors?: undefined } | { route?: undefined; errors: RouteNodeErrors } {
  const errors: RouteNodeErrors = {};
  if (isRoot && !form.receiver) errors.receiver = "the default policy needs a contact point";
  const matchers = form.matchers.map((m) => m.trim()).filter((m) => m !== "");
  if (!isRoot) {
    const problems = form.matchers.map((m) => (m.trim() === "" ? null : matcherStringProblem(m)));
    if (problems.some((p) => p !== null)) errors.matchers = problems;
  }
  const groupBy = form.groupBy
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  const badLabel = groupBy.find((g) => g !== GROUP_BY_ALL && !LABEL_NAME.test(g));
  if (badLabel !== undefined) errors.groupBy = `"${badLabel}" is not a label name`;
  else if (groupBy.includes(GROUP_BY_ALL) && groupBy.length > 1) errors.groupBy = "... (all labels) stands alone";
  else if (new Set(groupBy).size !== groupBy.length) errors.groupBy = "a label is listed twice";
  const duration = (text: string, key: "groupWait" | "groupInterval" | "repeatInterval", nonZero: boolean) => {
    const t = text.trim();
    if (t === "") return undefined;
    if (!DurationSchema.safeParse(t).success) errors[key] = "a duration such as 30s, 5m, 4h";
    else if (nonZero && /^(0[a-z]+)+$/.test(t)) errors[key] = "cannot be zero";
    return t;
  };
  const group_wait = duration(form.groupWait, "groupWait", false);
  const group_interval = duration(form.groupInterval, "groupInterval", true);
  const repeat_interval = duration(form.repeatInterval, "repeatInterval", true);
  if (Object.keys(errors).length > 0) return { errors };
  const { receiver: _r, matchers: _m, match: _a, match_re: _b, group_by: _g, group_wait: _w, group_interval: _i, repeat_interval: _p, continue: _c, mute_time_intervals: _mt, active_time_intervals: _at, ...kept } = r;
  const route: RouteConfig = {
    ...(form.receiver ? { receiver: form.receiver } : {}),
    ...(!isRoot && matchers.length ? { matchers } : {}),
    ...(groupBy.length ? { group_by: groupBy } : {}),
    ...(group_wait ? { group_wait } : {}),
    ...(group_interval ? { group_interval } : {}),
    ...(repeat_interval ? { repeat_interval } : {}),
    ...(!isRoot && form.continue ? { continue: true } : {}),
    ...(!isRoot && form.muteTimings.length ? { mute_time_intervals: form.muteTimings } : {}),
    ...(!isRoot && form.activeTimings.length ? { active_time_intervals: form.activeTimings } : {}),
    ...kept,
  };
  return { route };
}

/** The policy a configuration problem's path is about (`route.routes[1].routes[0].group_wait` → [1, 0]); null when not a route's. */
export function problemRoutePath(path: string): number[] | null {
  if (!/^route(\.|$)/.test(path)) return null;
  const out: number[] = [];
  const re = /^\.routes\[(\d+)\]/;
  let rest = path.slice("route".length);
  for (let m = re.exec(rest); m; m = re.exec(rest)) {
    out.push(Number(m[1]));
    rest = rest.slice(m[0].length);
  }
  return out;
}
