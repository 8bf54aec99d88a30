/**
 * The demo shop: a pure simulation of requests through nginx to the shop's services
 * (frontend, search, cart, auth, checkout → payments). `advance(from, to)` produces the requests
 * that arrived in that interval; rendering them as logs (render.ts) and counting them as metrics
 * (shop-metrics.ts) both read the same records, so the two always agree.
 */
import { Rng } from "./random";
import { diurnalFactor, incidentAt, type IncidentKind } from "./traffic";

export type ShopService = "frontend" | "search" | "cart" | "auth" | "checkout" | "payments";
export const PAYMENT_FAILURE_REASONS = ["card_declined", "insufficient_funds", "fraud_suspected", "upstream_timeout"] as const;
export type PaymentFailureReason = (typeof PAYMENT_FAILURE_REASONS)[number];

/** The payments service's call made by a checkout. */
export interface PaymentCall {
  host: string;
  status: number;
  durationMs: number;
  amountCents: number;
  failure: PaymentFailureReason | null;
}

/** One request as nginx saw it, with what the service behind it did. */
export interface ShopRequest {
  ts: number;
  traceId: string;
  clientIp: string;
  userAgent: string;
  referrer: string | null;
  userId: string | null;
  method: string;
  /** The path with its query, as in the access log. */
  path: string;
  /** The route template (metric label): `/products/:id`. */
  route: string;
  service: Exclude<ShopService, "payments">;
  /** The service instance (pod) that handled it. */
  host: string;
  nginxHost: string;
  status: number;
  durationMs: number;
  bytes: number;
  /** Set on checkouts that placed an order. */
  orderId: string | null;
  payment: PaymentCall | null;
  /** Search query, cart item, … (for the app log). */
  detail: Record<string, string | number>;
  incident: IncidentKind | null;
}

export interface SimulatorOptions {
  seed: number;
  /** Average requests per second (over a day; the daily curve varies it). */
  rate: number;
}

type Route = { weight: number; service: ShopRequest["service"]; method: string; route: string; medianMs: number };

const ROUTES: readonly Route[] = [
  { weight: 18, service: "frontend", method: "GET", route: "/", medianMs: 22 },
  { weight: 26, service: "frontend", method: "GET", route: "/products/:id", medianMs: 38 },
  { weight: 16, service: "search", method: "GET", route: "/api/search", medianMs: 75 },
  { weight: 11, service: "cart", method: "GET", route: "/api/cart", medianMs: 14 },
  { weight: 9, service: "cart", method: "POST", route: "/api/cart/items", medianMs: 27 },
  { weight: 6, service: "auth", method: "POST", route: "/api/login", medianMs: 110 },
  { weight: 5, service: "checkout", method: "POST", route: "/api/checkout", medianMs: 180 },
];

const PODS: Record<ShopService, readonly string[]> = {
  frontend: ["frontend-6d4f9-2xkcp", "frontend-6d4f9-8qzrt"],
  search: ["search-7b8c5-k2m9d"],
  cart: ["cart-5f6d7-x7wpl", "cart-5f6d7-r4tnb"],
  auth: ["auth-84c9b-lq2vs"],
  checkout: ["checkout-69d7f-tz8hn", "checkout-69d7f-m3c4q"],
  payments: ["payments-7c5b6-vw9jd"],
};
const NGINX = ["nginx-1", "nginx-2"];
const USER_AGENTS = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0",
  "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36",
];
const SEARCHES = ["running shoes", "rain jacket", "espresso machine", "usb-c cable", "yoga mat", "headphones", "desk lamp", "backpack"];
/** Documentation address ranges (RFC 5737), so no real address appears. */
const CLIENT_NETS = ["192.0.2.", "198.51.100.", "203.0.113."];
const PAYMENT_TIMEOUT_MS = 5000;

export class ShopSimulator {
  private readonly rng: Rng;
  private readonly rate: number;
  private orderSeq = 0;

  constructor(opts: SimulatorOptions) {
    this.rng = new Rng(opts.seed);
    this.rate = opts.rate;
  }

  /** Expected requests per second at `ts` (the daily curve; incidents do not change arrivals). */
  rateAt(ts: number): number {
    return this.rate * diurnalFactor(ts);
  }

