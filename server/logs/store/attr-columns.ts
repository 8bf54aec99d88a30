import { deflateRawSync, inflateRawSync } from "node:zlib";
import { ByteReader, ByteWriter, CorruptBlockError, unzigzag, zigzag } from "./bytes";
import { concatenatedStrings, decodeStrings, encodeStrings, parseJson } from "./string-column";
import { stripAttributesPrefix } from "@/server/logs/query/ast";
import { attributeAt } from "@/server/logs/attribute-path";
import { addFieldType, addValueTypes, type FieldTypes } from "./field-types";
import { lower } from "./tokens";

/**
 * The attributes section of a block payload, v3: columnar, so that a search decodes only the
 * attribute paths it reads, and skips a block's attributes when none holds its words.
 *
 * Every distinct leaf path of the block's attributes (its key segments kept apart, so keys with
 * dots stay exact) is a column of the values of the events that have it, typed by what it holds:
 *
 *   0 null     all null (no data)           4 float    float64 each
 *   1 empty    all {} (no data)             5 string   a string column (string-column.ts; nulls allowed)
 *   2 bool     one byte each                6 dict     varint size, varint byte length, the
 *   3 decimal  byte e, then zigzag varints m            distinct strings (a string column), then
 *              (value = m / 10^e, checked                one varint per value (0 = null, else index + 1)
 *              exact at encoding)           7 json     JSON array of the values (arrays, mixed types)
 *
 * A leaf is a string, number, boolean, null, array or empty object; non-empty plain objects are
 * walked. Each event's attributes are one "shape": the list of its leaf columns in key order,
 * from which decoding rebuilds the objects exactly (nested objects, key order, "__proto__" keys).
 * An event whose attributes hold anything else (undefined, functions, class instances such as
 * Date, nesting deeper than MAX_DEPTH, more than MAX_COLUMNS paths in the block) is stored as
 * JSON text instead, as v2 stored every event (JSON semantics: a Date becomes a string).
 *
 * Columns are packed in id order into groups of about GROUP_BYTES (a larger column gets its own
 * group), each deflated on its own, so reading one path inflates one small group.
 *
 *   region   byte 1 (format), varint group count, then (varint length × 2 + 1 if deflated) of the
 *            schema and of each group; then the schema and the groups
 *   schema   varint byte length + JSON of the column paths [[segment, ...], ...]; per column its
 *            kind byte and varint group; varint group of the JSON events + 1 (0 = none); varint
 *            shape count, per shape varint length + column ids; per event a varint (0 = no
 *            attributes, 1 = JSON event, else shape index + 2)
 *   group    per member column (id order; the JSON events' string column last in its own group):
 *            varint byte length + its data
 */

export type AttributeSelection = boolean | { paths: readonly string[] } | { ifText: readonly string[] };

/** The attributes of events whose attributes were not asked for, or hold none of the paths asked for (shared, frozen). */
export const NO_ATTRIBUTES: Record<string, unknown> = Object.freeze({});

type Attrs = Record<string, unknown>;

const FORMAT_COLUMNS = 1;
const K_NULL = 0;
const K_EMPTY = 1;
const K_BOOL = 2;
const K_DECIMAL = 3;
const K_FLOAT = 4;
const K_STRING = 5;
const K_DICT = 6;
const K_JSON = 7;

const T_NULL = 1;
const T_BOOL = 2;
const T_NUM = 4;
const T_STR = 8;
const T_EMPTY = 16;
const T_JSON = 32;

const MAX_DEPTH = 32;
const MAX_COLUMNS = 4096;
/** Raw bytes per group (bench/logs-block.ts: 1 KB reads a path ~10% faster and stores ~1% smaller than 4 KB; encoding alike). */
const GROUP_BYTES = 1024;
/** Decimal mantissas stay below this, so their zigzag varints stay exact. */
const MAX_MANTISSA = 2 ** 51;
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

// ---------------------------------------------------------------------------------------------
// Encoding

class PathNode {
  children: Map<string, PathNode> | null = null;
  col = -1;
}
class ShapeNode {
  next: Map<number, ShapeNode> | null = null;
  shape = -1;
}
type Column = { segs: string[]; values: unknown[]; types: number };
type EncodeState = { cols: Column[]; segs: string[]; ids: number[] };

