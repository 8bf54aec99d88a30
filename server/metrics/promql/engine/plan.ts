/**
 * Fetch planning: one walk over the AST works out, for every selector, the time span of samples
 * any evaluation step can read (lookback or range, offset, @, enclosing subqueries), so each
 * selector is fetched from the Queryable exactly once before evaluation starts.
 */
import type { SelectHints } from "../../model";
import type { AtModifier, Expr, VectorSelector } from "../ast";

export interface PlanOptions {
  lookbackDeltaMs: number;
  defaultSubqueryStepMs: number;
  queryStart: number;
  queryEnd: number;
  step: number;
}

export interface SelectorPlan {
  node: VectorSelector;
  hints: SelectHints;
}

export function atTimestamp(at: AtModifier, queryStart: number, queryEnd: number): number {
  if ("timestamp" in at) return at.timestamp;
  return at.startOrEnd === "start" ? queryStart : queryEnd;
}

/** Selectors of `expr` with the sample span each needs when `expr` is evaluated over [evalStart, evalEnd]. */
export function planSelectors(expr: Expr, evalStart: number, evalEnd: number, opts: PlanOptions): SelectorPlan[] {
  const plans = new Map<VectorSelector, SelectorPlan>();

  function add(node: VectorSelector, start: number, end: number, extra: Partial<SelectHints>): void {
    const prev = plans.get(node);
    if (prev) {
      prev.hints.start = Math.min(prev.hints.start, start);
      prev.hints.end = Math.max(prev.hints.end, end);
      delete prev.hints.grid;
      return;
    }
    plans.set(node, { node, hints: { start, end, step: opts.step, ...extra } });
    // A node planned twice (never in practice) may not be on one grid: no grid hint then.
  }

  function grid(at: AtModifier | undefined, offset: number, onGrid: boolean): Partial<SelectHints> {
    return onGrid && !at ? { grid: { first: opts.queryStart - offset, step: opts.step } } : {};
  }

  function span(at: AtModifier | undefined, offset: number, a: number, b: number): [number, number] {
    if (at) {
      const t = atTimestamp(at, opts.queryStart, opts.queryEnd);
      return [t - offset, t - offset];
    }
    return [a - offset, b - offset];
  }

  function walk(e: Expr, a: number, b: number, onGrid: boolean, func?: string): void {
    switch (e.kind) {
      case "NumberLiteral":
      case "StringLiteral":
        return;
      case "VectorSelector": {
        const [lo, hi] = span(e.at, e.offset, a, b);
        add(e, lo - opts.lookbackDeltaMs + 1, hi, { ...grid(e.at, e.offset, onGrid), ...(func ? { func } : {}) });
        return;
      }
      case "MatrixSelector": {
        const vs = e.vectorSelector;
        const [lo, hi] = span(vs.at, vs.offset, a, b);
        add(vs, lo - e.range + 1, hi, { range: e.range, ...grid(vs.at, vs.offset, onGrid), ...(func ? { func } : {}) });
        return;
      }
      case "SubqueryExpr": {
        const [lo, hi] = span(e.at, e.offset, a, b);
        walk(e.expr, lo - e.range, hi, false);
        return;
      }
      case "Call":
        for (const arg of e.args) walk(arg, a, b, onGrid, e.func);
        return;
      case "AggregateExpr":
        if (e.param) walk(e.param, a, b, onGrid);
        walk(e.expr, a, b, onGrid);
        return;
      case "BinaryExpr":
        walk(e.lhs, a, b, onGrid);
        walk(e.rhs, a, b, onGrid);
        return;
      case "UnaryExpr":
      case "ParenExpr":
        walk(e.expr, a, b, onGrid, func);
        return;
    }
  }

  walk(expr, evalStart, evalEnd, true);
  return [...plans.values()];
}
