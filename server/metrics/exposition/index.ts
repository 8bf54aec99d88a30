/**
 * Parsers for scraped and pushed metrics: Prometheus text 0.0.4 and OpenMetrics 1.0 text.
 * Pure functions (no I/O); the scrape worker and the Pushgateway endpoint call `parseExposition`.
 */
import { parseOpenMetrics } from "./openmetrics";
import { parsePrometheusText } from "./prometheus-text";
import { ExpositionParseError, type ExpositionFormat, type ParsedExposition } from "./types";

export { parseOpenMetrics } from "./openmetrics";
export { parsePrometheusText } from "./prometheus-text";
export * from "./types";

/** The format a `Content-Type` header asks for: OpenMetrics for `application/openmetrics-text`. */
export function expositionFormatOf(contentType: string | undefined | null): ExpositionFormat {
  if (!contentType) return "prometheus-text-0.0.4";
  const semi = contentType.indexOf(";");
  const mediaType = (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  return mediaType === "application/openmetrics-text" ? "openmetrics-1.0" : "prometheus-text-0.0.4";
}

/**
 * Parses a metrics body, choosing the parser from the content type (`application/openmetrics-text`
 * → OpenMetrics 1.0; anything else, or none → Prometheus text 0.0.4).
 * Throws `ExpositionParseError`.
 */
export function parseExposition(body: string, contentType?: string | null): ParsedExposition {
  return expositionFormatOf(contentType) === "openmetrics-1.0" ? parseOpenMetrics(body) : parsePrometheusText(body);
}

/**
 * Decodes a raw body as UTF-8, rejecting invalid byte sequences (both formats require UTF-8)
 * with an `ExpositionParseError` naming the line, instead of silently substituting U+FFFD.
 */
export function decodeExpositionBody(bytes: Uint8Array, format: ExpositionFormat = "prometheus-text-0.0.4"): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const lineDecoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
    let line = 1;
    let start = 0;
    for (let i = 0; i <= bytes.length; i++) {
      if (i === bytes.length || bytes[i] === 10) {
        try {
          lineDecoder.decode(bytes.subarray(start, i));
        } catch {
          throw new ExpositionParseError(format, line, "invalid UTF-8");
        }
        line++;
        start = i + 1;
      }
    }
    throw new ExpositionParseError(format, line - 1, "invalid UTF-8");
  }
}
