/**
 * SEAMS of the alerting workers: the modules they are wired to at merge, in one place.
 *
 * - `renderRuleTemplate`: the rule template engine (labels and annotations of alert instances),
 *   server/alerting/template/ `expandRuleTemplate` adapted to annotations.ts's RenderTemplate.
 * - `deliver`: delivery through one receiver integration, server/alerting/channels/ (its
 *   `sendIntegration`), with the notification's dedup key passed on (e.g. as an
 *   `Idempotency-Key` header).
 * - `buildNotification`: the notification payload, server/alerting/notification.ts
 *   `buildNotification` (same signature as notify-types.ts's BuildNotification).
 *
 * Until then these stand-ins make the gap visible instead of hiding it: templates expand to
 * Prometheus's `<error expanding template: …>` text and deliveries fail without retries (the
 * delivery log says why).
 */
import type { RenderTemplate } from "@/server/alerting/annotations";
import { buildNotificationData, type BuildNotification, type Deliver } from "@/server/alerting/notify-types";

export const renderRuleTemplate: RenderTemplate = () => ({ ok: false, error: "the template engine is not wired into the workers (workers/alerting-deps.ts)" });

export const deliver: Deliver = async (integration) => ({
  ok: false,
  retryable: false,
  error: `${integration.type} delivery is not wired into the workers (workers/alerting-deps.ts)`,
  requestSummary: `${integration.type}: not sent`,
});

export const buildNotification: BuildNotification = buildNotificationData;
