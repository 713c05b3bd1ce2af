import type { Json } from '../log/events.ts';
import type { Row } from './rows.ts';

/** A column as the table shows it: the row key it reads and its heading. */
export type Column = { key: string; label: string };
export type ColumnSpec = string | Column;
export type SortDir = 'asc' | 'desc';
/** A page as Tabulator's remote pagination wants it; rows are keyed c0, c1… by column position. */
export type Page = { last_page: number; last_row: number; data: Record<string, Json>[] };

/** The columns to show: those given, else every key of the rows. Pure. */
export function columnsOf(spec: readonly ColumnSpec[] | undefined, keys: readonly string[]): Column[] {
  return (spec ?? keys).map((c) => (typeof c === 'string' ? { key: c, label: c } : { key: c.key, label: c.label ?? c.key }));
}

type SortKey = { rank: 0 | 1 | 2; num: number; text: string };

/**
 * How a value sorts: numbers first by value, then text case-insensitively with digit runs compared as numbers
 * ("row 9" before "row 10"), empty cells last. Computed once per row, so a sort compares plain values. Pure.
 */
export function sortKey(value: Json | undefined): SortKey {
  if (value === null || value === undefined || value === '') return { rank: 2, num: 0, text: '' };
  if (typeof value === 'number') return { rank: 0, num: value, text: '' };
  return { rank: 1, num: 0, text: cellText(value).toLowerCase().replace(/\d+/g, (d) => d.padStart(20, '0')) };
}

function compareKeys(a: SortKey, b: SortKey): number {
  if (a.rank !== b.rank) return a.rank - b.rank;
  if (a.rank === 0) return a.num - b.num;
  return a.text < b.text ? -1 : a.text > b.text ? 1 : 0;
}

// Sorted orders, per rows array and column: paging through a sorted 100,000-row table sorts it once.
const sortedCache = new WeakMap<readonly Row[], Map<string, readonly Row[]>>();

/** The rows sorted by one column (stable; descending keeps empty cells last). Pure apart from its cache. */
export function sortRows(rows: readonly Row[], key: string | undefined, dir: SortDir = 'asc'): readonly Row[] {
  if (key === undefined) return rows;
  let byRows = sortedCache.get(rows);
  if (!byRows) sortedCache.set(rows, (byRows = new Map()));
  const cacheKey = `${dir}\0${key}`;
  const hit = byRows.get(cacheKey);
  if (hit) return hit;
  const sign = dir === 'desc' ? -1 : 1;
  const sorted = rows
    .map((row, i) => ({ row, i, k: sortKey(row[key]) }))
    .sort((x, y) => {
      const empty = x.k.rank === 2 || y.k.rank === 2;
      return (empty ? compareKeys(x.k, y.k) : sign * compareKeys(x.k, y.k)) || x.i - y.i;
    })
    .map((e) => e.row);
  byRows.set(cacheKey, sorted);
  return sorted;
}

/** One page (1-based) of rows under the columns, with the page count. Pure. */
export function pageOf(rows: readonly Row[], columns: readonly Column[], page: number, size: number): Page {
  const lastPage = Math.max(1, Math.ceil(rows.length / size));
  const at = Math.min(Math.max(1, page), lastPage);
  const data = rows.slice((at - 1) * size, at * size).map((row) => Object.fromEntries(columns.map((c, i) => [`c${i}`, row[c.key] ?? null])));
  return { last_page: lastPage, last_row: rows.length, data };
}

/** A cell as text: strings as they are, other values as JSON. Pure. */
export function cellText(value: Json | undefined): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** One CSV line (RFC 4180 quoting; a leading = + - @ is prefixed with ' so spreadsheets do not run it). Pure. */
export function csvLine(cells: readonly string[]): string {
  return (
    cells
      .map((cell) => {
        const safe = /^[=+\-@\t\r]/.test(cell) && !/^-?\d/.test(cell) ? `'${cell}` : cell;
        return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
      })
      .join(',') + '\r\n'
  );
}

/** The whole table as CSV lines, header first, yielded in chunks of lines for streaming. Pure. */
export function* csvChunks(rows: readonly Row[], columns: readonly Column[], linesPerChunk = 1000): Generator<string> {
  let chunk = csvLine(columns.map((c) => c.label));
  let n = 0;
  for (const row of rows) {
    chunk += csvLine(columns.map((c) => cellText(row[c.key])));
    if (++n % linesPerChunk === 0) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}
