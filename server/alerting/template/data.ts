/**
 * What templates see. Notification templates get Alertmanager's template data (`.Status`,
 * `.Receiver`, `.GroupLabels`, `.CommonLabels`, `.CommonAnnotations`, `.ExternalURL`, `.Alerts`
 * with `.Firing` / `.Resolved`; each alert's `.Status`, `.Labels`, `.Annotations`, `.StartsAt`,
 * `.EndsAt`, `.GeneratorURL`, `.Fingerprint`), built from a NotificationData. Rule annotation
 * templates get Prometheus's (`.Labels`, `.ExternalLabels`, `.ExternalURL`, `.Value`, bound to
 * `$labels`, `$externalLabels`, `$externalURL`, `$value`). Pure.
 */
import type { NotificationAlert, NotificationData } from "../notification";
import { GoTime, KV } from "./values";

export class TemplateAlert {
  static goType = "template.Alert";
  readonly Status: string;
  readonly Labels: KV;
  readonly Annotations: KV;
  readonly StartsAt: GoTime;
  readonly EndsAt: GoTime;
  readonly GeneratorURL: string;
  readonly Fingerprint: string;

  constructor(a: NotificationAlert) {
    this.Status = a.status;
    this.Labels = new KV(a.labels);
    this.Annotations = new KV(a.annotations);
    this.StartsAt = GoTime.parse(a.startsAt);
    this.EndsAt = GoTime.parse(a.endsAt);
    this.GeneratorURL = a.generatorURL;
    this.Fingerprint = a.fingerprint;
  }

  toJSON(): Record<string, unknown> {
    return {
      status: this.Status,
      labels: this.Labels,
      annotations: this.Annotations,
      startsAt: this.StartsAt,
      endsAt: this.EndsAt,
      generatorURL: this.GeneratorURL,
      fingerprint: this.Fingerprint,
    };
  }
}

/** The alert list, with Alertmanager's `.Firing` and `.Resolved`. */
export class AlertList extends Array<TemplateAlert> {
  static goType = "template.Alerts";
  static fromAlerts(items: Iterable<TemplateAlert>): AlertList {
    const out = new AlertList();
    for (const a of items) out.push(a);
    return out;
  }
  Firing(): AlertList {
    return AlertList.fromAlerts(this.filter((a) => a.Status === "firing"));
  }
  Resolved(): AlertList {
    return AlertList.fromAlerts(this.filter((a) => a.Status === "resolved"));
  }
}

export class TemplateData {
  static goType = "template.Data";
  readonly Receiver: string;
  readonly Status: string;
  readonly Alerts: AlertList;
  readonly GroupLabels: KV;
  readonly CommonLabels: KV;
  readonly CommonAnnotations: KV;
  readonly ExternalURL: string;
  /** Not in Alertmanager's template data, but handy in links and dedup keys. */
  readonly GroupKey: string;
  /** Alerts left out by `max_alerts`. */
  readonly TruncatedAlerts: bigint;

  constructor(d: NotificationData) {
    this.Receiver = d.receiver;
    this.Status = d.status;
    this.Alerts = AlertList.fromAlerts(d.alerts.map((a) => new TemplateAlert(a)));
    this.GroupLabels = new KV(d.groupLabels);
    this.CommonLabels = new KV(d.commonLabels);
    this.CommonAnnotations = new KV(d.commonAnnotations);
    this.ExternalURL = d.externalURL;
    this.GroupKey = d.groupKey;
    this.TruncatedAlerts = BigInt(d.truncatedAlerts);
  }

  toJSON(): Record<string, unknown> {
    return {
      receiver: this.Receiver,
      status: this.Status,
      alerts: this.Alerts,
      groupLabels: this.GroupLabels,
      commonLabels: this.CommonLabels,
      commonAnnotations: this.CommonAnnotations,
      externalURL: this.ExternalURL,
    };
  }
}

/** The data of a rule's annotation templates (Prometheus). */
export interface RuleTemplateInput {
  labels: Record<string, string>;
  /** The sample value of the series (NaN for no data). */
  value: number;
  externalLabels?: Record<string, string>;
  externalURL?: string;
}

export class RuleTemplateData {
  static goType = "template.ruleData";
  readonly Labels: KV;
  readonly ExternalLabels: KV;
  readonly ExternalURL: string;
  readonly Value: number;

  constructor(input: RuleTemplateInput) {
    this.Labels = new KV(input.labels);
    this.ExternalLabels = new KV(input.externalLabels ?? {});
    this.ExternalURL = input.externalURL ?? "";
    this.Value = input.value;
  }

  /** Prometheus's predefined variables. */
  vars(): Record<string, unknown> {
    return { $labels: this.Labels, $externalLabels: this.ExternalLabels, $externalURL: this.ExternalURL, $value: this.Value };
  }
}

export const RULE_TEMPLATE_VARS = ["$labels", "$externalLabels", "$externalURL", "$value"] as const;
