// The rows of a list field inside a raw form: `<path>:rows` holds how many there are, and row i's fields are
// named `<path>.<i>.<key>`. Adding, removing and moving rows rewrites those names, keeping what was typed.
import type { Field } from './registry.ts';
import type { RawForm, Values } from './types.ts';
import { defaultOf, toRaw } from './field.ts';
import { fieldAt } from './paths.ts';

/** The largest number of rows a form may claim, whatever a list's own max. */
export const ROWS_CAP = 500;

/** The form field naming a row action (`add:<path>`, `remove:<path>.<i>`, `up:…`, `down:…`). */
export const ROW_ACTION = ':list';

/** Names what the keyboard should land on when the form comes back after a row action (not sent by the form). */
export const FOCUS = ':focus';

export function rowsKey(path: string): string {
  return `${path}:rows`;
}

/** How many rows the form holds for the list at `path`. */
export function rowCount(raw: RawForm, path: string): number {
  const value = raw[rowsKey(path)];
  const n = Number(Array.isArray(value) ? value[0] : value);
  return Number.isInteger(n) && n > 0 ? Math.min(n, ROWS_CAP) : 0;
}

/**
 * The form after the row action it carries, or undefined when it carries none (it is then a submit). A
 * new row starts with its fields' defaults.
 */
export function editRows(fields: readonly Field[], raw: RawForm, values: Values): RawForm | undefined {
  const action = raw[ROW_ACTION];
  if (typeof action !== 'string') return undefined;
  const next: RawForm = { ...raw };
  delete next[ROW_ACTION];
  const m = /^(add|remove|up|down):(.+)$/.exec(action);
  if (!m) return next;
  const [, verb, target] = m;
  const listPath = verb === 'add' ? target : target.replace(/\.\d+$/, '');
  const list = findList(fields, listPath);
  if (!list) return next;
  const rows = takeRows(next, listPath);
  const at = verb === 'add' ? rows.length : Number(target.slice(listPath.length + 1));
  if (verb === 'add' && rows.length < Math.min(list.max ?? ROWS_CAP, ROWS_CAP)) {
    const fresh: RawForm = {};
    for (const sub of list.fields) toRaw(sub, defaultOf(sub, values), '', fresh);
    rows.push(Object.entries(fresh).map(([k, v]) => [`.${k}`, v]));
  } else if (verb === 'remove' && at < rows.length) rows.splice(at, 1);
  else if (verb === 'up' && at > 0 && at < rows.length) [rows[at - 1], rows[at]] = [rows[at], rows[at - 1]];
  else if (verb === 'down' && at + 1 < rows.length) [rows[at], rows[at + 1]] = [rows[at + 1], rows[at]];
  putRows(next, listPath, rows);
  // Where the keyboard goes next: the row added or moved, the row that took a removed one's place (else the list).
  const focused = verb === 'add' ? rows.length - 1 : verb === 'up' ? at - 1 : verb === 'down' ? at + 1 : Math.min(at, rows.length - 1);
  next[FOCUS] = focused >= 0 && focused < rows.length ? `${listPath}.${focused}` : listPath;
  return next;
}

type Row = [suffix: string, value: string | string[]][];

/** Removes the list's rows from the form, each as its names relative to the row. */
function takeRows(raw: RawForm, path: string): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < rowCount(raw, path); i++) {
    const prefix = `${path}.${i}`;
    const row: Row = [];
    for (const key of Object.keys(raw))
      if (key.startsWith(`${prefix}.`) || key.startsWith(`${prefix}:`)) {
        row.push([key.slice(prefix.length), raw[key]]);
        delete raw[key];
      }
    rows.push(row);
  }
  return rows;
}

function putRows(raw: RawForm, path: string, rows: Row[]): void {
  raw[rowsKey(path)] = String(rows.length);
  rows.forEach((row, i) => {
    for (const [suffix, value] of row) raw[`${path}.${i}${suffix}`] = value;
  });
}

/** The list field a form path names. */
function findList(fields: readonly Field[], path: string): Extract<Field, { kind: 'list' }> | undefined {
  const field = fieldAt(fields, path);
  return field?.kind === 'list' ? field : undefined;
}
