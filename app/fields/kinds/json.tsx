import type { Json } from '../../log/events.ts';
import { isBlank } from '../blank.ts';
import { Labelled } from '../control.tsx';
import { MAX_DEPTH, readJson } from '../json-text.ts';
import type { FieldCommon, KindModule } from '../types.ts';

/** A JSON value typed as text; a mistake is shown with its line and column. */
export type JsonField = FieldCommon<Json> & { kind: 'json'; rows?: number; placeholder?: string };

/** A value's JSON on one line; one nested too deeply to write out (from a log written by hand) says so instead. */
function shownJson(value: Json): string {
  try {
    return JSON.stringify(value);
  } catch {
    return `(nested more than ${MAX_DEPTH} levels deep: not shown)`;
  }
}

export const json: KindModule<JsonField> = {
  parse: (field, p) => {
    if (isBlank(p.one)) return p.missing();
    const read = readJson(p.one);
    if (!read.ok && read.problem === 'deep') return p.fail(`${field.label} is nested too deeply: at most ${MAX_DEPTH} levels of arrays and objects (line ${read.line}, column ${read.column}).`);
    if (!read.ok && read.problem === 'unkept') return p.fail(`${field.label} must hold numbers that can be kept as written: ${read.reason} (line ${read.line}, column ${read.column}).`);
    if (!read.ok) return p.fail(`${field.label} is not JSON: ${read.reason} at line ${read.line}, column ${read.column}.`);
    return read.value as Json;
  },
  toRaw: (_f, value, path, into) => {
    into[path] = JSON.stringify(value, null, 2);
  },
  show: (_f, value) => shownJson(value),
  Control: ({ field, id, common, one, note }) => (
    <Labelled id={id} label={field.label} note={note}>
      <textarea {...common} class="json" rows={field.rows ?? 6} placeholder={field.placeholder} spellcheck={false}>
        {one}
      </textarea>
    </Labelled>
  ),
};
