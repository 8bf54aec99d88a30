/**
 * The demo's two alert rules, over the demo shop's metrics (server/demo/shop-metrics.ts, scraped
 * by the `demo` job every 15 s) and timed against its incident schedule (server/demo/traffic.ts:
 * the card processor slows down at minutes 12–14 of every 20):
 *
 * - "Checkout error rate": the share of 5xx answers of checkout and payments, per service, over
 *   2 minutes, above 5% for 1 minute (critical). Outside incidents neither service answers 5xx
 *   (declined cards are 402), so it is 0; during one about half the payments time out (504).
 * - "Payment latency p99": the payments service's 99th percentile latency over 2 minutes above
 *   2 s for 1 minute (warning). Normally about 0.35 s; during an incident payments take 1.8–8 s.
 *
 * The 2-minute windows (rather than the usual 5) and the 1-minute `for` fit the 2-minute incident:
 * a scrape every 15 s and an evaluation every 30 s see it within 30 s, so both fire about a
 * minute and a half into it, and resolve a minute or two after it, once it has left the window
 * (demo-rules.test.ts runs them over the simulated shop, busy and quiet).
 *
 * Both are threshold rules (the console's form shows the expression and "is above"), and treat no
 * data as all clear: the first scrapes after a start give no rate yet, which is no incident.
 * Provisioned with the demo (source `builtin:demo`, folder "Lookout", read-only), removed with it.
 */
import { DEMO_JOB_NAME } from "@/server/demo/config";
import { RuleGroupSchema, type RuleGroup } from "../model";

const SHOP = `job="${DEMO_JOB_NAME}", service=~"checkout|payments"`;
const requests = (extra = "") => `sum by (service) (rate(http_requests_total{${SHOP}${extra}}[2m]))`;

/** 5xx share per service; 0 rather than nothing while a service has answered no 5xx yet. */
export const CHECKOUT_ERROR_RATIO = `(${requests(', status=~"5.."')} or 0 * ${requests()})\n  / ${requests()}`;

export const PAYMENT_LATENCY_P99 = `histogram_quantile(0.99, sum by (service, le) (rate(http_request_duration_seconds_bucket{job="${DEMO_JOB_NAME}", service="payments"}[2m])))`;

export const DEMO_RULE_GROUP: RuleGroup = RuleGroupSchema.parse({
  name: "Demo shop",
  interval: "30s",
  rules: [
    {
      uid: "demo-checkout-error-rate",
      title: "Checkout error rate",
      query: { kind: "promql", expr: CHECKOUT_ERROR_RATIO, condition: { op: ">", threshold: 0.05 } },
      for: "1m",
      labels: { severity: "critical", team: "shop" },
      annotations: {
        summary: "{{ $labels.service }} answers {{ $value | humanizePercentage }} of its requests with an error",
        description:
          "More than 5% of the demo shop's {{ $labels.service }} requests were answered with a 5xx over the last 5 minutes. In the demo the card processor slows down at minutes 12–14 of every 20 and payments time out (504).",
      },
      noDataState: "OK",
      execErrState: "Error",
    },
    {
      uid: "demo-payment-latency-p99",
      title: "Payment latency p99",
      query: { kind: "promql", expr: PAYMENT_LATENCY_P99, condition: { op: ">", threshold: 2 } },
      for: "1m",
      labels: { severity: "warning", team: "shop" },
      annotations: {
        summary: "Payments take {{ $value | humanizeDuration }} at the 99th percentile",
        description: "The 99th percentile latency of the demo shop's payments service has been above 2s for a minute (normally about 0.35s).",
      },
      noDataState: "OK",
      execErrState: "Error",
    },
  ],
});
