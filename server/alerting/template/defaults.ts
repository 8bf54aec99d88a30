/**
 * Lookout's default notification templates, as named templates a user's own template can call
 * (`{{ template "slack.default.text" . }}`; the names match Alertmanager's where it has one, so
 * configurations written for Alertmanager keep working):
 *
 *   __subject                  [FIRING:2] HighErrorRate (api prod)
 *   default.title / default.text          plain title and body
 *   email.default.subject / .html / .text the email
 *   slack.default.title / .titlelink / .text / .fallback / .color
 *   pagerduty.default.description / .client / .clientURL / .instances
 *
 * Each lists the firing and the resolved alerts with their summary, description, value (the
 * `value` annotation, when the rule sets one), labels, other annotations, since when, the runbook
 * and the source link, and links to Lookout (`.ExternalURL`).
 */

/** The field templates channels use when the configuration sets none. */
export const DEFAULT_TITLE = '{{ template "default.title" . }}';
export const DEFAULT_TEXT = '{{ template "default.text" . }}';
export const DEFAULT_EMAIL_SUBJECT = '{{ template "email.default.subject" . }}';
export const DEFAULT_EMAIL_HTML = '{{ template "email.default.html" . }}';
export const DEFAULT_EMAIL_TEXT = '{{ template "email.default.text" . }}';
export const DEFAULT_SLACK_TITLE = '{{ template "slack.default.title" . }}';
export const DEFAULT_SLACK_TITLE_LINK = '{{ template "slack.default.titlelink" . }}';
export const DEFAULT_SLACK_TEXT = '{{ template "slack.default.text" . }}';
export const DEFAULT_SLACK_FALLBACK = '{{ template "slack.default.fallback" . }}';
export const DEFAULT_SLACK_COLOR = '{{ template "slack.default.color" . }}';
export const DEFAULT_PAGERDUTY_DESCRIPTION = '{{ template "pagerduty.default.description" . }}';
export const DEFAULT_PAGERDUTY_CLIENT = '{{ template "pagerduty.default.client" . }}';
export const DEFAULT_PAGERDUTY_CLIENT_URL = '{{ template "pagerduty.default.clientURL" . }}';
export const DEFAULT_PAGERDUTY_DETAILS: Record<string, string> = {
  firing: '{{ template "pagerduty.default.instances" .Alerts.Firing }}',
  resolved: '{{ template "pagerduty.default.instances" .Alerts.Resolved }}',
  num_firing: "{{ .Alerts.Firing | len }}",
  num_resolved: "{{ .Alerts.Resolved | len }}",
};

/** Annotations shown in their own place, not in the "other annotations" list. */
const SHOWN = "^(summary|description|message|runbook_url|runbook|value)$";

