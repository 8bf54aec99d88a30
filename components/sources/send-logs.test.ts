import { describe, expect, it } from "vitest";
import { curlExample, ingestEndpoints, shellQuote } from "./send-logs";

describe("send-logs help", () => {
  it("quotes for the shell", () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });

  it("builds a curl example for the origin and source", () => {
    const cmd = curlExample("https://logs.example.com/", "nginx prod");
    expect(cmd).toContain(`'https://logs.example.com/api/v1/logs?source=nginx%20prod'`);
    expect(cmd).toContain(`-H "Authorization: Bearer $LOOKOUT_API_KEY"`);
    expect(cmd.startsWith(`printf '%s\\n' '{"message":"GET /health 200 3ms"`)).toBe(true);
  });

  it("lists the HTTP endpoints with the source", () => {
    expect(ingestEndpoints("web").map((e) => e.path)).toEqual(["/api/v1/logs?source=web", "/_bulk?source=web", "/loki/api/v1/push?source=web", "/v1/logs?source=web"]);
  });
});
