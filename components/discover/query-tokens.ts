/**
 * Syntax colouring of the log query language for CodeMirror's StreamLanguage: operators,
 * `field:` names, quoted phrases, numbers, ranges and wildcards. Colouring only — errors come
 * from the real parser (query-diagnostics.ts).
 */
import type { StreamParser, StringStream } from "@codemirror/language";

export const queryTokens: StreamParser<null> = {
  name: "logquery",
  token(stream: StringStream): string | null {
    if (stream.eatSpace()) return null;
    if (stream.match(/^"(?:[^"\\]|\\.)*"?/)) return "string";
    if (stream.match(/^(?:AND|OR|NOT|TO)(?![^\s()[\]{}])/)) return "keyword";
    if (stream.match(/^(?:&&|\|\||!)/)) return "keyword";
    if (stream.match(/^[()[\]{}]/)) return "bracket";
    if (stream.match(/^(?:>=|<=|>|<|=)/)) return "operator";
    if (stream.match(/^(?:[^\s:()[\]{}"\\<>=]|\\.)+(?=:|>=|<=|>|<)/)) return "propertyName";
    if (stream.match(/^:/)) return "punctuation";
    if (stream.match(/^-?\d+(?:\.\d+)?(?![^\s()[\]{}])/)) return "number";
    if (stream.match(/^(?:[^\s()[\]{}"\\]|\\.)+/)) {
      return /[*?]/.test(stream.current()) ? "string.special" : "variableName";
    }
    stream.next();
    return null;
  },
  startState: () => null,
};