function hasKeys(o: object): boolean {
  for (const _k in o) return true;
  return false;
}

/** Adds the leaves of `obj` to their columns; false when it holds something only JSON can store. */
function walk(st: EncodeState, obj: Attrs, node: PathNode, depth: number): boolean {
  for (const k in obj) {
    const v = obj[k];
    let child = node.children?.get(k);
    if (child === undefined) (node.children ??= new Map()).set(k, (child = new PathNode()));
    let t: number;
    if (v === null) t = T_NULL;
    else if (typeof v === "string") t = T_STR;
    else if (typeof v === "number") t = T_NUM;
    else if (typeof v === "boolean") t = T_BOOL;
    else if (typeof v === "object") {
      if (Array.isArray(v)) t = T_JSON;
      else {
        const proto = Object.getPrototypeOf(v) as unknown;
        if (proto !== Object.prototype && proto !== null) return false;
        if (hasKeys(v)) {
          if (depth >= MAX_DEPTH) return false;
          st.segs.push(k);
          const ok = walk(st, v as Attrs, child, depth + 1);
          st.segs.pop();
          if (!ok) return false;
          continue;
        }
        t = T_EMPTY;
      }
    } else return false;
    let c = child.col;
    if (c < 0) {
      if (st.cols.length >= MAX_COLUMNS) return false;
      c = child.col = st.cols.length;
      st.cols.push({ segs: [...st.segs, k], values: [], types: 0 });
    }
    const col = st.cols[c]!;
    col.values.push(v);
    col.types |= t;
    st.ids.push(c);
  }
  return true;
}

/** The exponent e (0..9) at which every value is m / 10^e exactly, or -1. */
function decimalExponent(values: unknown[]): number {
  let e = 0;
  for (const x of values) {
    const v = x as number;
    if (v === 0 && 1 / v < 0) return -1;
    if (Number.isInteger(v)) {
      if (Math.abs(v) >= MAX_MANTISSA) return -1;
      continue;
    }
    if (!Number.isFinite(v)) return -1;
    while (e < 9 && Math.round(v * POW10[e]!) / POW10[e]! !== v) e++;
    if (Math.round(v * POW10[e]!) / POW10[e]! !== v) return -1;
  }
  if (e === 0) return 0;
  // A value exact at a smaller exponent need not be at the larger one: check them all again.
  const p = POW10[e]!;
  for (const x of values) {
    const m = Math.round((x as number) * p);
    if (m / p !== x || Math.abs(m) >= MAX_MANTISSA || (x === 0 && 1 / (x as number) < 0)) return -1;
  }
  return e;
}

function encodeColumn(col: Column): { kind: number; data: Buffer } {
  const { values, types } = col;
  const n = values.length;
  switch (types) {
    case 0:
    case T_NULL:
      return { kind: K_NULL, data: Buffer.alloc(0) };
    case T_EMPTY:
      return { kind: K_EMPTY, data: Buffer.alloc(0) };
    case T_BOOL: {
      const data = Buffer.allocUnsafe(n);
      for (let i = 0; i < n; i++) data[i] = values[i] ? 1 : 0;
      return { kind: K_BOOL, data };
    }
    case T_NUM: {
      const e = decimalExponent(values);
      if (e < 0) {
        const w = new ByteWriter(n * 8);
        for (const v of values) w.float64(v as number);
        return { kind: K_FLOAT, data: w.bytes() };
      }
      const w = new ByteWriter(1 + n * 8);
      w.byte(e);
      const p = POW10[e]!;
      for (const v of values) w.varintUnchecked(zigzag(e === 0 ? (v as number) : Math.round((v as number) * p)));
      return { kind: K_DECIMAL, data: w.bytes() };
    }
    case T_STR:
    case T_STR | T_NULL:
      return encodeStringColumn(values as (string | null)[]);
    default:
      return { kind: K_JSON, data: Buffer.from(JSON.stringify(values)) };
  }
}

