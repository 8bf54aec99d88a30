/**
 * Renders a channel's message fields: the configured template when there is one, else (or when it
 * fails) our default, collecting what failed so the send result — and the message itself — can
 * say so.
 */
import type { NotificationData } from "../notification";
import { renderWithFallback } from "../template";
import type { ChannelContext } from "./types";

export class FieldRenderer {
  readonly errors: string[] = [];

  constructor(
    private readonly data: NotificationData,
    private readonly ctx: ChannelContext,
  ) {}

  /** `custom` (a template) or `fallback` (one of ours) rendered over the notification. */
  field(name: string, custom: string | undefined, fallback: string, opts: { html?: boolean } = {}): string {
    const r = renderWithFallback(custom, fallback, this.data, { name, html: opts.html, now: this.ctx.now });
    if (r.error) this.errors.push(`${name}: ${r.error.message}`);
    return r.text;
  }

  /** An optional templated field: undefined stays undefined; a failing template leaves the raw text. */
  optional(name: string, custom: string | undefined): string | undefined {
    if (custom === undefined || custom === "") return custom;
    const r = renderWithFallback(custom, custom.includes("{{") ? "" : custom, this.data, { name, now: this.ctx.now });
    if (r.error) {
      this.errors.push(`${name}: ${r.error.message}`);
      return custom;
    }
    return r.text;
  }

  /** A line for the message body saying which templates failed, or "" when none did. */
  note(): string {
    if (this.errors.length === 0) return "";
    return `Note: ${this.errors.length === 1 ? "a configured template" : "configured templates"} failed, so the default was used: ${this.errors.join("; ")}`;
  }
}
