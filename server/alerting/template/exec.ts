/**
 * The evaluator: walks a parsed template over a data value with Go's text/template semantics —
 * truthiness, field and method lookup (`.Alerts.Firing`, `.Labels.SortedPairs`, map keys),
 * pipelines (the previous result is the last argument), variables with block scope, `range` over
 * lists, maps (sorted keys) and integers, `break` / `continue`, `with`, `template`, lazy `and` /
 * `or`.
 *
 * In HTML mode every value an action prints is escaped for where it lands (text and quoted
 * attributes: HTML-escaped; the start of a URL attribute: also `javascript:`-style schemes
 * replaced by `#ZgotmplZ` as Go's html/template does; inside `<script>`: JS-escaped), unless the
 * value was marked with `safeHtml`.
 *
 * Limits (output size, steps, template-call depth) keep a template from running away. Every
 * failure is a TemplateError carrying the position and reason. Pure.
 */
import { EvalError, TemplateError } from "./errors";
import { goString, goTypeName } from "./format";
import { FUNCTIONS, htmlEscape, type FuncEnv } from "./functions";
import type { Command, DefinedTemplate, Node, Operand, Pipeline } from "./parse";
import { GoDuration, GoTime, KV, SafeHtml, SafeUrl } from "./values";

export interface ExecOptions {
  html: boolean;
  env: FuncEnv;
  templates: ReadonlyMap<string, DefinedTemplate>;
  /** Variables besides `$` (e.g. `$labels`, `$value`). */
  vars: Readonly<Record<string, unknown>>;
  maxOutput: number;
  maxSteps: number;
  maxDepth: number;
}

const NO_FINAL = Symbol("no final");
type Final = unknown;

class BreakSignal {}
class ContinueSignal {}
const BREAK = new BreakSignal();
const CONTINUE = new ContinueSignal();

/** Go's truth: false, 0, nil and empty strings, lists and maps are false. */
export function isTrue(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  switch (typeof v) {
    case "boolean":
      return v;
    case "number":
      return v !== 0;
    case "bigint":
      return v !== 0n;
    case "string":
      return v.length > 0;
    default:
      break;
  }
  if (v instanceof SafeHtml || v instanceof SafeUrl) return v.value.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof KV) return v.size > 0;
  if (v instanceof Map) return v.size > 0;
  if (v instanceof GoDuration) return v.nanoseconds !== 0n;
  if (isPlainObject(v)) return Object.keys(v).length > 0;
  return true; // structs, times
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== "object") return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A capitalised method of one of our value classes (never JS internals). */
function lookupMethod(receiver: unknown, name: string): ((...args: unknown[]) => unknown) | null {
  if (receiver === null || typeof receiver !== "object" || isPlainObject(receiver)) return null;
  if (!/^[A-Z]/.test(name)) return null;
  const m = (receiver as Record<string, unknown>)[name];
  if (typeof m !== "function") return null;
  // Only methods defined on our classes' prototypes (not Array.prototype etc., none of which are capitalised anyway).
  return m as (...args: unknown[]) => unknown;
}

const URL_ATTRS = new Set(["href", "src", "action", "formaction", "cite", "poster", "background", "longdesc", "usemap", "data", "xlink:href", "manifest", "codebase", "icon", "srcset"]);

type HtmlContext = { kind: "text" } | { kind: "attr"; url: boolean; atStart: boolean; quoted: boolean } | { kind: "tag" } | { kind: "script" } | { kind: "style" } | { kind: "comment" };