/** A dictionary when values repeat (at most one distinct value in four), else plain strings. */
function encodeStringColumn(values: (string | null)[]): { kind: number; data: Buffer } {
  const n = values.length;
  const limit = n >> 2;
  const index = new Map<string, number>();
  const dict: string[] = [];
  const codes = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (v === null) {
      codes[i] = 0;
      continue;
    }
    let c = index.get(v);
    if (c === undefined) {
      if (dict.length >= limit) return { kind: K_STRING, data: encodeStrings([values]) };
      index.set(v, (c = dict.push(v)));
    }
    codes[i] = c;
  }
  const strings = encodeStrings([dict]);
  const w = new ByteWriter(16 + strings.length + n * 3);
  w.varint(dict.length);
  w.varint(strings.length);
  strings.copy(w.buf, w.pos);
  w.pos += strings.length;
  for (let i = 0; i < n; i++) w.varintUnchecked(codes[i]!);
  return { kind: K_DICT, data: w.bytes() };
}

function compress(raw: Buffer, level: number): { bytes: Buffer; deflated: boolean } {
  const z = deflateRawSync(raw, { level });
  return z.length < raw.length ? { bytes: z, deflated: true } : { bytes: raw, deflated: false };
}

/**
 * The attributes region of events in time order, or null when no event has attributes; rawBytes
 * is its size before compression.
 */
export function encodeAttributeColumns(attrs: readonly Attrs[], level: number): { region: Buffer; rawBytes: number; fields: FieldTypes } | null {
  const n = attrs.length;
  const st: EncodeState = { cols: [], segs: [], ids: [] };
  const root = new PathNode();
  const shapeRoot = new ShapeNode();
  const shapes: number[][] = [];
  const codes = new Array<number>(n);
  const jsonEvents: string[] = [];
  const jsonObjects: Attrs[] = [];
  let any = false;
  for (let i = 0; i < n; i++) {
    const a = attrs[i]!;
    if (!hasKeys(a)) {
      codes[i] = 0;
      continue;
    }
    any = true;
    st.ids.length = 0;
    const proto = Object.getPrototypeOf(a) as unknown;
    if ((proto !== Object.prototype && proto !== null) || !walk(st, a, root, 0)) {
      for (const c of st.ids) st.cols[c]!.values.pop();
      jsonEvents.push(JSON.stringify(a));
      jsonObjects.push(a);
      codes[i] = 1;
      continue;
    }
    let sn = shapeRoot;
    for (const c of st.ids) {
      let next = sn.next?.get(c);
      if (next === undefined) (sn.next ??= new Map()).set(c, (next = new ShapeNode()));
      sn = next;
    }
    if (sn.shape < 0) sn.shape = shapes.push(st.ids.slice()) - 1;
    codes[i] = sn.shape + 2;
  }
  if (!any) return null;
  const fields = columnFieldTypes(st.cols, jsonObjects);

  // Columns into groups.
  const cols = st.cols.map(encodeColumn);
  const groupOf = new Array<number>(cols.length);
  const groups: Buffer[][] = [];
  let small: Buffer[] | null = null;
  let smallGroup = -1;
  let smallBytes = 0;
  const member = (data: Buffer): Buffer[] => {
    const len = new ByteWriter(8);
    len.varint(data.length);
    return [len.bytes(), data];
  };
  cols.forEach((c, i) => {
    if (c.data.length >= GROUP_BYTES) {
      groupOf[i] = groups.push(member(c.data)) - 1;
      return;
    }
    if (small === null || smallBytes >= GROUP_BYTES) {
      small = [];
      smallBytes = 0;
      smallGroup = groups.push(small) - 1;
    }
    small.push(...member(c.data));
    smallBytes += c.data.length;
    groupOf[i] = smallGroup;
  });
  let jsonGroup = 0;
  if (jsonEvents.length) jsonGroup = groups.push(member(encodeStrings([jsonEvents]))) - 1 + 1;

  const paths = Buffer.from(JSON.stringify(st.cols.map((c) => c.segs)));
  const w = new ByteWriter(paths.length + 64 + cols.length * 4 + n * 2);
  w.varint(paths.length);
  w.ensure(paths.length);
  paths.copy(w.buf, w.pos);
  w.pos += paths.length;
  w.ensure(cols.length * 9);
  for (let i = 0; i < cols.length; i++) {
    w.buf[w.pos++] = cols[i]!.kind;
    w.varintUnchecked(groupOf[i]!);
  }
  w.varint(jsonGroup);
  w.varint(shapes.length);
  for (const s of shapes) {
    w.ensure(8 + s.length * 8);
    w.varintUnchecked(s.length);
    for (const c of s) w.varintUnchecked(c);
  }
  w.ensure(n * 8);
  for (let i = 0; i < n; i++) w.varintUnchecked(codes[i]!);
  const schemaRaw = w.bytes();

  const raws = [schemaRaw, ...groups.map((g) => Buffer.concat(g))];
  const parts = raws.map((r) => compress(r, level));
  const head = new ByteWriter(16 + parts.length * 4);
  head.byte(FORMAT_COLUMNS);
  head.varint(groups.length);
  for (const p of parts) head.varint(p.bytes.length * 2 + (p.deflated ? 1 : 0));
  const region = Buffer.concat([head.bytes(), ...parts.map((p) => p.bytes)]);
  return { region, rawBytes: raws.reduce((s, r) => s + r.length, 0) + head.pos, fields };
}

