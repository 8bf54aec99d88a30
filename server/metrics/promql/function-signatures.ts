import type { ValueType } from "./ast";

/**
 * Argument and return types of PromQL functions (the float-sample subset of Prometheus's
 * function table). `variadic`: 0 = fixed arity, n > 0 = the last argument type may be given
 * 0..n times, -1 = the last argument type may repeat without limit (at least argTypes.length - 1
 * arguments in both variadic cases).
 */
export interface FunctionSignature {
  name: string;
  argTypes: ValueType[];
  variadic: number;
  returnType: ValueType;
}

const V: ValueType = "vector";
const M: ValueType = "matrix";
const S: ValueType = "scalar";
const Str: ValueType = "string";

function sig(name: string, argTypes: ValueType[], returnType: ValueType = V, variadic = 0): FunctionSignature {
  return { name, argTypes, variadic, returnType };
}

const list: FunctionSignature[] = [
  sig("abs", [V]),
  sig("absent", [V]),
  sig("absent_over_time", [M]),
  sig("ceil", [V]),
  sig("changes", [M]),
  sig("clamp", [V, S, S]),
  sig("clamp_max", [V, S]),
  sig("clamp_min", [V, S]),
  sig("day_of_month", [V], V, 1),
  sig("day_of_week", [V], V, 1),
  sig("day_of_year", [V], V, 1),
  sig("days_in_month", [V], V, 1),
  sig("delta", [M]),
  sig("deriv", [M]),
  sig("exp", [V]),
  sig("floor", [V]),
  sig("histogram_quantile", [S, V]),
  // Native-histogram functions (stable in Prometheus; parsed here, evaluated only if the engine supports them).
  sig("histogram_avg", [V]),
  sig("histogram_count", [V]),
  sig("histogram_sum", [V]),
  sig("histogram_stddev", [V]),
  sig("histogram_stdvar", [V]),
  sig("histogram_fraction", [S, S, V]),
  sig("double_exponential_smoothing", [M, S, S]),
  sig("hour", [V], V, 1),
  sig("idelta", [M]),
  sig("increase", [M]),
  sig("irate", [M]),
  sig("label_join", [V, Str, Str, Str], V, -1),
  sig("label_replace", [V, Str, Str, Str, Str]),
  sig("ln", [V]),
  sig("log2", [V]),
  sig("log10", [V]),
  sig("minute", [V], V, 1),
  sig("month", [V], V, 1),
  sig("predict_linear", [M, S]),
  sig("rate", [M]),
  sig("resets", [M]),
  sig("round", [V, S], V, 1),
  sig("scalar", [V], S),
  sig("sgn", [V]),
  sig("sort", [V]),
  sig("sort_desc", [V]),
  sig("sort_by_label", [V, Str], V, -1),
  sig("sort_by_label_desc", [V, Str], V, -1),
  sig("sqrt", [V]),
  sig("time", [], S),
  sig("timestamp", [V]),
  sig("vector", [S]),
  sig("year", [V], V, 1),
  sig("avg_over_time", [M]),
  sig("min_over_time", [M]),
  sig("max_over_time", [M]),
  sig("sum_over_time", [M]),
  sig("count_over_time", [M]),
  sig("quantile_over_time", [S, M]),
  sig("stddev_over_time", [M]),
  sig("stdvar_over_time", [M]),
  sig("last_over_time", [M]),
  sig("present_over_time", [M]),
  sig("mad_over_time", [M]),
  sig("acos", [V]),
  sig("acosh", [V]),
  sig("asin", [V]),
  sig("asinh", [V]),
  sig("atan", [V]),
  sig("atanh", [V]),
  sig("cos", [V]),
  sig("cosh", [V]),
  sig("sin", [V]),
  sig("sinh", [V]),
  sig("tan", [V]),
  sig("tanh", [V]),
  sig("deg", [V]),
  sig("rad", [V]),
  sig("pi", [], S),
];

export const FUNCTIONS: ReadonlyMap<string, FunctionSignature> = new Map(list.map((f) => [f.name, f]));