/** Where the next output lands, judged from the output so far (the template's own text). */
function htmlContext(tail: string): HtmlContext {
  const lower = tail.toLowerCase();
  if (lower.lastIndexOf("<!--") > lower.lastIndexOf("-->")) return { kind: "comment" };
  if (lower.lastIndexOf("<script") > lower.lastIndexOf("</script") && /<script[^>]*>/.test(lower.slice(lower.lastIndexOf("<script")))) return { kind: "script" };
  if (lower.lastIndexOf("<style") > lower.lastIndexOf("</style") && /<style[^>]*>/.test(lower.slice(lower.lastIndexOf("<style")))) return { kind: "style" };
  const tagStart = tail.lastIndexOf("<");
  if (tagStart < 0 || tail.indexOf(">", tagStart) >= 0 || !/^<\/?[a-zA-Z]/.test(tail.slice(tagStart))) return { kind: "text" };
  const inTag = tail.slice(tagStart);
  // Strip complete attributes to find an open one at the end.
  const open = /\s([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*(?:"([^"]*)|'([^']*)|([^\s"'=<>`]*))$/.exec(inTag);
  if (!open) return { kind: "tag" };
  const name = open[1]!.toLowerCase();
  const valueSoFar = open[2] ?? open[3] ?? open[4] ?? "";
  const quoted = open[2] !== undefined || open[3] !== undefined;
  if (!quoted && open[4] === undefined) return { kind: "tag" };
  return { kind: "attr", url: URL_ATTRS.has(name), atStart: valueSoFar.trim() === "", quoted };
}

const SAFE_SCHEME = /^(https?|mailto|ftp|tel):/i;
const ANY_SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;

/** Escapes a value for a JavaScript string literal: quotes, HTML-significant and control characters as \uXXXX. */
function jsStringEscape(s: string): string {
  let out = "";
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    out += c < 0x20 || c === 0x2028 || c === 0x2029 || "\\'\"<>&=`".includes(ch) ? `\\u${c.toString(16).toUpperCase().padStart(4, "0")}` : ch;
  }
  return out;
}