/**
 * The paths and value types of the encoded attributes, for the field catalog: read off the
 * columns (their type bits), walking only array values and events kept as JSON.
 */
function columnFieldTypes(cols: readonly Column[], jsonObjects: readonly Attrs[]): FieldTypes {
  const out: FieldTypes = new Map();
  for (const c of cols) {
    const path = c.segs.join(".");
    if (c.types & T_STR) addFieldType(out, path, "string");
    if (c.types & T_NUM) addFieldType(out, path, "number");
    if (c.types & T_BOOL) addFieldType(out, path, "boolean");
    if (c.types & T_JSON) for (const v of c.values) if (Array.isArray(v)) addValueTypes(out, path, v, c.segs.length);
  }
  for (const a of jsonObjects) addValueTypes(out, "", a, 0);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Decoding

/** The events' attribute paths, leaves in key order, as column ids. */
type Schema = {
  paths: string[][];
  kinds: Uint8Array;
  groupOf: Int32Array;
  /** Column ids of each group, in id order (the JSON events' group holds none). */
  members: number[][];
  /** Group of the JSON events, -1 = none. */
  jsonGroup: number;
  shapes: Int32Array[];
  /** Per event: 0 = no attributes, 1 = JSON event, else shape index + 2. */
  codes: Int32Array;
  /** Values per column (events whose shape holds it). */
  counts: Int32Array;
  jsonCount: number;
};

function section(name: string, fn: () => Buffer): Buffer {
  try {
    return fn();
  } catch (e) {
    throw new CorruptBlockError(`${name}: ${(e as Error).message}`, { cause: e });
  }
}

class Region {
  readonly schema: Schema;
  private readonly spans: { start: number; end: number; deflated: boolean }[];
  private readonly inflated: (Buffer | undefined)[];

  constructor(
    private readonly buf: Buffer,
    private readonly n: number,
  ) {
    const r = new ByteReader(buf);
    const format = r.byte();
    if (format !== FORMAT_COLUMNS) throw new CorruptBlockError(`attributes format ${format}`);
    const ngroups = r.varint();
    if (ngroups > buf.length) throw new CorruptBlockError(`attributes: ${ngroups} groups`);
    const lens: number[] = [];
    for (let i = 0; i <= ngroups; i++) lens.push(r.varint());
    let at = r.pos;
    this.spans = lens.map((l) => {
      const len = Math.floor(l / 2);
      const span = { start: at, end: at + len, deflated: l % 2 === 1 };
      at += len;
      return span;
    });
    if (at !== buf.length) throw new CorruptBlockError(`attributes: groups span ${at} of ${buf.length} bytes`);
    this.inflated = new Array(ngroups + 1);
    this.schema = this.readSchema(this.part(0), ngroups);
  }

  private part(i: number): Buffer {
    let b = this.inflated[i];
    if (b === undefined) {
      const { start, end, deflated } = this.spans[i]!;
      const raw = this.buf.subarray(start, end);
      b = this.inflated[i] = deflated ? section(i === 0 ? "attributes schema" : `attributes group ${i - 1}`, () => inflateRawSync(raw)) : raw;
    }
    return b;
  }

  private readSchema(buf: Buffer, ngroups: number): Schema {
    const n = this.n;
    const r = new ByteReader(buf);
    const paths = parseJson(r.utf8(r.varint()), "attributes schema");
    if (!Array.isArray(paths) || !paths.every((p) => Array.isArray(p) && p.length > 0 && p.every((s) => typeof s === "string"))) {
      throw new CorruptBlockError("attributes schema: bad paths");
    }
    const ncols = paths.length;
    const kinds = new Uint8Array(ncols);
    const groupOf = new Int32Array(ncols);
    const members: number[][] = Array.from({ length: ngroups }, () => []);
    for (let c = 0; c < ncols; c++) {
      const k = r.byte();
      const g = r.varint();
      if (k > K_JSON || g >= ngroups) throw new CorruptBlockError(`attributes schema: column ${c} kind ${k} group ${g}`);
      kinds[c] = k;
      groupOf[c] = g;
      members[g]!.push(c);
    }
    const jsonGroup = r.varint() - 1;
    if (jsonGroup >= ngroups || (jsonGroup >= 0 && members[jsonGroup]!.length)) throw new CorruptBlockError(`attributes schema: JSON group ${jsonGroup}`);
    const nshapes = r.varint();
    if (nshapes > buf.length) throw new CorruptBlockError(`attributes schema: ${nshapes} shapes`);
    const shapes: Int32Array[] = [];
    const seen = new Int32Array(ncols);
    for (let s = 0; s < nshapes; s++) {
      const len = r.varint();
      if (len === 0 || len > buf.length) throw new CorruptBlockError(`attributes schema: shape of ${len} columns`);
      const ids = new Int32Array(len);
      for (let j = 0; j < len; j++) {
        const c = r.varint();
        if (c >= ncols || seen[c] === s + 1) throw new CorruptBlockError(`attributes schema: column ${c} in shape ${s}`);
        seen[c] = s + 1;
        ids[j] = c;
      }
      shapes.push(ids);
    }
    const codes = new Int32Array(n);
    const uses = new Int32Array(nshapes);
    let jsonCount = 0;
    for (let i = 0; i < n; i++) {
      const code = r.varint();
      if (code >= nshapes + 2) throw new CorruptBlockError(`attributes schema: shape ${code - 2}`);
      if (code === 1) jsonCount++;
      else if (code > 1) uses[code - 2]++;
      codes[i] = code;
    }
    if (r.pos !== buf.length) throw new CorruptBlockError("attributes schema: trailing bytes");
    if ((jsonCount > 0) !== jsonGroup >= 0) throw new CorruptBlockError("attributes schema: JSON events without their group");
    const counts = new Int32Array(ncols);
    shapes.forEach((ids, s) => {
      for (const c of ids) counts[c]! += uses[s]!;
    });
    return { paths: paths as string[][], kinds, groupOf, members, jsonGroup, shapes, codes, counts, jsonCount };
  }

  /** The bytes of column `c` (or of the JSON events, c = -1) inside its group. */
  private columnBytes(c: number): Buffer {
    const g = c < 0 ? this.schema.jsonGroup : this.schema.groupOf[c]!;
    const buf = this.part(g + 1);
    const r = new ByteReader(buf);
    const ids = c < 0 ? [-1] : this.schema.members[g]!;
    for (const id of ids) {
      const len = r.varint();
      if (r.pos + len > buf.length) throw new CorruptBlockError(`attributes group ${g}: truncated`);
      if (id === c) {
        if (id === ids[ids.length - 1] && r.pos + len !== buf.length) throw new CorruptBlockError(`attributes group ${g}: trailing bytes`);
        return buf.subarray(r.pos, r.pos + len);
      }
      r.pos += len;
    }
    throw new CorruptBlockError(`attributes group ${g}: column ${c} missing`);
  }

  /** The values of column `c`, one per event whose shape holds it. */
  column(c: number): unknown[] {
    const buf = this.columnBytes(c);
    const count = this.schema.counts[c]!;
    const kind = this.schema.kinds[c]!;
    const name = `attributes column ${c}`;
    if (kind === K_STRING) return decodeStrings(buf, count, 1, name)[0]!;
    if (kind === K_JSON) {
      const values = parseJson(buf.toString("utf8"), name);
      if (!Array.isArray(values) || values.length !== count) throw new CorruptBlockError(`${name}: bad values`);
      return values;
    }
    const out = new Array<unknown>(count);
    const r = new ByteReader(buf);
    switch (kind) {
      case K_NULL:
        out.fill(null);
        break;
      case K_EMPTY:
        for (let i = 0; i < count; i++) out[i] = {};
        break;
      case K_BOOL:
        for (let i = 0; i < count; i++) {
          const b = r.byte();
          if (b > 1) throw new CorruptBlockError(`${name}: boolean ${b}`);
          out[i] = b === 1;
        }
        break;
      case K_DECIMAL: {
        const e = r.byte();
        if (e > 9) throw new CorruptBlockError(`${name}: exponent ${e}`);
        const p = POW10[e]!;
        if (e === 0) for (let i = 0; i < count; i++) out[i] = unzigzag(r.varint());
        else for (let i = 0; i < count; i++) out[i] = unzigzag(r.varint()) / p;
        break;
      }
      case K_FLOAT:
        for (let i = 0; i < count; i++) out[i] = r.float64();
        break;
      case K_DICT: {
        const size = r.varint();
        const len = r.varint();
        if (size > buf.length || r.pos + len > buf.length) throw new CorruptBlockError(`${name}: bad dictionary`);
        const dict = decodeStrings(buf.subarray(r.pos, r.pos + len), size, 1, name)[0]!;
        r.pos += len;
        for (let i = 0; i < count; i++) {
          const code = r.varint();
          if (code > size) throw new CorruptBlockError(`${name}: code ${code}`);
          out[i] = code === 0 ? null : dict[code - 1];
        }
        break;
      }
    }
    if (r.pos !== buf.length) throw new CorruptBlockError(`${name}: trailing bytes`);
    return out;
  }

  /** The JSON events' attributes, in event order. */
  jsonEvents(): Attrs[] {
    if (this.schema.jsonCount === 0) return [];
    const texts = decodeStrings(this.columnBytes(-1), this.schema.jsonCount, 1, "attributes JSON events")[0]!;
    return texts.map((t) => {
      const a = parseJson(t ?? "", "attributes JSON events");
      if (a === null || typeof a !== "object" || Array.isArray(a)) throw new CorruptBlockError("attributes JSON events: not an object");
      return a as Attrs;
    });
  }

  /**
   * Folded text that holds every key and string value of the block (and possibly more): one
   * piece at a time, so a caller can stop at the first piece that holds what it looks for.
   */
  *texts(): Generator<string> {
    const { paths, kinds, counts } = this.schema;
    yield fold(paths.map((p) => p.join("\u0000")).join("\u0000"));
    for (let c = 0; c < paths.length; c++) {
      const kind = kinds[c]!;
      if (kind === K_STRING) yield fold(concatenatedStrings(this.columnBytes(c), counts[c]!, `attributes column ${c}`));
      else if (kind === K_DICT) {
        const buf = this.columnBytes(c);
        const r = new ByteReader(buf);
        const size = r.varint();
        const len = r.varint();
        if (size > buf.length || r.pos + len > buf.length) throw new CorruptBlockError(`attributes column ${c}: bad dictionary`);
        yield fold(concatenatedStrings(buf.subarray(r.pos, r.pos + len), size, `attributes column ${c}`));
      } else if (kind === K_JSON) yield jsonText(this.columnBytes(c).toString("utf8"), `attributes column ${c}`);
    }
    if (this.schema.jsonCount) {
      const text = concatenatedStrings(this.columnBytes(-1), this.schema.jsonCount, "attributes JSON events");
      yield text.includes("\\") ? this.jsonEvents().map((a) => stringsText(a)).join("\u0000") : fold(text);
    }
  }

  /** Every event's attributes, rebuilt exactly; null for events without any. */
  all(): (Attrs | null)[] {
    const { shapes, codes, paths } = this.schema;
    const values = paths.map((_, c) => this.column(c));
    const json = this.jsonEvents();
    const cursor = new Int32Array(paths.length);
    const plans = shapes.map((ids) => planShape(paths, ids));
    const out = new Array<Attrs | null>(this.n);
    let j = 0;
    for (let i = 0; i < this.n; i++) {
      const code = codes[i]!;
      out[i] = code === 0 ? null : code === 1 ? json[j++]! : build(plans[code - 2]!, values, cursor, true);
    }
    return out;
  }

  /** Per event: the values of `paths` (getField's resolution), as flat keys; NO_ATTRIBUTES when none. */
  paths(paths: readonly string[]): Attrs[] {
    const { shapes, codes, paths: colPaths } = this.schema;
    const wanted = [...new Set(paths.map(stripAttributesPrefix))];
    const relevant = colPaths.map((segs) => wanted.some((p) => isRelevant(segs, p)));
    const values = colPaths.map((_, c) => (relevant[c] ? this.column(c) : null));
    const json = wanted.length ? this.jsonEvents() : [];
    const cursor = new Int32Array(colPaths.length);
    // Per shape and wanted path: the shape's leaves the path can depend on.
    const plans = shapes.map((ids) => {
      const mine = [...ids].filter((c) => relevant[c]);
      return {
        mine,
        byPath: wanted.map((p) => {
          const plan = planShape(colPaths, mine.filter((c) => isRelevant(colPaths[c]!, p)));
          return { plan, direct: plan.length === 1 && plan[0]!.joined === p ? plan[0]!.col : -1 };
        }),
      };
    });
    const out = new Array<Attrs>(this.n);
    let jsonAt = 0;
    for (let i = 0; i < this.n; i++) {
      const code = codes[i]!;
      let o: Attrs | null = null;
      if (code === 1) {
        const a = json[jsonAt++]!;
        for (const p of wanted) {
          const v = attributeAt(a, p);
          if (v !== undefined) setKey((o ??= {}), p, v);
        }
      } else if (code > 1) {
        const { mine, byPath } = plans[code - 2]!;
        for (let k = 0; k < wanted.length; k++) {
          const { plan, direct } = byPath[k]!;
          if (plan.length === 0) continue;
          let v: unknown;
          if (direct >= 0) v = values[direct]![cursor[direct]!];
          else v = attributeAt(build(plan, values, cursor, false), wanted[k]!);
          if (v !== undefined) setKey((o ??= {}), wanted[k]!, v);
        }
        for (const c of mine) cursor[c]!++;
      }
      out[i] = o ?? NO_ATTRIBUTES;
    }
    return out;
  }
}

type Leaf = { pop: number; opens: string[]; key: string; col: number; joined: string };

/** How to rebuild an object from leaves `ids` (in key order): per leaf, the objects to close and open. */
function planShape(paths: string[][], ids: ArrayLike<number>): Leaf[] {
  const plan: Leaf[] = [];
  let open: string[] = [];
  for (let j = 0; j < ids.length; j++) {
    const col = ids[j]!;
    const segs = paths[col]!;
    const parents = segs.length - 1;
    let common = 0;
    while (common < open.length && common < parents && open[common] === segs[common]) common++;
    plan.push({ pop: common, opens: segs.slice(common, parents), key: segs[parents]!, col, joined: segs.join(".") });
    open = segs.slice(0, parents);
  }
  return plan;
}

function setKey(o: Attrs, k: string, v: unknown): void {
  if (k === "__proto__") Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

/** The object of a plan's leaves, each leaf's value at its column's cursor (then advanced, if `advance`). */
function build(plan: Leaf[], values: (unknown[] | null)[], cursor: Int32Array, advance: boolean): Attrs {
  const root: Attrs = {};
  const stack: Attrs[] = [root];
  for (const leaf of plan) {
    stack.length = leaf.pop + 1;
    let top = stack[leaf.pop]!;
    for (const k of leaf.opens) {
      const o: Attrs = {};
      setKey(top, k, o);
      stack.push((top = o));
    }
    setKey(top, leaf.key, values[leaf.col]![advance ? cursor[leaf.col]!++ : cursor[leaf.col]!]);
  }
  return root;
}


/**
 * Whether a leaf at `segs` can affect what `path` resolves to (attributeAt): it lies at or under
 * the path (its dotted path is the path or starts with it and a dot), or one of its keys on the
 * way there holds a dot, so its presence keeps the walk from taking a shorter key at that level
 * (`{"a.b": {"x": 1}, "a": {"b": {"c": 2}}}` has no `a.b.c`). A key without a dot has no shorter
 * alternative, so leaves that only pass through such keys and then leave the path do not matter.
 */
function isRelevant(segs: readonly string[], path: string): boolean {
  let acc = "";
  for (let j = 0; j < segs.length; j++) {
    const seg = segs[j]!;
    acc = j === 0 ? seg : `${acc}.${seg}`;
    if (acc.length >= path.length) return acc === path || (acc.startsWith(path) && acc.charCodeAt(path.length) === 46);
    if (!path.startsWith(acc) || path.charCodeAt(acc.length) !== 46) return false;
    if (seg.includes(".")) return true;
  }
  return false;
}


const FOLDED = /[A-Z\u0080-\uffff]/g;
const NON_ASCII = /[\u0080-\uffff]/;

/** Lower-cased code unit by code unit, as the token index and the query matcher fold. */
function fold(s: string): string {
  if (!NON_ASCII.test(s)) return s.toLowerCase();
  return s.replace(FOLDED, (ch) => String.fromCharCode(lower(ch.charCodeAt(0))));
}

/** Folded keys and strings of a JSON text: the text itself unless an escape could hide one. */
function jsonText(text: string, name: string): string {
  return text.includes("\\") ? stringsText(parseJson(text, name)) : fold(text);
}

/** Folded keys and string values anywhere in `v`, separated by NULs. */
function stringsText(v: unknown): string {
  const out: string[] = [];
  const visit = (x: unknown): void => {
    if (typeof x === "string") out.push(x);
    else if (Array.isArray(x)) x.forEach(visit);
    else if (x !== null && typeof x === "object") {
      for (const k in x) {
        out.push(k);
        visit((x as Attrs)[k]);
      }
    }
  };
  visit(v);
  return fold(out.join("\u0000"));
}

function anyIn(text: string, literals: readonly string[]): boolean {
  for (const l of literals) if (text.includes(l)) return true;
  return false;
}

/**
 * Attributes of the events of a v3 region by `selection` (not false): every event's (null = none)
 * for true or an `ifText` that some key or string value holds; flat path values for `paths`; all
 * NO_ATTRIBUTES for an `ifText` that nothing holds.
 */
export function decodeAttributeColumns(region: Buffer, n: number, selection: Exclude<AttributeSelection, false>): (Attrs | null)[] {
  const r = new Region(region, n);
  if (selection === true) return r.all();
  if ("paths" in selection) return r.paths(selection.paths);
  for (const text of r.texts()) if (anyIn(text, selection.ifText)) return r.all();
  return new Array<Attrs>(n).fill(NO_ATTRIBUTES);
}

/** The same selection applied to attributes decoded whole (v2 payloads). */
export function selectAttributes(attrs: (Attrs | null)[], selection: Exclude<AttributeSelection, false>): (Attrs | null)[] {
  if (selection === true) return attrs;
  if ("paths" in selection) {
    const wanted = [...new Set(selection.paths.map(stripAttributesPrefix))];
    return attrs.map((a) => {
      let o: Attrs | null = null;
      if (a) {
        for (const p of wanted) {
          const v = attributeAt(a, p);
          if (v !== undefined) setKey((o ??= {}), p, v);
        }
      }
      return o ?? NO_ATTRIBUTES;
    });
  }
  for (const a of attrs) if (a && anyIn(stringsText(a), selection.ifText)) return attrs;
  return attrs.map(() => NO_ATTRIBUTES);
}
