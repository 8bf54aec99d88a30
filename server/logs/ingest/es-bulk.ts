/**
 * Elasticsearch `_bulk` (`POST /_bulk`, `POST /{index}/_bulk`), as Filebeat, Fluent Bit, Vector,
 * Logstash and rsyslog's omelasticsearch send it: NDJSON pairs of an action line and a source line.
 *
 * - `index` / `create` (optional `_index`, `_id`; else the URL's index) + a source document → an event.
 * - `delete` (no source line) and `update` (one source line, consumed) → per-item errors:
 *   Lookout is append-only.
 * - A malformed action line, a missing source line, a source that is not a JSON object → per-item
 *   errors; the response still has one item per action. After a malformed action line, the next
 *   line is taken as its source unless it looks like an action line itself.
 *
 * An action line is recognised by shape: one key (`index`, `create`, `update`, `delete`) whose value
 * holds only bulk metadata keys (`_index`, `_id`, `routing`, `pipeline`, …). A log document shaped
 * exactly like that is indistinguishable from an action and is read as one.
 *
 * Item `index` is the 0-based action number; the `actions` array (same order, same indices) carries
 * what `buildBulkResponse` needs. Error reasons quote 1-based line numbers, as Elasticsearch does.
 */
import { randomBytes } from "node:crypto";
import type { DecodedItem, IncomingEvent } from "@/server/logs/event";
import { formatBytes } from "@/server/lib/units";
import { decodeBody, type BodyLimits, type BodyMeta } from "./decode-body";
import { asMessage, asNonEmptyText, isPlainObject, setField, takeFirst, type JsonObject } from "./fields";
import { errorItem, okItem } from "./items";
import { DEFAULT_MAX_LINE_BYTES, splitLines, type Line } from "./lines";
import { jsonKind } from "./ndjson";
import { parseTimestamp } from "./timestamp";

export const BULK_OPS = ["index", "create", "update", "delete"] as const;
export type EsBulkOp = (typeof BULK_OPS)[number];

export type EsBulkErrorType =
  | "mapper_parsing_exception"
  | "illegal_argument_exception"
  | "action_request_validation_exception";
export type EsBulkError = { type: EsBulkErrorType; reason: string };

/** One bulk action, for the response. `op` is the response key (`index` when the action line was unreadable). */
export type EsBulkAction = { index: number; op: EsBulkOp; _index?: string; _id?: string; error?: EsBulkError };

export type EsBulkDecoded = { items: DecodedItem[]; actions: EsBulkAction[] };

export type EsBulkOptions = BodyLimits & {
  /** The `{index}` of `POST /{index}/_bulk`, used by actions without `_index`. */
  defaultIndex?: string;
  maxLineBytes?: number;
};

/** Metadata keys an action line may carry (Elasticsearch 7/8 and older `_type`/`_routing`). */
const ACTION_META_KEYS = new Set([
  "_index", "_id", "_type", "routing", "_routing", "pipeline", "require_alias", "require_data_stream",
  "version", "version_type", "if_seq_no", "if_primary_term", "retry_on_conflict", "_source",
  "dynamic_templates", "op_type", "list_executed_pipelines", "_retry_on_conflict", "_version", "_version_type",
]);

type ParsedAction =
  | { ok: true; op: EsBulkOp; meta: JsonObject }
  | { ok: false; reason: string };

/** Decodes a bulk body (after its Content-Encoding) into items and the per-action response data. */
export function decodeEsBulk(body: Buffer, meta: BodyMeta, opts: EsBulkOptions): EsBulkDecoded {
  const maxLineBytes = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const lines = splitLines(decodeBody(body, meta.contentEncoding, opts.maxBytes), maxLineBytes);
  const out: EsBulkDecoded = { items: [], actions: [] };
  let i = 0;
  while (i < lines.length) {
    const index = out.actions.length;
    const step = decodeAction(lines, i, index, opts.defaultIndex);
    out.actions.push(step.action);
    out.items.push(step.item);
    i += step.consumed;
  }
  return out;
}

type Step = { action: EsBulkAction; item: DecodedItem; consumed: number };

