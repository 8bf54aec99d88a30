import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { TRPCProvider } from "@/components/providers/trpc";
import { ALL_VALUE, DashboardSchema, VariableSchema, type Target, type Variable } from "@/server/dashboards/model";
import { resolveVariables, type VariableOptionsInput } from "@/server/dashboards/variables";
import type { AppRouter } from "@/server/trpc/root";
import { createTargetPreparer, fetchedFromState, useDashboardVariables, variableViews, type DashboardVariables } from "./useDashboardVariables";

const v = (x: Record<string, unknown>): Variable => VariableSchema.parse(x);
const range = { start: 0, end: 6 * 3_600_000 };

const chain = [
  v({ type: "query", name: "region", query: "label_values(up, region)", current: { value: "eu" } }),
  v({ type: "query", name: "cluster", query: 'label_values(up{region="$region"}, cluster)', multi: true, includeAll: true, current: { value: ["c2"] } }),
  v({ type: "query", name: "node", query: 'label_values(up{cluster=~"$cluster"}, node)' }),
];
const table: Record<string, string[]> = {
  "label_values(up, region)": ["eu", "us"],
  'label_values(up{region="eu"}, cluster)': ["c1", "c2"],
  'label_values(up{region="us"}, cluster)': ["c3"],
  'label_values(up{cluster=~"c2"}, node)': ["n2a", "n2b"],
  'label_values(up{cluster=~"c3"}, node)': ["n3"],
};

describe("fetchedFromState", () => {
  it("maps the query cache's states", () => {
    expect(fetchedFromState(undefined)).toEqual({ loading: true });
    expect(fetchedFromState({ status: "pending", fetchStatus: "fetching", data: undefined, error: null })).toEqual({ loading: true });
    expect(fetchedFromState({ status: "success", fetchStatus: "idle", data: { options: [{ text: "a", value: "a" }] }, error: null })).toEqual({ loading: false, options: [{ text: "a", value: "a" }] });
    expect(fetchedFromState({ status: "error", fetchStatus: "idle", data: undefined, error: { message: "bad query" } })).toEqual({ loading: false, error: "bad query", options: undefined });
  });
});

describe("resolution over a real query cache (what the hook's re-renders do)", () => {
  /** Walk, fetch what the walk asks for, walk again, until nothing new is asked: the hook's render loop. */
  async function settle(urlValues: Record<string, string[]>, qc = new QueryClient({ defaultOptions: { queries: { retry: false } } })) {
    const asked: string[] = [];
    for (let round = 0; round < 10; round++) {
      const states = resolveVariables(chain, { urlValues, range, fetched: (input) => fetchedFromState(qc.getQueryState(["vo", input])) });
      const missing = states.flatMap((s) => (s.input && !qc.getQueryState(["vo", s.input]) ? [s.input] : []));
      if (missing.length === 0) return { states, asked, rounds: round };
      for (const input of missing) {
        asked.push(input.query);
        await qc
          .fetchQuery({
            queryKey: ["vo", input],
            queryFn: async () => {
              const vals = table[input.query];
              if (!vals) throw new Error(`no such query: ${input.query}`);
              return { options: vals.map((x) => ({ text: x, value: x })) };
            },
          })
          .catch(() => undefined);
      }
    }
    throw new Error("did not settle");
  }

  it("fetches one level of the chain per round, each with its parent's resolved value", async () => {
    const { states, asked, rounds } = await settle({});
    expect(rounds).toBe(3);
    expect(asked).toEqual(["label_values(up, region)", 'label_values(up{region="eu"}, cluster)', 'label_values(up{cluster=~"c2"}, node)']);
    expect(states.map((s) => s.selected)).toEqual([["eu"], ["c2"], ["n2a"]]);
  });

  it("a parent's new value re-asks the children; their selections re-resolve", async () => {
    const { states, asked } = await settle({ region: ["us"], node: ["n2b"] });
    expect(asked).toEqual(["label_values(up, region)", 'label_values(up{region="us"}, cluster)', 'label_values(up{cluster=~"c3"}, node)']);
    expect(states.map((s) => s.selected)).toEqual([["us"], [ALL_VALUE], ["n3"]]);
  });

  it("a failed child query keeps the wanted selection and says why", async () => {
    const { states } = await settle({ cluster: ["c1", "c2", "c9"] });
    expect(states[1]!.selected).toEqual(["c1", "c2"]);
    expect(states[2]).toMatchObject({ error: 'no such query: label_values(up{cluster=~"(c1|c2)"}, node)', selected: [], loading: false });
  });
});

describe("variableViews", () => {
  it("puts All first when included and shows the selection while loading", () => {
    const states = resolveVariables(chain, { urlValues: { cluster: ["c1", "c2"] }, range, fetched: () => ({ loading: true }) });
    const views = variableViews(states);
    expect(views.map((x) => [x.variable.name, x.options.map((o) => o.value), x.selected, x.loading])).toEqual([
      ["region", ["eu"], ["eu"], true],
      ["cluster", [ALL_VALUE, "c1", "c2"], ["c1", "c2"], true],
      ["node", [], [], true],
    ]);
  });

  it("lists loaded options", () => {
    const states = resolveVariables(chain.slice(0, 1), { urlValues: {}, range, fetched: () => ({ loading: false, options: [{ text: "EU", value: "eu" }] }) });
    expect(variableViews(states)[0]).toMatchObject({ options: [{ text: "EU", value: "eu" }], selected: ["eu"], loading: false });
  });
});

