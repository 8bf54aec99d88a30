/**
 * Template errors: where (template name, line, column, byte offset in the source) and why, in Go's
 * wording where Go has one (`template: summary:1:12: executing "summary" at <.Foo>: can't evaluate
 * field Foo in type template.Alert`). Pure.
 */

export type TemplatePhase = "parse" | "exec";

export class TemplateError extends Error {
  readonly phase: TemplatePhase;
  /** The template's name (the annotation or field it came from). */
  readonly templateName: string;
  /** 1-based line and column of the construct at fault. */
  readonly line: number;
  readonly column: number;
  /** Offset in the source (UTF-16 code units). */
  readonly offset: number;
  /** What went wrong, without the position prefix. */
  readonly reason: string;
  /** The piece of template at fault (`.Foo`, `humanize`), when known. */
  readonly context: string | null;

  constructor(args: { phase: TemplatePhase; templateName: string; source: string; offset: number; reason: string; context?: string | null }) {
    const { line, column } = lineColumn(args.source, args.offset);
    const where = `template: ${args.templateName}:${line}:${column}: `;
    const at = args.phase === "exec" ? `executing "${args.templateName}"${args.context ? ` at <${args.context}>` : ""}: ` : "";
    super(`${where}${at}${args.reason}`);
    this.name = "TemplateError";
    this.phase = args.phase;
    this.templateName = args.templateName;
    this.line = line;
    this.column = column;
    this.offset = args.offset;
    this.reason = args.reason;
    this.context = args.context ?? null;
  }

  toJSON(): { phase: TemplatePhase; template: string; line: number; column: number; offset: number; reason: string; message: string } {
    return { phase: this.phase, template: this.templateName, line: this.line, column: this.column, offset: this.offset, reason: this.reason, message: this.message };
  }
}

/** 1-based line and column of `offset` in `source`. */
export function lineColumn(source: string, offset: number): { line: number; column: number } {
  const clamped = Math.max(0, Math.min(offset, source.length));
  let line = 1;
  let lastNewline = -1;
  for (let i = 0; i < clamped; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lastNewline = i;
    }
  }
  return { line, column: clamped - lastNewline };
}

/** An error raised inside a function or a value method; the evaluator adds the position. */
export class EvalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EvalError";
  }
}