/** Reads the action at `lines[at]` and, when it has one, its source line. */
function decodeAction(lines: Line[], at: number, index: number, defaultIndex: string | undefined): Step {
  const line = lines[at];
  const next = lines[at + 1];
  const sourceFollows = next !== undefined && !isActionLine(next);
  const parsed = parseActionLine(line);
  if (!parsed.ok) {
    return rejected({ index, op: "index" }, "illegal_argument_exception", parsed.reason, sourceFollows ? 2 : 1);
  }
  const action: EsBulkAction = { index, op: parsed.op, ...targetOf(parsed.meta, defaultIndex) };
  if (parsed.op === "delete") {
    return rejected(action, "illegal_argument_exception", "delete is not supported: Lookout log storage is append-only", 1);
  }
  if (parsed.op === "update") {
    const reason = "update is not supported: Lookout log storage is append-only";
    return rejected(action, "illegal_argument_exception", reason, sourceFollows ? 2 : 1);
  }
  if (!sourceFollows) {
    const reason = `the ${parsed.op} action on line [${line.index + 1}] is not followed by a source document`;
    return rejected(action, "illegal_argument_exception", reason, 1);
  }
  if (action._index === undefined) {
    return rejected(action, "action_request_validation_exception", "Validation Failed: 1: index is missing;", 2);
  }
  return { ...decodeSource(next, action), consumed: 2 };
}

function decodeSource(line: Line, action: EsBulkAction): Omit<Step, "consumed"> {
  if ("tooLong" in line) {
    const reason = `document on line [${line.index + 1}] is ${formatBytes(line.tooLong)}, over the line limit`;
    return withError(action, "illegal_argument_exception", reason);
  }
  const doc = lineJson(line);
  if (!isPlainObject(doc)) {
    const found = doc === NOT_JSON ? "not JSON" : jsonKind(doc);
    return withError(action, "mapper_parsing_exception", `failed to parse: the document on line [${line.index + 1}] is ${found}, expected a JSON object`);
  }
  return { action, item: okItem(action.index, eventFromEsDocument(doc, action)) };
}

function rejected(action: EsBulkAction, type: EsBulkErrorType, reason: string, consumed: number): Step {
  return { ...withError(action, type, reason), consumed };
}

function withError(action: EsBulkAction, type: EsBulkErrorType, reason: string): Omit<Step, "consumed"> {
  return { action: { ...action, error: { type, reason } }, item: errorItem(action.index, `${type}: ${reason}`) };
}

function targetOf(meta: JsonObject, defaultIndex: string | undefined): Pick<EsBulkAction, "_index" | "_id"> {
  const target: Pick<EsBulkAction, "_index" | "_id"> = {};
  const index = asNonEmptyText(meta._index) ?? (defaultIndex || undefined);
  const id = asNonEmptyText(meta._id);
  if (index !== undefined) target._index = index;
  if (id !== undefined) target._id = id;
  return target;
}

function parseActionLine(line: Line): ParsedAction {
  const n = line.index + 1;
  if ("tooLong" in line) return { ok: false, reason: `Malformed action/metadata line [${n}], longer than the line limit` };
  const parsed = lineJson(line);
  if (!isPlainObject(parsed)) {
    return { ok: false, reason: `Malformed action/metadata line [${n}], expected a JSON object but found ${parsed === NOT_JSON ? "text that is not JSON" : jsonKind(parsed)}` };
  }
  const keys = Object.keys(parsed);
  if (keys.length !== 1) {
    return { ok: false, reason: `Malformed action/metadata line [${n}], expected exactly one action but found ${keys.length} keys` };
  }
  const op = keys[0];
  if (!isBulkOp(op)) {
    return { ok: false, reason: `Malformed action/metadata line [${n}], expected field [create], [delete], [index] or [update] but found [${op}]` };
  }
  const meta = parsed[op];
  if (!isPlainObject(meta)) return { ok: false, reason: `Malformed action/metadata line [${n}], expected an object after [${op}]` };
  return { ok: true, op, meta };
}

/** True when a line has the shape of an action line (see the module comment). */
function isActionLine(line: Line): boolean {
  if ("tooLong" in line || !line.text.trimStart().startsWith("{")) return false;
  const parsed = lineJson(line);
  if (!isPlainObject(parsed)) return false;
  const keys = Object.keys(parsed);
  if (keys.length !== 1 || !isBulkOp(keys[0])) return false;
  const meta = parsed[keys[0]];
  return isPlainObject(meta) && Object.keys(meta).every((k) => ACTION_META_KEYS.has(k));
}

function isBulkOp(s: string): s is EsBulkOp {
  return (BULK_OPS as readonly string[]).includes(s);
}

