/**
 * The log query language's grammar (peggy). parse.ts generates the parser from it once.
 *
 * Decisions a user notices:
 * - Adjacent clauses are ANDed (`timeout payment` = `timeout AND payment`), as in log-search
 *   tools; precedence is NOT > AND > OR, so `a b OR c` = `(a AND b) OR c`.
 * - AND/OR/NOT are keywords in any case (`and`, `Or`); quote them to search for the word.
 * - `-x` and `!x` negate, `+x` is just `x`. A `-` not followed by a word, `(` or `"` is text.
 * - Comparisons allow spaces (`status >= 500`); `field:` allows a space before the value.
 * - In values (after `field:`) a `:` is text (`time:10:30`); a free word with `:` is `field:value`.
 * - Wildcard values keep backslashes before literal `*`, `?` and `\` (QueryValue.text is a glob).
 * - Values are never keywords: `service:OR` is an error; write `service:"OR"`.
 */
export const GRAMMAR = String.raw`
{{
  function span(loc) { return { start: loc.start.offset, end: loc.end.offset }; }
  function join(type, head, tail) {
    if (tail.length === 0) return head;
    const children = [head].concat(tail);
    return { type: type, children: children, span: { start: head.span.start, end: children[children.length - 1].span.end } };
  }
  function negate(ops, node) {
    let neg = 0;
    let start = node.span.start;
    for (const op of ops) if (op.neg) { if (neg === 0) start = op.start; neg++; }
    if (neg % 2 === 0) return node;
    return { type: "not", child: node, span: { start: start, end: node.span.end } };
  }
  function value(parts) {
    let wildcard = false;
    for (const p of parts) if (!p.esc && (p.ch === "*" || p.ch === "?")) wildcard = true;
    let text = "";
    for (const p of parts) text += wildcard && p.esc && (p.ch === "*" || p.ch === "?" || p.ch === "\\") ? "\\" + p.ch : p.ch;
    return { text: text, wildcard: wildcard };
  }
  function bound(b, inclusive) { return b === null ? null : { value: b, inclusive: inclusive }; }
  function withSpan(node, s) { return Object.assign({}, node, { span: s }); }
}}

Query = _ e:OrExpr _ { return e; }

OrExpr = head:AndExpr tail:OrTail* { return join("or", head, tail); }
OrTail = _ OrOp _ @AndExpr
  / _ op:OrOp _ { error("expected a query after '" + op + "'"); }

AndExpr = head:Unary tail:AndTail* { return join("and", head, tail); }
AndTail = _ AndOp _ @Unary
  / _ op:AndOp _ { error("expected a query after '" + op + "'"); }
  / _ !OrOp @Unary

Unary = ops:Prefix* node:Primary { return negate(ops, node); }
  / ops:Prefix+ { error("expected a query after '" + text().trim() + "'"); }
  / kw:(AndOp / OrOp) { error("'" + kw + "' needs a query on each side"); }

Prefix = "-" &PrefixTarget { return { neg: true, start: location().start.offset }; }
  / "+" &PrefixTarget { return { neg: false, start: location().start.offset }; }
  / "!" _ { return { neg: true, start: location().start.offset }; }
  / NotKw _ { return { neg: true, start: location().start.offset }; }

PrefixTarget = [A-Za-z0-9_("*\\@] / [\u0080-\uFFFF]

Primary = Group / Clause

Group = "(" _ e:OrExpr _ ")" { return e; }
  / "(" _ ")" { error("empty parentheses"); }

Clause = Exists / Comparison / FieldClause / FreePhrase / FreeTerm / [[{] { error("a range needs a field: status:[500 TO 599]"); }

FreePhrase = p:Phrase { return { type: "phrase", field: null, fieldSpan: null, text: p.text, span: p.span }; }

Exists = "_exists_" _ ":" _ f:FieldName { return { type: "exists", field: f.name, fieldSpan: f.span, span: span(location()) }; }
  / "_exists_" _ ":" { error("expected a field name after '_exists_:'"); }

Comparison = f:FieldName _ op:CmpOp _ b:Bound { return options.comparison(f, op, b, span(location())); }
  / f:FieldName _ op:CmpOp { error("expected a value after '" + f.raw + op + "'"); }

FieldClause = f:FieldName ":" _ v:FieldValue { return withSpan(v(f), span(location())); }
  / f:FieldName ":" { error("expected a value after '" + f.raw + ":'"); }

// Each alternative returns a function of the field: field groups apply it to every clause inside.
FieldValue = FGroup
  / op:CmpOp _ b:Bound { const s = span(location()); return (f) => options.comparison(f, op, b, { start: f.span.start, end: s.end }); }
  / CmpOp { error("expected a value after '" + text() + "'"); }
  / Range
  / [[{] { error("a range is written [low TO high] or {low TO high} (* for an open end)"); }
  / p:Phrase { return (f) => ({ type: "phrase", field: f.name, fieldSpan: f.span, text: p.text, span: { start: f.span.start, end: p.span.end } }); }
  / "*" !ValueChar { const s = span(location()); return (f) => ({ type: "exists", field: f.name, fieldSpan: f.span, span: { start: f.span.start, end: s.end } }); }
  / !Keyword v:Value { const s = span(location()); return (f) => ({ type: "term", field: f.name, fieldSpan: f.span, value: v, span: { start: f.span.start, end: s.end } }); }

FGroup = "(" _ e:FGOr _ ")" { return e; }
  / "(" _ ")" { error("empty parentheses"); }
FGAtom = v:FieldValue { const s = span(location()); return (f) => withSpan(v(f), s); }
FGOr = head:FGAnd tail:FGOrTail* { return (f) => join("or", head(f), tail.map((t) => t(f))); }
FGOrTail = _ OrOp _ @FGAnd
  / _ op:OrOp _ { error("expected a value after '" + op + "'"); }
FGAnd = head:FGUnary tail:FGAndTail* { return (f) => join("and", head(f), tail.map((t) => t(f))); }
FGAndTail = _ AndOp _ @FGUnary
  / _ op:AndOp _ { error("expected a value after '" + op + "'"); }
  / _ !OrOp @FGUnary
FGUnary = ops:Prefix* a:FGAtom { return (f) => negate(ops, a(f)); }
  / ops:Prefix+ { error("expected a value after '" + text().trim() + "'"); }
  / kw:(AndOp / OrOp) { error("'" + kw + "' needs a value on each side"); }

Range = open:[[{] _ lo:Bound __ "TO"i __ hi:Bound _ close:[\]}] {
    const s = span(location());
    return (f) => options.range(f, bound(lo, open === "["), bound(hi, close === "]"), { start: f.span.start, end: s.end });
  }

// A range bound or comparison value: quoted text, * (open) or a bare value; null = open.
Bound = p:Phrase { return p.text; }
  / "*" &(WS / [\]}] / !.) { return null; }
  / parts:BoundPart+ { return parts.join(""); }
BoundPart = "\\" c:. { return c; }
  / [^ \t\n\r\f\v\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff()[\]{}"\\]

Phrase = '"' chars:PhraseChar* '"' { return { text: chars.join(""), span: span(location()) }; }
PhraseChar = "\\" c:. { return c; }
  / [^"\\]

FreeTerm = !Keyword v:Word {
    if (v.text === "*" && v.wildcard) return { type: "all", span: span(location()) };
    return { type: "term", field: null, fieldSpan: null, value: v, span: span(location()) };
  }

Word = parts:WordPart+ { return value(parts); }
WordPart = "\\" c:. { return { ch: c, esc: true }; }
  / StrayParen
  / !("&&" / "||") c:[^ \t\n\r\f\v\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff()[\]{}":\\] { return { ch: c, esc: false }; }

Value = parts:ValuePart+ { return value(parts); }
ValuePart = "\\" c:. { return { ch: c, esc: true }; }
  / StrayParen
  / !("&&" / "||") c:ValueChar { return { ch: c, esc: false }; }
ValueChar = [^ \t\n\r\f\v\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff()[\]{}"\\]

FieldName = [A-Za-z0-9_@] [A-Za-z0-9_.@\-]* {
    const raw = text();
    return { raw: raw, name: raw.startsWith("attributes.") && raw.length > 11 ? raw.slice(11) : raw, span: span(location()) };
  }

// A ')' without '(' glued to a word is text (parse.ts finds them): '); drop table x; -- is three words.
StrayParen = &{ return options.stray.has(location().start.offset); } ")" { return { ch: ")", esc: false }; }

CmpOp = ">=" / "<=" / ">" / "<"
AndOp = "AND"i !WordChar { return "AND"; } / "&&"
OrOp = "OR"i !WordChar { return "OR"; } / "||"
NotKw = "NOT"i !WordChar
Keyword = AndOp / OrOp / NotKw
WordChar = [A-Za-z0-9_\-.@*?\\:] / [\u0080-\uFFFF]

WS = [ \t\n\r\f\v\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]
_ = WS*
__ = WS+
`;
