import { parse } from 'csv-parse/sync';
import type { Json } from '../log/events.ts';
import type { SessionFiles } from '../files/session-files.ts';

/** One row of a table or chart: values by column key. */
export type Row = Record<string, Json>;
/** Where rows come from: given in the output (from values), or a CSV or JSON file of the session. */
export type RowSource = { rows: Row[] } | { file: string };
/** Rows with the column keys in their order of first appearance. */
export type Rows = { keys: string[]; rows: Row[] };

/** How large a file tables and charts read. */
const MAX_FILE = 256 * 1024 * 1024;

/** A number when the text is plainly one ("12", "-3.5", "1e3"), so numeric columns sort and chart as numbers. */
export function numeric(text: string): Json {
  return /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(text.trim()) ? Number(text) : text;
}

/** The keys of rows, in order of first appearance. Pure. */
export function keysOf(rows: readonly Row[]): string[] {
  const keys = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) keys.add(key);
  return [...keys];
}

/** Parses CSV text with a header line. Pure. */
export function parseCsv(text: string): Rows {
  const records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true }) as string[][];
  const [header = [], ...body] = records;
  const keys = header.map((k, i) => k || `column ${i + 1}`);
  return { keys, rows: body.map((cells) => Object.fromEntries(keys.map((k, i) => [k, numeric(cells[i] ?? '')]))) };
}

/** Parses JSON text: a list of objects, or `{ columns: [...], rows: [[...], ...] }`. Pure. */
export function parseJsonRows(text: string): Rows {
  const data = JSON.parse(text) as unknown;
  if (Array.isArray(data)) {
    const rows = data.filter((r): r is Row => typeof r === 'object' && r !== null && !Array.isArray(r));
    if (rows.length !== data.length) throw new Error('a JSON table file must be a list of objects');
    return { keys: keysOf(rows), rows };
  }
  const shaped = data as { columns?: unknown; rows?: unknown };
  if (Array.isArray(shaped?.columns) && Array.isArray(shaped.rows)) {
    const keys = shaped.columns.map(String);
    return { keys, rows: (shaped.rows as Json[][]).map((cells) => Object.fromEntries(keys.map((k, i) => [k, cells?.[i] ?? null]))) };
  }
  throw new Error('a JSON table file must be a list of objects or { columns, rows }');
}

// Parsed files, by path, size and modification time: a paged table asks for its file page after page.
const cache = new Map<string, Rows>();
const CACHED = 8;

/** The rows of a source; a file is parsed once per version of it. Throws with a sentence when it cannot be read. */
export function readRows(source: RowSource, files: SessionFiles): Rows {
  if ('rows' in source) return { keys: keysOf(source.rows), rows: source.rows };
  const { file } = source;
  const version = files.version(file);
  if (version === undefined) throw new Error(`the file ${file} is not there`);
  const key = `${files.dir}\0${file}\0${version}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const text = files.readText(file, MAX_FILE);
  let rows: Rows;
  try {
    rows = /\.json$/i.test(file) ? parseJsonRows(text) : parseCsv(text);
  } catch (err) {
    throw new Error(`${file} cannot be read as a table: ${(err as Error).message}`);
  }
  cache.set(key, rows);
  if (cache.size > CACHED) cache.delete(cache.keys().next().value!);
  return rows;
}