  /** The requests that arrived in [fromMs, toMs), oldest first. */
  advance(fromMs: number, toMs: number): ShopRequest[] {
    const out: ShopRequest[] = [];
    for (let sec = fromMs; sec < toMs; sec += 1000) {
      const span = Math.min(1000, toMs - sec);
      const n = this.rng.poisson((this.rateAt(sec) * span) / 1000);
      const arrivals = Array.from({ length: n }, () => sec + Math.floor(this.rng.next() * span)).sort((a, b) => a - b);
      for (const ts of arrivals) out.push(this.request(ts));
    }
    return out;
  }

  private request(ts: number): ShopRequest {
    const r = this.rng;
    const route = r.weighted(ROUTES);
    const incident = incidentAt(ts);
    const signedIn = route.service === "checkout" || route.route === "/api/cart/items" || r.chance(0.55);
    const req: ShopRequest = {
      ts,
      traceId: r.hex(32),
      clientIp: r.pick(CLIENT_NETS) + r.int(2, 254),
      userAgent: r.pick(USER_AGENTS),
      referrer: r.chance(0.6) ? "https://shop.example/" : null,
      userId: signedIn ? `u-${r.int(1000, 1499)}` : null,
      method: route.method,
      path: route.route,
      route: route.route,
      service: route.service,
      host: r.pick(PODS[route.service]),
      nginxHost: r.pick(NGINX),
      status: 200,
      durationMs: Math.max(1, Math.round(r.logNormal(route.medianMs, 0.45))),
      bytes: 0,
      orderId: null,
      payment: null,
      detail: {},
      incident,
    };
    switch (route.route) {
      case "/":
        req.bytes = r.int(14_000, 16_000);
        break;
      case "/products/:id": {
        const id = r.int(1, 400);
        req.path = `/products/${id}`;
        req.detail = { product_id: id };
        if (r.chance(0.04)) {
          req.status = 404;
          req.bytes = 153;
        } else req.bytes = r.int(20_000, 34_000);
        break;
      }
      case "/api/search": {
        const q = r.pick(SEARCHES);
        req.path = `/api/search?q=${encodeURIComponent(q)}`;
        if (incident === "search-errors" && r.chance(0.35)) {
          req.status = 503;
          req.durationMs = r.int(1000, 1500);
          req.bytes = 97;
          req.detail = { query: q };
        } else {
          const hits = r.int(0, 60);
          req.bytes = 400 + hits * 310;
          req.detail = { query: q, hits };
        }
        break;
      }
      case "/api/cart":
        req.bytes = r.int(300, 2400);
        break;
      case "/api/cart/items": {
        const item = r.int(1, 400);
        req.detail = { product_id: item, quantity: r.int(1, 3) };
        req.status = 201;
        req.bytes = r.int(200, 600);
        break;
      }
      case "/api/login":
        if (r.chance(0.06)) {
          req.status = 401;
          req.userId = null;
          req.bytes = 64;
        } else req.bytes = 310;
        break;
      case "/api/checkout":
        this.checkout(req);
        break;
    }
    return req;
  }

  private checkout(req: ShopRequest): void {
    const r = this.rng;
    const slow = req.incident === "payments-latency";
    const amountCents = r.int(899, 24_999);
    let duration = slow ? r.int(1800, 8000) : Math.max(20, Math.round(r.logNormal(140, 0.4)));
    let failure: PaymentFailureReason | null = null;
    let status = 200;
    if (duration >= PAYMENT_TIMEOUT_MS || (slow && r.chance(0.2))) {
      duration = Math.max(duration, PAYMENT_TIMEOUT_MS);
      failure = "upstream_timeout";
      status = 504;
    } else {
      const roll = r.next();
      if (roll < 0.03) failure = "card_declined";
      else if (roll < 0.04) failure = "insufficient_funds";
      else if (roll < 0.043) failure = "fraud_suspected";
      if (failure) status = 402;
    }
    req.payment = { host: r.pick(PODS.payments), status, durationMs: duration, amountCents, failure };
    req.durationMs += duration;
    if (failure === "upstream_timeout") {
      req.status = 504;
      req.bytes = 160;
    } else if (failure) {
      req.status = 402;
      req.bytes = 120;
    } else {
      this.orderSeq++;
      req.orderId = `ord-${(req.ts % 1e9).toString(36)}-${this.orderSeq}`;
      req.status = 201;
      req.bytes = r.int(500, 900);
    }
    req.detail = { items: r.int(1, 5), amount_cents: amountCents };
  }
}