/** Escapes a printed value for its HTML context. */
function escapeForHtml(v: unknown, s: string, tail: string): string {
  if (v instanceof SafeHtml) return s;
  const ctx = htmlContext(tail);
  switch (ctx.kind) {
    case "text":
    case "comment":
      return ctx.kind === "comment" ? "" : htmlEscape(s);
    case "script":
      return jsStringEscape(s);
    case "style":
      return /^[\w\s.,#%()-]*$/.test(s) ? s : "ZgotmplZ";
    case "tag":
      return /^[a-zA-Z][-a-zA-Z0-9_]*$/.test(s) && !/^on/i.test(s) ? s : "ZgotmplZ";
    case "attr": {
      let out = s;
      if (ctx.url && ctx.atStart && !(v instanceof SafeUrl)) {
        const trimmed = out.trim();
        if (ANY_SCHEME.test(trimmed) && !SAFE_SCHEME.test(trimmed)) out = "#ZgotmplZ";
      }
      out = htmlEscape(out);
      if (!ctx.quoted) out = out.replace(/[\s=`]/g, (c) => `&#${c.charCodeAt(0)};`);
      return out;
    }
  }
}

const TAIL = 2048;

export class Executor {
  private out: string[] = [];
  private outLen = 0;
  private tail = "";
  private steps = 0;
  private depth = 0;
  private vars: { name: string; value: unknown }[] = [];
  private source: string;
  private sourceName: string;

  constructor(
    private readonly opts: ExecOptions,
    source: string,
    sourceName: string,
  ) {
    this.source = source;
    this.sourceName = sourceName;
  }

  run(root: Node[], dot: unknown): string {
    this.vars = [{ name: "$", value: dot }, ...Object.entries(this.opts.vars).map(([name, value]) => ({ name, value }))];
    try {
      this.walkList(root, dot);
    } catch (err) {
      if (err === BREAK || err === CONTINUE) throw this.error(0, "break or continue outside range");
      throw err;
    }
    return this.out.join("");
  }

  // ------------------------------------------------------------------ helpers

  private error(pos: number, reason: string, context?: string | null): TemplateError {
    return new TemplateError({ phase: "exec", templateName: this.sourceName, source: this.source, offset: pos, reason, context });
  }

  private contextOf(node: { pos: number; end: number }): string {
    const s = this.source.slice(node.pos, node.end);
    return s.length > 80 ? s.slice(0, 77) + "..." : s;
  }

  /** Runs `fn`, turning evaluation errors into positioned TemplateErrors. */
  private at<T>(node: { pos: number; end: number }, fn: () => T, prefix = ""): T {
    try {
      return fn();
    } catch (err) {
      if (err instanceof TemplateError || err === BREAK || err === CONTINUE) throw err;
      const message = err instanceof Error ? err.message : String(err);
      throw this.error(node.pos, prefix + message, this.contextOf(node));
    }
  }

  private step(pos: number): void {
    if (++this.steps > this.opts.maxSteps) throw this.error(pos, `template is too expensive: more than ${this.opts.maxSteps} steps`);
  }

  private write(s: string, pos: number): void {
    if (!s) return;
    this.outLen += s.length;
    if (this.outLen > this.opts.maxOutput) throw this.error(pos, `output is larger than ${this.opts.maxOutput} characters`);
    this.out.push(s);
    this.tail = (this.tail + s).slice(-TAIL);
  }

  private lookupVar(name: string, pos: number): unknown {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]!.name === name) return this.vars[i]!.value;
    throw this.error(pos, `undefined variable: ${name}`);
  }

  private setVar(name: string, value: unknown, pos: number): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) {
        this.vars[i]!.value = value;
        return;
      }
    }
    throw this.error(pos, `undefined variable: ${name}`);
  }

  // ------------------------------------------------------------------ walking

  private walkList(nodes: Node[], dot: unknown): void {
    for (const node of nodes) this.walk(node, dot);
  }

  private walk(node: Node, dot: unknown): void {
    this.step(node.pos);
    switch (node.type) {
      case "text":
        this.write(node.text, node.pos);
        return;
      case "action": {
        const v = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.print(v, node.pipe);
        return;
      }
      case "if":
      case "with": {
        const mark = this.vars.length;
        const v = this.evalPipeline(dot, node.pipe);
        if (isTrue(v)) this.walkScoped(node.list, node.type === "with" ? v : dot);
        else if (node.elseList) this.walkScoped(node.elseList, dot);
        this.vars.length = mark;
        return;
      }
      case "range":
        this.walkRange(node, dot);
        return;
      case "template":
        this.walkTemplate(node, dot);
        return;
      case "break":
        throw BREAK;
      case "continue":
        throw CONTINUE;
    }
  }

  private walkScoped(nodes: Node[], dot: unknown): void {
    const mark = this.vars.length;
    try {
      this.walkList(nodes, dot);
    } finally {
      this.vars.length = mark;
    }
  }

  private print(v: unknown, pipe: Pipeline): void {
    if (typeof v === "function") throw this.error(pipe.pos, "can't print a function", this.contextOf(pipe));
    const s = goString(v);
    this.write(this.opts.html ? escapeForHtml(v, s, this.tail) : s, pipe.pos);
  }

  private walkRange(node: Extract<Node, { type: "if" | "with" | "range" }>, dot: unknown): void {
    const mark = this.vars.length;
    const pipe = node.pipe;
    const value = this.evalCommands(dot, pipe);
    const decl = pipe.decl;
    if (!pipe.isAssign) for (const name of decl) this.vars.push({ name, value: undefined });
    const items = this.at(pipe, () => rangeItems(value));
    let ran = false;
    for (const [key, elem] of items) {
      ran = true;
      this.step(node.pos);
      if (decl.length === 1) this.setVar(decl[0]!, elem, pipe.pos);
      else if (decl.length === 2) {
        this.setVar(decl[0]!, key, pipe.pos);
        this.setVar(decl[1]!, elem, pipe.pos);
      }
      try {
        this.walkScoped(node.list, elem);
      } catch (err) {
        if (err === BREAK) break;
        if (err === CONTINUE) continue;
        throw err;
      }
    }
    this.vars.length = mark;
    if (!ran && node.elseList) this.walkScoped(node.elseList, dot);
  }

  private walkTemplate(node: Extract<Node, { type: "template" }>, dot: unknown): void {
    const t = this.opts.templates.get(node.name);
    if (!t) throw this.error(node.pos, `no such template "${node.name}"`, `template "${node.name}"`);
    const newDot = node.pipe ? this.evalPipeline(dot, node.pipe) : undefined;
    if (++this.depth > this.opts.maxDepth) throw this.error(node.pos, `exceeded maximum template depth (${this.opts.maxDepth})`);
    const saved = { vars: this.vars, source: this.source, name: this.sourceName };
    this.vars = [{ name: "$", value: newDot }];
    this.source = t.source;
    this.sourceName = t.sourceName;
    try {
      this.walkList(t.nodes, newDot);
    } finally {
      this.vars = saved.vars;
      this.source = saved.source;
      this.sourceName = saved.name;
      this.depth--;
    }
  }

  // ------------------------------------------------------------------ evaluation

  /** Evaluates the commands and binds the declared variables. */
  private evalPipeline(dot: unknown, pipe: Pipeline): unknown {
    const value = this.evalCommands(dot, pipe);
    for (const name of pipe.decl) {
      if (pipe.isAssign) this.setVar(name, value, pipe.pos);
      else this.vars.push({ name, value });
    }
    return value;
  }

  private evalCommands(dot: unknown, pipe: Pipeline): unknown {
    let value: unknown = NO_FINAL;
    for (const cmd of pipe.cmds) value = this.evalCommand(dot, cmd, value);
    return value;
  }

  private evalCommand(dot: unknown, cmd: Command, final: Final): unknown {
    this.step(cmd.pos);
    const first = cmd.args[0]!;
    const extra = cmd.args.slice(1);
    switch (first.type) {
      case "field":
        return this.evalFieldChain(dot, dot, first, first.names, extra, final);
      case "chain": {
        const receiver = this.evalArg(dot, first.node);
        return this.evalFieldChain(dot, receiver, first, first.names, extra, final);
      }
      case "variable": {
        const v = this.lookupVar(first.name, first.pos);
        if (first.names.length > 0) return this.evalFieldChain(dot, v, first, first.names, extra, final);
        this.notAFunction(cmd, final);
        return v;
      }
      case "identifier":
        return this.evalFunction(dot, first, extra, final);
      case "nil":
        throw this.error(first.pos, "nil is not a command", "nil");
      default:
        this.notAFunction(cmd, final);
        return this.evalArg(dot, first);
    }
  }

  private notAFunction(cmd: Command, final: Final): void {
    if (cmd.args.length > 1 || final !== NO_FINAL) {
      throw this.error(cmd.pos, `can't give argument to non-function ${this.contextOf(cmd.args[0]!)}`, this.contextOf(cmd.args[0]!));
    }
  }

  private evalArg(dot: unknown, arg: Operand): unknown {
    switch (arg.type) {
      case "dot":
        return dot;
      case "nil":
        return null;
      case "string":
      case "number":
      case "bool":
        return arg.value;
      case "field":
        return this.evalFieldChain(dot, dot, arg, arg.names, [], NO_FINAL);
      case "variable": {
        const v = this.lookupVar(arg.name, arg.pos);
        return arg.names.length ? this.evalFieldChain(dot, v, arg, arg.names, [], NO_FINAL) : v;
      }
      case "chain": {
        const receiver = this.evalArg(dot, arg.node);
        return this.evalFieldChain(dot, receiver, arg, arg.names, [], NO_FINAL);
      }
      case "pipeline":
        return this.evalPipeline(dot, arg.pipe);
      case "identifier":
        return this.evalFunction(dot, arg, [], NO_FINAL);
    }
  }

  private evalFieldChain(dot: unknown, receiver: unknown, node: Operand, names: string[], extra: Operand[], final: Final): unknown {
    let v = receiver;
    for (let i = 0; i < names.length; i++) {
      const last = i === names.length - 1;
      v = this.evalField(dot, v, names[i]!, node, last ? extra : [], last ? final : NO_FINAL);
    }
    return v;
  }

  private evalField(dot: unknown, receiver: unknown, name: string, node: Operand, extra: Operand[], final: Final): unknown {
    const hasArgs = extra.length > 0 || final !== NO_FINAL;
    const method = lookupMethod(receiver, name);
    if (method) {
      const args = extra.map((a) => this.evalArg(dot, a));
      if (final !== NO_FINAL) args.push(final);
      if (args.length !== method.length) throw this.error(node.pos, `wrong number of args for ${name}: want ${method.length} got ${args.length}`, this.contextOf(node));
      return this.at(node, () => method.apply(receiver, args), `error calling ${name}: `);
    }
    if (receiver === undefined || receiver === null) {
      throw this.error(node.pos, `nil pointer evaluating ${goTypeName(receiver)}.${name}`, this.contextOf(node));
    }
    const noArgs = () => {
      if (hasArgs) throw this.error(node.pos, `${name} is not a method but has arguments`, this.contextOf(node));
    };
    if (receiver instanceof KV) {
      noArgs();
      return receiver.get(name);
    }
    if (receiver instanceof Map) {
      noArgs();
      return receiver.get(name);
    }
    if (isPlainObject(receiver)) {
      noArgs();
      return Object.prototype.hasOwnProperty.call(receiver, name) ? receiver[name] : undefined;
    }
    if (typeof receiver === "object" && !Array.isArray(receiver) && /^[A-Z]/.test(name) && Object.prototype.hasOwnProperty.call(receiver, name)) {
      noArgs();
      return (receiver as Record<string, unknown>)[name];
    }
    throw this.error(node.pos, `can't evaluate field ${name} in type ${goTypeName(receiver)}`, this.contextOf(node));
  }

  private evalFunction(dot: unknown, node: Extract<Operand, { type: "identifier" }>, extra: Operand[], final: Final): unknown {
    const name = node.name;
    const def = FUNCTIONS[name];
    if (!def) throw this.error(node.pos, `function "${name}" not defined`, name);
    const count = extra.length + (final !== NO_FINAL ? 1 : 0);
    if (count < def.minArgs || count > def.maxArgs) {
      const want = def.minArgs === def.maxArgs ? `${def.minArgs}` : def.maxArgs === Infinity ? `at least ${def.minArgs}` : `${def.minArgs} to ${def.maxArgs}`;
      throw this.error(node.pos, `wrong number of args for ${name}: want ${want} got ${count}`, name);
    }
    if (name === "and" || name === "or") {
      let v: unknown = undefined;
      for (const a of extra) {
        v = this.evalArg(dot, a);
        if (isTrue(v) === (name === "or")) return v;
      }
      return final !== NO_FINAL ? final : v;
    }
    if (name === "not") {
      return !isTrue(extra.length ? this.evalArg(dot, extra[0]!) : final);
    }
    const args = extra.map((a) => this.evalArg(dot, a));
    if (final !== NO_FINAL) args.push(final);
    return this.at(node, () => def.fn(args, this.opts.env), `error calling ${name}: `);
  }
}

/** The (key, element) pairs `range` visits. */
function rangeItems(v: unknown): Iterable<[unknown, unknown]> {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.map((x, i) => [BigInt(i), x] as [unknown, unknown]);
  if (v instanceof KV) {
    return v
      .entries()
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, x]) => [k, x] as [unknown, unknown]);
  }
  if (v instanceof Map) return [...v.entries()].sort(([a], [b]) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
  if (isPlainObject(v)) {
    return Object.entries(v)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, x]) => [k, x] as [unknown, unknown]);
  }
  if (typeof v === "bigint" || (typeof v === "number" && Number.isInteger(v))) {
    const n = Number(v);
    if (n > 1_000_000) throw new EvalError(`range over ${n} is too long`);
    return Array.from({ length: Math.max(0, n) }, (_x, i) => [BigInt(i), BigInt(i)] as [unknown, unknown]);
  }
  if (v instanceof GoTime) throw new EvalError("range can't iterate over time.Time");
  throw new EvalError(`range can't iterate over ${goString(v)}`);
}
