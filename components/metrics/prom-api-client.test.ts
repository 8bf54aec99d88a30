import { describe, expect, it, vi } from "vitest";
import { createPromClient, parseSampleValue, PromApiError, toPromTime, type FetchLike } from "./prom-api-client";

function fakeFetch(status: number, body: unknown, contentType = "application/json") {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  return vi.fn<FetchLike>(async () => new Response(text, { status, headers: { "content-type": contentType } }));
}

async function rejection(p: Promise<unknown>): Promise<PromApiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof PromApiError) return err;
    throw err;
  }
  throw new Error("expected a PromApiError");
}

describe("createPromClient", () => {
  it("runs an instant query with GET and returns data, warnings and infos", async () => {
    const data = { resultType: "vector", result: [{ metric: { __name__: "up", job: "node" }, value: [1714571100, "1"] }] };
    const f = fakeFetch(200, { status: "success", data, warnings: ["w1"] });
    const client = createPromClient({ fetch: f });
    const res = await client.query({ query: 'up{job="node"}', time: 1714571100_500 });
    expect(res).toEqual({ data, warnings: ["w1"], infos: [] });
    const [url, init] = f.mock.calls[0]!;
    expect(init?.method).toBe("GET");
    expect(init?.credentials).toBe("same-origin");
    const u = new URL(url, "http://x");
    expect(u.pathname).toBe("/api/v1/query");
    expect(u.searchParams.get("query")).toBe('up{job="node"}');
    expect(u.searchParams.get("time")).toBe("1714571100.5");
  });

  it("sends range queries with start, end and step in seconds", async () => {
    const f = fakeFetch(200, { status: "success", data: { resultType: "matrix", result: [] } });
    await createPromClient({ fetch: f, baseUrl: "http://lookout:3000/" }).queryRange({ query: "up", start: new Date(1_000_000), end: 2_000_000, stepSeconds: 15 });
    const u = new URL(f.mock.calls[0]![0]);
    expect(u.origin + u.pathname).toBe("http://lookout:3000/api/v1/query_range");
    expect(Object.fromEntries(u.searchParams)).toEqual({ query: "up", start: "1000", end: "2000", step: "15" });
  });

  it("switches to a form POST for long requests", async () => {
    const f = fakeFetch(200, { status: "success", data: { resultType: "vector", result: [] } });
    const query = `sum(rate(x{a="${"y".repeat(200)}"}[5m]))`;
    await createPromClient({ fetch: f, maxGetUrlLength: 100 }).query({ query });
    const [url, init] = f.mock.calls[0]!;
    expect(url).toBe("/api/v1/query");
    expect(init?.method).toBe("POST");
    expect((init?.headers as Record<string, string>)["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(new URLSearchParams(init?.body as string).get("query")).toBe(query);
  });

  it("repeats match[] and encodes label names in the path", async () => {
    const f = fakeFetch(200, { status: "success", data: ["a", "b"] });
    const client = createPromClient({ fetch: f });
    expect((await client.labelValues("__name__", { match: ["up", 'x{a="b"}'] })).data).toEqual(["a", "b"]);
    const u = new URL(f.mock.calls[0]![0], "http://x");
    expect(u.pathname).toBe("/api/v1/label/__name__/values");
    expect(u.searchParams.getAll("match[]")).toEqual(["up", 'x{a="b"}']);
    await client.labelValues("a/b");
    expect(f.mock.calls[1]![0]).toBe("/api/v1/label/a%2Fb/values");
    await client.labels();
    expect(f.mock.calls[2]![0]).toBe("/api/v1/labels");
    await client.metadata({ metric: "up" });
    expect(f.mock.calls[3]![0]).toBe("/api/v1/metadata?metric=up");
  });

  it("throws the server's errorType and error", async () => {
    const f = fakeFetch(400, { status: "error", errorType: "bad_data", error: 'parse error at char 5: unexpected "}"' });
    const err = await rejection(createPromClient({ fetch: f }).query({ query: "up}" }));
    expect(err.errorType).toBe("bad_data");
    expect(err.error).toBe('parse error at char 5: unexpected "}"');
    expect(err.status).toBe(400);
    expect(err.message).toBe('bad_data: parse error at char 5: unexpected "}"');
  });

  it("reports a non-JSON answer as bad_response with the HTTP status", async () => {
    const err = await rejection(createPromClient({ fetch: fakeFetch(502, "<html>Bad gateway</html>", "text/html") }).labels());
    expect(err.errorType).toBe("bad_response");
    expect(err.status).toBe(502);
    expect(err.error).toContain("HTTP 502");
    expect(err.error).toContain("Bad gateway");
  });

  it("reports a JSON answer without the envelope (e.g. 401 from the auth layer) as bad_response", async () => {
    const err = await rejection(createPromClient({ fetch: fakeFetch(401, { error: "Not signed in" }) }).labels());
    expect(err).toMatchObject({ errorType: "bad_response", error: "Not signed in", status: 401 });
  });

  it("reports transport failures as network errors and lets aborts through", async () => {
    const failing: FetchLike = async () => {
      throw new TypeError("Failed to fetch");
    };
    const err = await rejection(createPromClient({ fetch: failing }).buildInfo());
    expect(err).toMatchObject({ errorType: "network", status: 0 });
    const aborting: FetchLike = async () => {
      throw new DOMException("aborted", "AbortError");
    };
    await expect(createPromClient({ fetch: aborting }).buildInfo()).rejects.toMatchObject({ name: "AbortError" });
  });
});

describe("sample values and times", () => {
  it("parses Prometheus value strings", () => {
    expect(parseSampleValue("1.5")).toBe(1.5);
    expect(parseSampleValue("+Inf")).toBe(Infinity);
    expect(parseSampleValue("-Inf")).toBe(-Infinity);
    expect(parseSampleValue("NaN")).toBeNaN();
    expect(parseSampleValue("1e3")).toBe(1000);
  });
  it("writes unix seconds", () => {
    expect(toPromTime(new Date(1714571100123))).toBe("1714571100.123");
    expect(toPromTime(0)).toBe("0");
  });
});
