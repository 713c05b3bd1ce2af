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
  return mayBeNumber(text) && NUMBER.test(text.trim()) ? Number(text) : text;
}

const NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/** Whether the first character that is not a space could start a number: most text cells are told at once. */
function mayBeNumber(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || (c >= 9 && c <= 13) || (c > 127 && /\s/.test(text[i]))) continue; // what trim() removes
    return (c >= 48 && c <= 57) || c === 45 || c === 46;
  }
  return false;
}

/** The keys of rows, in order of first appearance. Pure. */
export function keysOf(rows: readonly Row[]): string[] {
  const keys = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) keys.add(key);
  return [...keys];
}

/**
 * The records of CSV text (RFC 4180: quoted fields with "" for a quote, commas and line breaks inside quotes,
 * CRLF or LF line ends, a leading byte-order mark); empty lines are skipped. Pure.
 */
export function csvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRecord = () => {
    if (!(record.length === 1 && record[0] === '')) records.push(record);
    record = [];
  };
  while (i < n) {
    let field: string;
    if (text.charCodeAt(i) === 34) {
      let out = '';
      let j = i + 1;
      for (;;) {
        const quote = text.indexOf('"', j);
        if (quote < 0) {
          out += text.slice(j);
          i = n;
          break;
        }
        out += text.slice(j, quote);
        if (text.charCodeAt(quote + 1) === 34) {
          out += '"';
          j = quote + 2;
          continue;
        }
        i = quote + 1;
        break;
      }
      // Anything between a closing quote and the next separator is kept, as spreadsheets do.
      let j2 = i;
      while (j2 < n && !isSeparator(text.charCodeAt(j2))) j2++;
      field = out + text.slice(i, j2);
      i = j2;
    } else {
      let j = i;
      while (j < n && !isSeparator(text.charCodeAt(j))) j++;
      field = text.slice(i, j);
      i = j;
    }
    record.push(field);
    if (i >= n) break;
    if (text.charCodeAt(i) === 44) {
      i++;
      if (i >= n) record.push('');
      continue;
    }
    i += text.charCodeAt(i) === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
    endRecord();
  }
  if (record.length) endRecord();
  return records;
}

const isSeparator = (c: number) => c === 44 || c === 10 || c === 13;

/** Parses CSV text with a header line; cells that are plainly numbers become numbers. Pure. */
export function parseCsv(text: string): Rows {
  const [header = [], ...body] = csvRecords(text);
  const keys = header.map((k, i) => k || `column ${i + 1}`);
  // Each row is built key by key in the same order, so every row shares one object shape; a column named
  // __proto__ would set the prototype that way, so such a file takes the slower, exact path.
  if (keys.includes('__proto__')) return { keys, rows: body.map((cells) => Object.fromEntries(keys.map((k, i) => [k, numeric(cells[i] ?? '')]))) };
  return {
    keys,
    rows: body.map((cells) => {
      const row: Row = {};
      for (let i = 0; i < keys.length; i++) row[keys[i]] = numeric(cells[i] ?? '');
      return row;
    }),
  };
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
