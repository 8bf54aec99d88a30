/** CSV quoting (RFC 4180), pure: the export endpoint and Discover's "copy as CSV" both use it. */

/** Quoted when it holds a comma, quote, CR or LF. */
export function csvQuote(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A value as an exported cell: objects as JSON, and a cell that would start a spreadsheet formula
 * (=, +, -, @, tab, CR) gets a leading ' (formula injection), then quoted.
 */
export function csvCell(v: unknown): string {
  let s = v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return csvQuote(s);
}