const NOT_JSON = Symbol("not JSON");
/** Each line is parsed once, though it may be looked at twice (is it an action? then as a source). */
const parsedLines = new WeakMap<Line, unknown>();

function lineJson(line: { index: number; text: string }): unknown {
  if (parsedLines.has(line)) return parsedLines.get(line);
  let value: unknown;
  try {
    value = JSON.parse(line.text) as unknown;
  } catch {
    value = NOT_JSON;
  }
  parsedLines.set(line, value);
  return value;
}

const asString = (v: unknown) => (typeof v === "string" ? v : undefined);

/**
 * Maps a source document as shippers write it: ECS/Filebeat (`@timestamp`, `message`, `log.level`,
 * `service.name`, `host.name` | `host.hostname`, `trace.id`, `span.id`), Fluent Bit (`log` as the
 * message when there is no `message`; `@timestamp` or `date`), Vector (`message`, `timestamp`,
 * `host`), rsyslog templates (`severity`, `hostname`). The rest goes to `fields`, plus `_index`
 * and the client's `_id` when it sent one.
 */
export function eventFromEsDocument(doc: JsonObject, target: Pick<EsBulkAction, "_index" | "_id">): IncomingEvent {
  const ts = takeFirst(doc, ["@timestamp", "timestamp", "date", "time"], parseTimestamp);
  const message = takeFirst(ts.rest, ["message"], asMessage);
  const log = message.value === undefined ? takeFirst(message.rest, ["log", "msg"], asString) : message;
  const level = takeFirst(log.rest, ["log.level", "level", "severity"], asNonEmptyText);
  const service = takeFirst(level.rest, ["service.name", "service"], asNonEmptyText);
  const host = takeFirst(service.rest, ["host.name", "host.hostname", "host", "hostname"], asNonEmptyText);
  const traceId = takeFirst(host.rest, ["trace.id", "trace_id"], asNonEmptyText);
  const spanId = takeFirst(traceId.rest, ["span.id", "span_id"], asNonEmptyText);
  const fields = { ...spanId.rest };
  if (target._index !== undefined) setField(fields, "_index", target._index);
  if (target._id !== undefined) setField(fields, "_id", target._id);
  return {
    ts: ts.value,
    message: log.value ?? "",
    level: level.value,
    service: service.value,
    host: host.value,
    traceId: traceId.value,
    spanId: spanId.value,
    fields,
  };
}

export type EsBulkResponseItem = {
  [op in EsBulkOp]?: {
    _index: string;
    _id: string;
    status: number;
    _version?: number;
    result?: "created";
    _shards?: { total: number; successful: number; failed: number };
    _seq_no?: number;
    _primary_term?: number;
    error?: EsBulkError;
  };
};

export type EsBulkResponse = { took: number; errors: boolean; items: EsBulkResponseItem[] };

export type BulkResponseOptions = {
  /** Milliseconds the request took (Elasticsearch's `took`). */
  took: number;
  /** Ids for actions that did not carry one; default: 20 random URL-safe base64 characters, like Elasticsearch's. */
  generateId?: (action: EsBulkAction) => string;
  /** `_seq_no` of the first accepted item; the following ones count up. Default 0. */
  firstSeqNo?: number;
};

/**
 * Elasticsearch's bulk response: one item per action, in order; accepted items `201 created`,
 * rejected ones `400` with `error.type`/`error.reason`; `errors` is true when any item failed.
 * Pure apart from the default id generator (pass `generateId` for determinism).
 */
export function buildBulkResponse(actions: readonly EsBulkAction[], opts: BulkResponseOptions): EsBulkResponse {
  const generateId = opts.generateId ?? randomDocId;
  let seqNo = opts.firstSeqNo ?? 0;
  const items = actions.map((action): EsBulkResponseItem => {
    const head = { _index: action._index ?? "", _id: action._id ?? generateId(action) };
    if (action.error) return { [action.op]: { ...head, status: 400, error: action.error } };
    return {
      [action.op]: {
        ...head,
        _version: 1,
        result: "created",
        _shards: { total: 1, successful: 1, failed: 0 },
        _seq_no: seqNo++,
        _primary_term: 1,
        status: 201,
      },
    };
  });
  return { took: opts.took, errors: actions.some((a) => a.error !== undefined), items };
}

function randomDocId(): string {
  return randomBytes(15).toString("base64url");
}