describe("createTargetPreparer", () => {
  const targets: Target[] = [{ kind: "promql", refId: "A", expr: 'up{job="$job"}', instant: false, hide: false }];
  const values = new Map([["job", { value: "api" }]]);

  it("gives the same array for the same inputs and a new one when they change", () => {
    const prepare = createTargetPreparer(values, "d");
    const a = prepare(targets, {}, range, 15_000);
    expect(a).toEqual([{ ...targets[0], expr: 'up{job="api"}' }]);
    expect(prepare(structuredClone(targets), {}, { ...range }, 15_000)).toBe(a);
    expect(prepare(targets, { job: "web" }, range, 15_000)).not.toBe(a);
    expect(prepare(targets, { job: "web" }, range, 15_000)[0]).toMatchObject({ expr: 'up{job="web"}' });
    expect(prepare(targets, {}, range, 30_000)).not.toBe(a);
  });
});

describe("useDashboardVariables (rendered once on the server, cache pre-filled)", () => {
  function render(urlSearch: string, variables: Variable[], fill: (input: VariableOptionsInput) => string[] | undefined) {
    const queryClient = new QueryClient();
    const trpcClient = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: "http://127.0.0.1:1/none", transformer: superjson })] });
    // The options procedure is another module's; its key is built the way the hook builds it.
    const proxy = createTRPCOptionsProxy<AppRouter>({ client: trpcClient, queryClient }) as unknown as { panels: { variableOptions: { queryKey: (i: VariableOptionsInput) => readonly unknown[] } } };
    const fillAll = () => {
      for (let i = 0; i < 5; i++) {
        const states = resolveVariables(variables, { urlValues: Object.fromEntries([...new URLSearchParams(urlSearch)].filter(([k]) => k.startsWith("var-")).map(([k, val]) => [k.slice(4), [val]])), range, fetched: (input) => fetchedFromState(queryClient.getQueryState(proxy.panels.variableOptions.queryKey(input))) });
        for (const s of states) {
          if (!s.input) continue;
          const vals = fill(s.input);
          if (vals) queryClient.setQueryData(proxy.panels.variableOptions.queryKey(s.input), { options: vals.map((x) => ({ text: x, value: x })) });
        }
      }
    };
    fillAll();
    let result: DashboardVariables | undefined;
    const edits: string[] = [];
    function Probe() {
      result = useDashboardVariables(DashboardSchema.parse({ schemaVersion: 1, title: "Hosts", variables }), range, new URLSearchParams(urlSearch), (edit) => {
        const p = new URLSearchParams(urlSearch);
        edit(p);
        edits.push(p.toString());
      });
      return null;
    }
    renderToString(createElement(QueryClientProvider, { client: queryClient }, createElement(TRPCProvider, { trpcClient, queryClient, children: createElement(Probe) })));
    return { result: result!, edits };
  }

  it("reads the cache with the procedure's keys, the URL's values, and interpolates", () => {
    const { result } = render("from=now-6h&var-region=us", chain, (input) => table[input.query]);
    expect(result.views.map((x) => [x.variable.name, x.selected, x.loading])).toEqual([
      ["region", ["us"], false],
      ["cluster", [ALL_VALUE], false],
      ["node", ["n3"], false],
    ]);
    expect(result.repeatValues).toEqual({ region: ["us"], cluster: ["c3"], node: ["n3"] });
    expect(result.interpolateText("$__dashboard: $region / $cluster", {})).toBe("Hosts: us / All");
    expect(result.prepareTargets([{ kind: "promql", refId: "A", expr: 'up{node="$node", cluster=~"$cluster"}[$__interval]', instant: false, hide: false }], { node: "n9" }, range, 60_000)).toEqual([
      { kind: "promql", refId: "A", expr: 'up{node="n9", cluster=~"c3"}[1m]', instant: false, hide: false },
    ]);
    expect(result.intervalFor(DashboardSchema.parse({ schemaVersion: 1, title: "x", panels: [{ id: 1, type: "timeseries", gridPos: { x: 0, y: 0, w: 1, h: 1 } }] }).panels[0] as never, 6 * 3_600_000, 720)).toBe(30_000);
  });

  it("setValues writes var- parameters, keeping the rest", () => {
    const { result, edits } = render("from=now-6h&var-region=us", chain, (input) => table[input.query]);
    result.setValues("cluster", ["c1", "c2"]);
    result.setValues("region", "eu");
    expect(edits).toEqual(["from=now-6h&var-region=us&var-cluster=c1&var-cluster=c2", "from=now-6h&var-region=eu"]);
  });

  it("shows loading for options not in the cache yet", () => {
    const { result } = render("", chain, (input) => (input.query === "label_values(up, region)" ? table[input.query] : undefined));
    expect(result.views.map((x) => [x.variable.name, x.loading])).toEqual([
      ["region", false],
      ["cluster", true],
      ["node", true],
    ]);
  });
});