export const DEFAULT_TEMPLATE_SOURCE = `
{{- /* ---------------------------------------------------------------- shared pieces */ -}}

{{ define "__group_name" -}}
  {{- with .CommonLabels.alertname }}{{ . }}{{ else }}{{ with .GroupLabels.alertname }}{{ . }}{{ else }}Alerts{{ end }}{{ end -}}
  {{- with .GroupLabels.Remove (stringSlice "alertname") }} ({{ .Values | join " " }}){{ end -}}
{{- end }}

{{ define "__subject" -}}
  [{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ template "__group_name" . }}
{{- end }}

{{ define "__alerting_url" }}{{ .ExternalURL }}/alerting{{ end }}

{{ define "__alert_summary" -}}
  {{- with .Annotations.summary }}{{ . }}{{ else }}{{ with .Annotations.message }}{{ . }}{{ else }}{{ .Labels.alertname }}{{ end }}{{ end -}}
{{- end }}

{{ define "__alert_when" -}}
  {{- if eq .Status "resolved" -}}
    resolved at {{ .EndsAt.Format "2006-01-02 15:04:05 MST" }} (fired at {{ .StartsAt.Format "2006-01-02 15:04:05 MST" }})
  {{- else -}}
    firing since {{ .StartsAt.Format "2006-01-02 15:04:05 MST" }} ({{ since .StartsAt | humanizeDuration }})
  {{- end -}}
{{- end }}

{{- /* ---------------------------------------------------------------- plain text */ -}}

{{ define "__text_alert" -}}
- {{ template "__alert_summary" . }}
  {{ template "__alert_when" . }}
{{- with .Annotations.description }}
  {{ . }}{{ end }}
{{- with .Annotations.value }}
  Value: {{ . }}{{ end }}
  Labels:{{ range .Labels.SortedPairs }} {{ .Name }}={{ .Value }}{{ end }}
{{- range .Annotations.SortedPairs }}{{ if not (match "${SHOWN}" .Name) }}
  {{ .Name }}: {{ .Value }}{{ end }}{{ end }}
{{- with (or .Annotations.runbook_url .Annotations.runbook) }}
  Runbook: {{ . }}{{ end }}
{{- with .GeneratorURL }}
  Source: {{ . }}{{ end }}
{{- end }}

{{ define "__text_alert_list" }}{{ range . }}{{ template "__text_alert" . }}
{{ end }}{{ end }}

{{ define "default.title" }}{{ template "__subject" . }}{{ end }}

{{ define "default.text" -}}
{{ if .Alerts.Firing -}}
Firing ({{ .Alerts.Firing | len }}):
{{ template "__text_alert_list" .Alerts.Firing }}
{{ end -}}
{{ if .Alerts.Resolved -}}
Resolved ({{ .Alerts.Resolved | len }}):
{{ template "__text_alert_list" .Alerts.Resolved }}
{{ end -}}
{{ if gt .TruncatedAlerts 0 -}}
…and {{ .TruncatedAlerts }} more.

{{ end -}}
Open in Lookout: {{ template "__alerting_url" . }}
{{- end }}

{{- /* ---------------------------------------------------------------- email */ -}}

{{ define "email.default.subject" }}{{ template "__subject" . }}{{ end }}

{{ define "email.default.text" }}{{ template "default.text" . }}
{{ end }}

{{ define "__html_alert" -}}
<tr><td style="padding:12px 16px;border-top:1px solid #e5e7eb;">
  <div style="font-weight:600;font-size:15px;color:#111827;">{{ template "__alert_summary" . }}</div>
  <div style="color:#6b7280;font-size:13px;margin-top:2px;">{{ template "__alert_when" . }}</div>
  {{- with .Annotations.description }}
  <div style="margin-top:8px;color:#111827;">{{ . }}</div>
  {{- end }}
  {{- with .Annotations.value }}
  <div style="margin-top:8px;"><strong>Value:</strong> {{ . }}</div>
  {{- end }}
  <div style="margin-top:8px;font-size:13px;">
    {{- range .Labels.SortedPairs }}<span style="display:inline-block;margin:2px 4px 2px 0;padding:1px 6px;border-radius:4px;background:#f3f4f6;font-family:monospace;">{{ .Name }}={{ .Value }}</span>{{ end -}}
  </div>
  {{- range .Annotations.SortedPairs }}{{ if not (match "${SHOWN}" .Name) }}
  <div style="margin-top:4px;font-size:13px;"><strong>{{ .Name }}:</strong> {{ .Value }}</div>
  {{- end }}{{ end }}
  {{- if or .Annotations.runbook_url .Annotations.runbook .GeneratorURL }}
  <div style="margin-top:8px;font-size:13px;">
    {{- with (or .Annotations.runbook_url .Annotations.runbook) }}<a href="{{ . }}" style="color:#2563eb;">Runbook</a>{{ if $.GeneratorURL }} · {{ end }}{{ end -}}
    {{- with .GeneratorURL }}<a href="{{ . }}" style="color:#2563eb;">Source</a>{{ end -}}
  </div>
  {{- end }}
</td></tr>
{{- end }}

{{ define "__html_section" -}}
{{- /* dot: (args "Firing" <alerts> "#dc2626") */ -}}
<tr><td style="padding:10px 16px;background:#f9fafb;font-weight:600;color:{{ .arg2 }};">{{ .arg0 }} ({{ len .arg1 }})</td></tr>
{{ range .arg1 }}{{ template "__html_alert" . }}
{{ end }}
{{- end }}

{{ define "email.default.html" -}}
<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>{{ template "__subject" . }}</title></head>
<body style="margin:0;padding:24px;background:#f3f4f6;font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;font-size:14px;line-height:1.4;">
<table role="presentation" width="100%" cellspacing="0" cellpadding="0" style="max-width:680px;margin:0 auto;background:#ffffff;border:1px solid #e5e7eb;border-radius:8px;border-collapse:separate;">
<tr><td style="padding:16px;border-bottom:4px solid {{ if eq .Status "firing" }}#dc2626{{ else }}#16a34a{{ end }};">
  <div style="font-size:18px;font-weight:600;color:#111827;">{{ template "__subject" . }}</div>
  {{- with .CommonAnnotations.summary }}
  <div style="margin-top:4px;color:#374151;">{{ . }}</div>
  {{- end }}
</td></tr>
{{ if .Alerts.Firing }}{{ template "__html_section" (args "Firing" .Alerts.Firing "#dc2626") }}{{ end -}}
{{ if .Alerts.Resolved }}{{ template "__html_section" (args "Resolved" .Alerts.Resolved "#16a34a") }}{{ end -}}
{{ if gt .TruncatedAlerts 0 }}<tr><td style="padding:12px 16px;color:#6b7280;">…and {{ .TruncatedAlerts }} more.</td></tr>
{{ end -}}
<tr><td style="padding:16px;border-top:1px solid #e5e7eb;font-size:13px;color:#6b7280;">
  <a href="{{ template "__alerting_url" . }}" style="color:#2563eb;">Open in Lookout</a> · sent to {{ .Receiver }}
</td></tr>
</table>
</body>
</html>
{{ end }}

{{- /* ---------------------------------------------------------------- Slack */ -}}

{{ define "slack.default.title" }}{{ template "__subject" . }}{{ end }}
{{ define "slack.default.titlelink" }}{{ template "__alerting_url" . }}{{ end }}
{{ define "slack.default.fallback" }}{{ template "__subject" . }} | {{ template "__alerting_url" . }}{{ end }}
{{ define "slack.default.color" }}{{ if eq .Status "firing" }}danger{{ else }}good{{ end }}{{ end }}

{{ define "__slack_alert" -}}
*{{ if eq .Status "firing" }}Firing{{ else }}Resolved{{ end }}: {{ template "__alert_summary" . }}*
{{- with .Annotations.description }}
{{ . }}{{ end }}
{{- with .Annotations.value }}
*Value:* {{ . }}{{ end }}
*Labels:*{{ range .Labels.SortedPairs }} \`{{ .Name }}={{ .Value }}\`{{ end }}
_{{ template "__alert_when" . }}_
{{- if or .Annotations.runbook_url .Annotations.runbook .GeneratorURL }}
{{ with (or .Annotations.runbook_url .Annotations.runbook) }}<{{ . }}|Runbook>{{ if $.GeneratorURL }} · {{ end }}{{ end }}{{ with .GeneratorURL }}<{{ . }}|Source>{{ end }}
{{- end }}
{{- end }}

{{ define "slack.default.text" -}}
{{ range $i, $a := .Alerts }}{{ if $i }}

{{ end }}{{ template "__slack_alert" $a }}{{ end }}
{{- if gt .TruncatedAlerts 0 }}

…and {{ .TruncatedAlerts }} more.{{ end }}
{{- end }}

{{- /* ---------------------------------------------------------------- PagerDuty */ -}}

{{ define "pagerduty.default.description" }}{{ template "__subject" . }}{{ end }}
{{ define "pagerduty.default.client" }}Lookout{{ end }}
{{ define "pagerduty.default.clientURL" }}{{ template "__alerting_url" . }}{{ end }}
{{ define "pagerduty.default.instances" }}{{ template "__text_alert_list" . }}{{ end }}
`;
