/**
 * The realistic log lines of the logs benches: nginx combined access lines (for a grok source)
 * and JSON app logs. `i` is the event number, `now` the epoch ms the timestamps count back from.
 */
const paths = ["/api/orders", "/api/cart", "/static/app.js", "/login", "/api/payments/charge", "/health", "/api/users/42", "/search?q=shoes&page=2"];
const agents = [
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
  "curl/7.88.1",
  "Go-http-client/1.1",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number) => String(n).padStart(2, "0");

export function nginxLine(i: number, now: number): string {
  const d = new Date(now - (i % 1000));
  const ts = `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
  const status = [200, 200, 200, 201, 304, 404, 500, 502][i % 8]!;
  return `10.${i % 7}.${(i * 13) % 255}.${(i * 7) % 255} - - [${ts}] "${i % 5 ? "GET" : "POST"} ${paths[i % paths.length]} HTTP/1.1" ${status} ${(i * 997) % 50000} "https://shop.example.com/" "${agents[i % agents.length]}"`;
}

export function appLine(i: number, now: number): string {
  const declined = i % 9 === 0;
  return JSON.stringify({
    "@timestamp": new Date(now - (i % 1000)).toISOString(),
    level: declined ? "error" : i % 4 ? "info" : "debug",
    service: ["checkout", "payments", "cart"][i % 3],
    host: `app-${i % 4}`,
    message: declined ? `card declined for order ${100000 + i}: insufficient funds` : `order ${100000 + i} processed in ${(i * 31) % 900}ms`,
    trace_id: ((i * 2654435761) >>> 0).toString(16).padStart(32, "0"),
    user: { id: i % 5000, tier: i % 5 ? "free" : "pro" },
    amount: ((i * 37) % 100000) / 100,
  });
}
