/** Warnings and infos collected during evaluation, rendered as Prometheus's API does. */
import type { PosRange } from "../ast";

export class Annotations {
  readonly warnings = new Set<string>();
  readonly infos = new Set<string>();

  constructor(private readonly query: string) {}

  private where(pos: PosRange | undefined): string {
    if (!pos) return "";
    const before = this.query.slice(0, pos.start);
    const line = before.split("\n").length;
    const col = pos.start - (before.lastIndexOf("\n") + 1) + 1;
    return ` (${line}:${col})`;
  }

  warn(message: string, pos?: PosRange): void {
    this.warnings.add(`PromQL warning: ${message}${this.where(pos)}`);
  }

  info(message: string, pos?: PosRange): void {
    this.infos.add(`PromQL info: ${message}${this.where(pos)}`);
  }
}
