/**
 * The parser of Go's text/template syntax into a small AST: text, actions (pipelines of commands,
 * with `$x := …` / `$x = …`), `if` / `else if` / `else`, `range` (with `$i, $e :=`, `else`,
 * `break`, `continue`), `with` / `else with` / `else`, `define`, `template`, `block`.
 * Like Go it checks at parse time that functions exist and variables are declared. Pure.
 */
import { TemplateError } from "./errors";
import { lex, type Token } from "./lex";

export interface Pipeline {
  pos: number;
  end: number;
  /** Declared or assigned variables (`$x`, or `$i`, `$e` for range). */
  decl: string[];
  /** `=` (assign existing variables) rather than `:=`. */
  isAssign: boolean;
  cmds: Command[];
}

export interface Command {
  pos: number;
  end: number;
  args: Operand[];
}

export type Operand =
  | { type: "field"; pos: number; end: number; names: string[] }
  | { type: "variable"; pos: number; end: number; name: string; names: string[] }
  | { type: "chain"; pos: number; end: number; node: Operand; names: string[] }
  | { type: "dot"; pos: number; end: number }
  | { type: "identifier"; pos: number; end: number; name: string }
  | { type: "string"; pos: number; end: number; value: string }
  | { type: "number"; pos: number; end: number; value: number | bigint }
  | { type: "bool"; pos: number; end: number; value: boolean }
  | { type: "nil"; pos: number; end: number }
  | { type: "pipeline"; pos: number; end: number; pipe: Pipeline };

export type Node =
  | { type: "text"; pos: number; text: string }
  | { type: "action"; pos: number; pipe: Pipeline }
  | { type: "if" | "with" | "range"; pos: number; pipe: Pipeline; list: Node[]; elseList: Node[] | null }
  | { type: "template"; pos: number; end: number; name: string; pipe: Pipeline | null }
  | { type: "break" | "continue"; pos: number };

/** A named template's body and the source it was written in (for error positions). */
export interface DefinedTemplate {
  nodes: Node[];
  source: string;
  sourceName: string;
}

/** A parsed source: its main body and the templates it defines. */
export interface ParsedSource {
  name: string;
  source: string;
  root: Node[];
  defines: Map<string, DefinedTemplate>;
}

export interface ParseOptions {
  /** Names of the functions templates may call. */
  funcs: ReadonlySet<string>;
  /** Variables defined before the template runs (besides `$`), e.g. `$labels`, `$value`. */
  vars?: readonly string[];
  /** Explanations for functions that exist elsewhere but not here. */
  unsupported?: Readonly<Record<string, string>>;
}

const NON_EXECUTABLE = new Set(["bool", "dot", "nil", "number", "string"]);

class Parser {
  private i = 0;
  private vars: string[];
  private rangeDepth = 0;
  readonly defines = new Map<string, DefinedTemplate>();

  constructor(
    private readonly tokens: Token[],
    private readonly source: string,
    private readonly name: string,
    private readonly opts: ParseOptions,
  ) {
    this.vars = ["$", ...(opts.vars ?? [])];
  }

  private fail(pos: number, reason: string): never {
    throw new TemplateError({ phase: "parse", templateName: this.name, source: this.source, offset: pos, reason });
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const t = this.peek();
    if (this.i < this.tokens.length - 1) this.i++;
    return t;
  }

  private describe(t: Token): string {
    if (t.kind === "eof") return "EOF";
    if (t.kind === "rightDelim") return "}}";
    if (t.kind === "string") return JSON.stringify(t.value);
    if (t.kind === "field") return `.${t.value}`;
    return `"${this.source.slice(t.pos, t.end)}"`;
  }

  private expect(kind: Token["kind"], context: string): Token {
    const t = this.next();
    if (t.kind !== kind) this.fail(t.pos, `unexpected ${this.describe(t)} in ${context}`);
    return t;
  }

