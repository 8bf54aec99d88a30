/**
 * A role's data-access filter on metrics (roles.data_filter.labelMatchers, e.g. `team="payments"`)
 * ANDed into every selection the caller makes: queries, series, label names and values.
 */
import type { Labels, Queryable, SelectHints, SeriesData, SeriesVisitor } from "@/server/metrics/model";
import type { LabelMatcher } from "@/server/metrics/promql/ast";
import { parseSeriesSelector } from "./params";

/** Parses filter entries (`team="payments"`, `env=~"prod|staging"`, or a whole `{…}` selector). */
export function parseFilterMatchers(entries: readonly string[]): LabelMatcher[] {
  return entries.flatMap((e) => {
    const text = e.trim();
    return text === "" ? [] : parseSeriesSelector(text.startsWith("{") ? text : `{${text}}`);
  });
}

export class FilteredQueryable implements Queryable {
  constructor(
    private readonly inner: Queryable,
    private readonly filter: LabelMatcher[],
  ) {}

  private sets(matcherSets: LabelMatcher[][]): LabelMatcher[][] {
    return matcherSets.length === 0 ? [this.filter] : matcherSets.map((s) => [...s, ...this.filter]);
  }

  select(matchers: LabelMatcher[], hints: SelectHints): Promise<SeriesData[]> {
    return this.inner.select([...matchers, ...this.filter], hints);
  }

  async selectEach(matchers: LabelMatcher[], hints: SelectHints, visitor: SeriesVisitor): Promise<void> {
    const all = [...matchers, ...this.filter];
    if (this.inner.selectEach) return this.inner.selectEach(all, hints, visitor);
    const selected = await this.inner.select(all, hints);
    visitor.begin?.(selected.map((s) => s.labels));
    for (const s of selected) visitor.visit(s);
  }

  series(matcherSets: LabelMatcher[][], start: number, end: number): Promise<Labels[]> {
    return this.inner.series(this.sets(matcherSets), start, end);
  }

  labelNames(matcherSets: LabelMatcher[][], start: number, end: number): Promise<string[]> {
    return this.inner.labelNames(this.sets(matcherSets), start, end);
  }

  labelValues(name: string, matcherSets: LabelMatcher[][], start: number, end: number): Promise<string[]> {
    return this.inner.labelValues(name, this.sets(matcherSets), start, end);
  }
}
