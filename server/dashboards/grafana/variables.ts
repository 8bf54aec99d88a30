/**
 * Grafana template variables (`templating.list`) → ours. Query variables on Prometheus, custom,
 * interval, textbox and constant variables map one to one; datasource variables are dropped
 * (they only choose the datasource, and Lookout queries its own store); ad hoc filters and other
 * types are dropped with a warning.
 */
import { ALL_VALUE, AUTO_INTERVAL_VALUE, VariableSchema, type Variable, type VariableCurrent } from "../model";
import type { Datasources } from "./datasources";
import { arr, bool, cut, int, isObject, obj, objects, scalarString, str, text, type Json, type Notes } from "./json";
import { toDuration } from "./targets";


const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

type Sort = "none" | "alpha-asc" | "alpha-desc" | "num-asc" | "num-desc";

/**
 * Grafana's sort codes: 0 off, 1/2 alphabetical, 3/4 numerical, 5/6 alphabetical ignoring case,
 * 7/8 natural. Case-insensitive and natural orders become alphabetical ones.
 */
export function variableSort(v: unknown): Sort {
  switch (int(v)) {
    case 0:
      return "none";
    case 2:
    case 6:
    case 8:
      return "alpha-desc";
    case 3:
      return "num-asc";
    case 4:
      return "num-desc";
    case 1:
    case 5:
    case 7:
      return "alpha-asc";
    default:
      return "none";
  }
}

function hideOf(v: unknown): "none" | "label" | "variable" {
  if (v === 1 || v === "hideLabel") return "label";
  if (v === 2 || v === "hideVariable") return "variable";
  return "none";
}

function valueList(v: unknown): string | string[] | undefined {
  if (Array.isArray(v)) {
    const list = v.map(scalarString).filter((s): s is string => s !== undefined);
    return list.length > 0 ? list : undefined;
  }
  const s = scalarString(v);
  return s === undefined || s === "" ? undefined : s;
}

/** `current: {text, value}` (`$__all` for All); empty selections are left out. */
export function convertCurrent(c: unknown): VariableCurrent | undefined {
  const o = obj(c);
  if (!o) return undefined;
  let value = valueList(o.value);
  if (value === undefined) return undefined;
  if (typeof value === "string" && value.startsWith("$__auto_interval")) value = AUTO_INTERVAL_VALUE;
  if (Array.isArray(value) && value.includes(ALL_VALUE)) value = [ALL_VALUE];
  const txt = valueList(o.text);
  return txt === undefined ? { value } : { value, text: txt };
}

/** Options saved with the variable, as a custom-variable query (`text : value` where they differ). */
function optionsQuery(v: Json): string {
  return objects(v.options)
    .map((o) => {
      const value = scalarString(o.value);
      const label = scalarString(o.text);
      if (value === undefined || value === ALL_VALUE) return undefined;
      return label !== undefined && label !== value ? `${label} : ${value}` : value;
    })
    .filter((s): s is string => s !== undefined && s !== "")
    .join(",");
}

/** A Prometheus variable query: a string, `{query}`, or the builder's `{qryType, metric, label}`. */
function promVariableQuery(v: Json): string {
  const q = v.query;
  if (typeof q === "string") return q;
  const o = obj(q);
  if (o) {
    const s = str(o.query);
    if (s !== undefined && s.trim() !== "") return s;
    const label = text(o.label);
    const metric = text(o.metric);
    if (label) return metric ? `label_values(${metric}, ${label})` : `label_values(${label})`;
  }
  return str(v.definition) ?? "";
}

function selectable(v: Json) {
  const allValue = str(v.allValue);
  return {
    multi: bool(v.multi) === true,
    includeAll: bool(v.includeAll) === true,
    ...(allValue !== undefined && allValue !== "" ? { allValue: cut(allValue, 1_000) } : {}),
  };
}

function convertOne(v: Json, name: string, ds: Datasources, notes: Notes): unknown {
  const base = {
    name,
    ...(text(v.label) ? { label: cut(String(v.label), 200) } : {}),
    ...(text(v.description) ? { description: cut(String(v.description), 2_000) } : {}),
    hide: hideOf(v.hide),
  };
  const current = convertCurrent(v.current);
  const withCurrent = current ? { current } : {};
  const type = str(v.type);
  const where = `$${name}`;

  switch (type) {
    case "query": {
      const kind = ds.kindOf(v.datasource);
      if (kind !== "prometheus") {
        notes.add(`Query variable on a non-Prometheus datasource (${kind}) became a custom variable with its saved options`, where);
        const query = optionsQuery(v) || (current ? [current.value].flat().filter((x) => x !== ALL_VALUE).join(",") : "");
        return { ...base, ...withCurrent, ...selectable(v), type: "custom", query: cut(query, 20_000) };
      }
      const regex = text(v.regex);
      return {
        ...base,
        ...withCurrent,
        ...selectable(v),
        type: "query",
        datasource: "promql",
        query: cut(promVariableQuery(v).trim(), 5_000),
        ...(regex ? { regex: cut(regex, 1_000) } : {}),
        sort: variableSort(v.sort),
        refresh: int(v.refresh) === 2 || v.refresh === "onTimeRangeChanged" ? "time" : "load",
      };
    }
    case "custom": {
      const query = text(v.query) ?? optionsQuery(v);
      return { ...base, ...withCurrent, ...selectable(v), type: "custom", query: cut(query, 20_000) };
    }
    case "interval": {
      const query =
        text(v.query) ??
        objects(v.options)
          .map((o) => scalarString(o.value))
          .filter((s): s is string => !!s && !s.startsWith("$__auto"))
          .join(",");
      return {
        ...base,
        ...withCurrent,
        type: "interval",
        query: cut(query, 1_000),
        auto: bool(v.auto) === true,
        autoCount: int(v.auto_count, 1, 1_000) ?? 30,
        autoMin: toDuration(v.auto_min) ?? "10s",
      };
    }
    case "textbox":
      return { ...base, ...withCurrent, type: "textbox", query: cut(scalarString(v.query) ?? "", 5_000) };
    case "constant":
      return { ...base, ...withCurrent, type: "constant", query: cut(scalarString(v.query) ?? "", 5_000) };
    case "datasource":
      notes.add("Datasource variables dropped (Lookout queries its own metrics store)", where);
      return undefined;
    case "adhoc":
      notes.add("Ad hoc filter variables not supported; dropped", where);
      return undefined;
    default:
      notes.add(`Variables of type "${type ?? "?"}" not supported; dropped`, where);
      return undefined;
  }
}

export function convertVariables(dash: Json, ds: Datasources, notes: Notes): Variable[] {
  const list = isObject(dash.templating) ? arr(dash.templating.list) : [];
  const out: Variable[] = [];
  const names = new Set<string>();
  for (const v of list) {
    if (!isObject(v)) continue;
    const name = str(v.name)?.trim() ?? "";
    if (!NAME_RE.test(name)) {
      notes.add(`Variable name "${name}" is not usable here (letters, digits and _ only); dropped`);
      continue;
    }
    if (names.has(name)) {
      notes.add(`Variable "$${name}" defined twice; the second one dropped`);
      continue;
    }
    const converted = convertOne(v, name, ds, notes);
    if (converted === undefined) continue;
    const parsed = VariableSchema.safeParse(converted);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      notes.add(`Variable "$${name}" could not be converted (${issue?.path.join(".") || "?"}: ${issue?.message ?? "invalid"}); dropped`);
      continue;
    }
    if (out.length >= 50) {
      notes.add("More than 50 variables; the rest dropped");
      break;
    }
    names.add(name);
    out.push(parsed.data);
  }
  return out;
}