  parseTop(): Node[] {
    const root: Node[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind === "eof") return root;
      if (t.kind === "leftDelim" && this.peek(1).kind === "keyword" && this.peek(1).value === "define") {
        this.next();
        this.next();
        this.parseDefine(t.pos);
        continue;
      }
      const { nodes, stop } = this.parseList(true);
      root.push(...nodes);
      if (stop) this.fail(stop.pos, `unexpected {{${stop.value}}}`);
    }
  }

  private parseDefine(pos: number): void {
    const nameTok = this.next();
    if (nameTok.kind !== "string") this.fail(nameTok.pos, "define: template name must be a quoted string");
    this.expect("rightDelim", "define clause");
    const saved = this.vars;
    this.vars = ["$"];
    const { nodes, stop } = this.parseList(false);
    this.vars = saved;
    if (!stop || stop.value !== "end") this.fail(stop?.pos ?? pos, "define: expected {{end}}");
    this.expect("rightDelim", "end");
    if (this.defines.has(nameTok.value)) this.fail(nameTok.pos, `template: multiple definition of template "${nameTok.value}"`);
    this.defines.set(nameTok.value, { nodes, source: this.source, sourceName: this.name });
  }

  /**
   * Parses nodes until `{{end}}`, `{{else …}}` or the end of input. Returns the keyword token that
   * stopped it (consumed with its left delimiter; the caller reads the rest of that action).
   */
  private parseList(top: boolean): { nodes: Node[]; stop: Token | null } {
    const nodes: Node[] = [];
    const mark = this.vars.length;
    try {
      for (;;) {
        const t = this.peek();
        if (t.kind === "eof") {
          if (!top) this.fail(t.pos, "unexpected EOF");
          return { nodes, stop: null };
        }
        if (t.kind === "text") {
          this.next();
          nodes.push({ type: "text", pos: t.pos, text: t.value });
          continue;
        }
        // leftDelim; a top-level {{define}} is the caller's.
        if (top && this.peek(1).kind === "keyword" && this.peek(1).value === "define") return { nodes, stop: null };
        this.next();
        const k = this.peek();
        if (k.kind === "keyword" && (k.value === "end" || k.value === "else")) {
          this.next();
          return { nodes, stop: k };
        }
        nodes.push(this.parseAction(t.pos));
      }
    } finally {
      if (this.vars.length > mark) this.vars.length = mark;
    }
  }

  private parseAction(pos: number): Node {
    const t = this.peek();
    if (t.kind === "keyword") {
      this.next();
      switch (t.value) {
        case "if":
        case "with":
        case "range":
          return this.parseControl(t.value, pos);
        case "template":
          return this.parseTemplate(pos);
        case "block":
          return this.parseBlock(pos);
        case "break":
        case "continue":
          if (this.rangeDepth === 0) this.fail(t.pos, `{{${t.value}}} outside {{range}}`);
          this.expect("rightDelim", t.value);
          return { type: t.value, pos };
        case "define":
          return this.fail(t.pos, "define is only allowed at the top level");
        default:
          return this.fail(t.pos, `unexpected {{${t.value}}}`);
      }
    }
    const pipe = this.parsePipeline("command", "rightDelim");
    return { type: "action", pos, pipe };
  }

  private parseControl(kind: "if" | "with" | "range", pos: number): Node {
    const mark = this.vars.length;
    const pipe = this.parsePipeline(kind, "rightDelim");
    if (kind === "range") this.rangeDepth++;
    const { nodes: list, stop } = this.parseList(false);
    if (kind === "range") this.rangeDepth--;
    let elseList: Node[] | null = null;
    if (stop!.value === "else") {
      const after = this.peek();
      if ((kind === "if" || kind === "with") && after.kind === "keyword" && after.value === kind) {
        // {{else if …}} / {{else with …}}: a nested control that shares our {{end}}.
        this.next();
        elseList = [this.parseControl(kind, after.pos)];
        this.vars.length = mark;
        return { type: kind, pos, pipe, list, elseList };
      }
      this.expect("rightDelim", "else");
      const { nodes, stop: end } = this.parseList(false);
      if (end!.value !== "end") this.fail(end!.pos, "expected end; found {{else}}");
      elseList = nodes;
    }
    this.expect("rightDelim", "end");
    this.vars.length = mark;
    return { type: kind, pos, pipe, list, elseList };
  }

  private parseTemplate(pos: number): Node {
    const nameTok = this.next();
    if (nameTok.kind !== "string") this.fail(nameTok.pos, "template: name must be a quoted string");
    let pipe: Pipeline | null = null;
    if (this.peek().kind !== "rightDelim") pipe = this.parsePipeline("template", "rightDelim");
    else this.next();
    return { type: "template", pos, end: nameTok.end, name: nameTok.value, pipe };
  }

  private parseBlock(pos: number): Node {
    const nameTok = this.next();
    if (nameTok.kind !== "string") this.fail(nameTok.pos, "block: name must be a quoted string");
    let pipe: Pipeline | null = null;
    if (this.peek().kind !== "rightDelim") pipe = this.parsePipeline("block", "rightDelim");
    else this.next();
    const saved = this.vars;
    this.vars = ["$"];
    const { nodes, stop } = this.parseList(false);
    this.vars = saved;
    if (stop!.value !== "end") this.fail(stop!.pos, "block: expected {{end}}");
    this.expect("rightDelim", "end");
    if (!this.defines.has(nameTok.value)) this.defines.set(nameTok.value, { nodes, source: this.source, sourceName: this.name });
    return { type: "template", pos, end: nameTok.end, name: nameTok.value, pipe };
  }

  /** A pipeline up to (and consuming) `end` (`}}` or `)`). */
  private parsePipeline(context: string, end: "rightDelim" | "rightParen"): Pipeline {
    const start = this.peek();
    const decl: string[] = [];
    let isAssign = false;
    // Declarations: $x := / $x = / $i, $e :=
    if (start.kind === "variable") {
      const t1 = this.peek(1);
      if (t1.kind === "declare" || t1.kind === "assign") {
        this.next();
        this.next();
        decl.push(start.value);
        isAssign = t1.kind === "assign";
      } else if (t1.kind === "comma" && context === "range" && this.peek(2).kind === "variable") {
        const t3 = this.peek(3);
        if (t3.kind === "declare" || t3.kind === "assign") {
          const second = this.peek(2);
          this.next();
          this.next();
          this.next();
          this.next();
          decl.push(start.value, second.value);
          isAssign = t3.kind === "assign";
        }
      } else if (t1.kind === "comma") {
        this.fail(t1.pos, `too many declarations in ${context}`);
      }
      for (const v of decl) {
        if (isAssign) {
          if (!this.vars.includes(v)) this.fail(start.pos, `undefined variable "${v}"`);
        } else {
          this.vars.push(v);
        }
      }
    }
    const cmds: Command[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind === end) {
        this.next();
        break;
      }
      if (t.kind === "eof" || t.kind === "rightDelim" || t.kind === "rightParen") this.fail(t.pos, `unexpected ${this.describe(t)} in ${context === "command" ? "operand" : context}`);
      cmds.push(this.parseCommand(end));
      const after = this.peek();
      if (after.kind === "pipe") {
        this.next();
        if (this.peek().kind === end) this.fail(this.peek().pos, "missing command after |");
      }
    }
    if (cmds.length === 0) this.fail(start.pos, `missing value for ${context}`);
    cmds.forEach((c, i) => {
      if (i > 0 && NON_EXECUTABLE.has(c.args[0]!.type)) this.fail(c.pos, `non executable command in pipeline stage ${i + 1}`);
    });
    const last = cmds[cmds.length - 1]!;
    return { pos: start.pos, end: last.end, decl, isAssign, cmds };
  }

  private parseCommand(end: "rightDelim" | "rightParen"): Command {
    const args: Operand[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind === "pipe" || t.kind === end || t.kind === "rightDelim" || t.kind === "rightParen" || t.kind === "eof") break;
      if (args.length > 0 && !t.spaceBefore) this.fail(t.pos, `unexpected ${this.describe(t)} in operand (missing space?)`);
      args.push(this.parseOperand());
    }
    if (args.length === 0) this.fail(this.peek().pos, "empty command");
    return { pos: args[0]!.pos, end: args[args.length - 1]!.end, args };
  }

  private collectFields(): { names: string[]; end: number } {
    const names: string[] = [];
    let end = -1;
    while (this.peek().kind === "field" && !this.peek().spaceBefore) {
      const f = this.next();
      names.push(f.value);
      end = f.end;
    }
    return { names, end };
  }

  private parseOperand(): Operand {
    const t = this.next();
    switch (t.kind) {
      case "field": {
        const { names, end } = this.collectFields();
        return { type: "field", pos: t.pos, end: names.length ? end : t.end, names: [t.value, ...names] };
      }
      case "variable": {
        if (!this.vars.includes(t.value)) this.fail(t.pos, `undefined variable "${t.value}"`);
        const { names, end } = this.collectFields();
        return { type: "variable", pos: t.pos, end: names.length ? end : t.end, name: t.value, names };
      }
      case "dot":
        if (this.peek().kind === "field" && !this.peek().spaceBefore) this.fail(this.peek().pos, "unexpected . after term");
        return { type: "dot", pos: t.pos, end: t.end };
      case "identifier": {
        if (!this.opts.funcs.has(t.value)) {
          const why = this.opts.unsupported?.[t.value];
          this.fail(t.pos, why ? `function "${t.value}" is not supported: ${why}` : `function "${t.value}" not defined`);
        }
        if (this.peek().kind === "field" && !this.peek().spaceBefore) this.fail(this.peek().pos, "unexpected . after term");
        return { type: "identifier", pos: t.pos, end: t.end, name: t.value };
      }
      case "string":
        return this.maybeChain({ type: "string", pos: t.pos, end: t.end, value: t.value });
      case "char":
        return { type: "number", pos: t.pos, end: t.end, value: BigInt(t.value.codePointAt(0)!) };
      case "number":
        return { type: "number", pos: t.pos, end: t.end, value: this.parseNumber(t) };
      case "bool":
        return { type: "bool", pos: t.pos, end: t.end, value: t.value === "true" };
      case "nil":
        return { type: "nil", pos: t.pos, end: t.end };
      case "leftParen": {
        const pipe = this.parsePipeline("parenthesized pipeline", "rightParen");
        const close = this.tokens[this.i - 1]!;
        return this.maybeChain({ type: "pipeline", pos: t.pos, end: close.end, pipe });
      }
      case "keyword":
        return this.fail(t.pos, `unexpected <${t.value}> in command`);
      default:
        return this.fail(t.pos, `unexpected ${this.describe(t)} in operand`);
    }
  }

  private maybeChain(node: Operand): Operand {
    const { names, end } = this.collectFields();
    if (names.length === 0) return node;
    return { type: "chain", pos: node.pos, end, node, names };
  }

  private parseNumber(t: Token): number | bigint {
    const text = t.value.replace(/_/g, "");
    const body = text.replace(/^[+-]/, "");
    const neg = text.startsWith("-");
    if (/^(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|[0-9]+)$/.test(body)) {
      let v: bigint;
      if (/^0[0-7]+$/.test(body)) v = BigInt("0o" + body.slice(1));
      else v = BigInt(body);
      return neg ? -v : v;
    }
    if (/^([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(body)) return Number(text);
    return this.fail(t.pos, `bad number syntax: "${t.value}"`);
  }
}

/** Parses one source; throws TemplateError (phase "parse") on a syntax error. */
export function parseSource(source: string, name: string, opts: ParseOptions): ParsedSource {
  const tokens = lex(source, name);
  const p = new Parser(tokens, source, name, opts);
  const root = p.parseTop();
  return { name, source, root, defines: p.defines };
}
