import { Labelled } from '../control.tsx';
import { isSha256, sizeInWords, type FileMeta } from '../../uploads/store.ts';
import type { FieldCommon, KindModule, Parse, RawForm } from '../types.ts';
import { plainText } from '../unprintable.ts';

/**
 * A file given on the form (upload), stored in the session's folder by its sha256; its value is its name, size,
 * type and sha256. `accept` lists extensions (".csv") and types ("text/csv", "image/*"); `maxSize` is in bytes
 * (10 MB unless said). A re-opened step keeps the file given unless another is chosen.
 */
export type FileField = FieldCommon<FileMeta> & { kind: 'file'; accept?: readonly string[]; maxSize?: number };

export const DEFAULT_MAX_SIZE = 10 * 1024 * 1024;

/** The form field carrying the file already given, as its JSON metadata. */
export const keepKey = (path: string) => `${path}:keep`;

/** The sha256s of the files a form carries to be sent again (its keep fields), whichever fields they are for. */
export function keptUploads(raw: RawForm): string[] {
  return Object.entries(raw).flatMap(([key, value]) => {
    if (!key.endsWith(':keep')) return [];
    try {
      const meta: unknown = JSON.parse(first(value));
      return isFileMeta(meta) ? [meta.sha256] : [];
    } catch {
      return [];
    }
  });
}

export function isFileMeta(value: unknown): value is FileMeta {
  const v = value as FileMeta | null;
  return (
    typeof v === 'object' && v !== null && typeof v.name === 'string' && Number.isInteger(v.size) && v.size >= 0 &&
    typeof v.type === 'string' && typeof v.sha256 === 'string' && isSha256(v.sha256)
  );
}

/** Whether a file's name or type is one the field accepts. */
export function accepted(accept: readonly string[] | undefined, meta: FileMeta): boolean {
  if (!accept?.length) return true;
  const name = meta.name.toLowerCase();
  const type = meta.type.toLowerCase();
  return accept.some((a) => {
    const want = a.toLowerCase();
    if (want.startsWith('.')) return name.endsWith(want);
    if (want.endsWith('/*')) return type.startsWith(want.slice(0, -1));
    return type === want;
  });
}

function checkMeta(field: FileField, meta: FileMeta, p: Parse): FileMeta | null {
  if (!accepted(field.accept, meta)) return p.fail(`${field.label} must be ${field.accept!.join(', ')}; "${meta.name}" is not.`);
  if (meta.size > (field.maxSize ?? DEFAULT_MAX_SIZE)) return p.fail(`${field.label} may be at most ${sizeInWords(field.maxSize ?? DEFAULT_MAX_SIZE)}.`);
  return meta;
}

export const file: KindModule<FileField> = {
  check: (field) => {
    const problems: string[] = [];
    if (field.maxSize !== undefined && !(Number.isInteger(field.maxSize) && field.maxSize > 0)) problems.push('maxSize must be a whole number of bytes');
    if (field.accept !== undefined && !(Array.isArray(field.accept) && field.accept.every((a) => typeof a === 'string' && a)))
      problems.push('accept must be a list of extensions (".csv") or types ("text/csv", "image/*")');
    return problems;
  },
  parse: (field, p) => {
    const given = p.services?.uploads[p.path];
    if (given && 'error' in given) return p.fail(given.error);
    if (given) {
      const meta = checkMeta(field, given, p);
      // The form that comes back (if another field is wrong) keeps the file, so it need not be sent again.
      if (meta) p.raw[keepKey(p.path)] = JSON.stringify(meta);
      return meta;
    }
    const kept = first(p.raw[keepKey(p.path)]);
    if (kept === '') return p.missing();
    let meta: unknown;
    try {
      meta = JSON.parse(kept);
    } catch {
      meta = undefined;
    }
    if (!isFileMeta(meta) || (p.services && p.services.uploadedSize(meta.sha256) !== meta.size)) {
      delete p.raw[keepKey(p.path)];
      return p.fail(`${field.label} must be given again: the file is not in this session's folder.`);
    }
    return checkMeta(field, meta, p);
  },
  toRaw: (_f, value, path, into) => {
    if (isFileMeta(value)) into[keepKey(path)] = JSON.stringify(value);
  },
  forJob: (_f, value, { uploadPath }) => (isFileMeta(value) ? { ...value, path: uploadPath(value.sha256) } : null),
  // A name is shown as it is spelled: with its bidi controls it could read as another ("a\u202Etxt.exe" as "aexe.txt").
  show: (_f, value) => (isFileMeta(value) ? `${plainText(value.name)} (${sizeInWords(value.size)})` : '—'),
  Control: ({ field, id, path, common, raw, note }) => {
    const kept = first(raw[keepKey(path)]);
    let meta: unknown;
    try {
      meta = kept ? JSON.parse(kept) : undefined;
    } catch {
      meta = undefined;
    }
    const has = isFileMeta(meta) ? meta : undefined;
    return (
      <Labelled id={id} label={field.label} note={note}>
        {has ? (
          <span class="file-kept">
            <input type="hidden" name={keepKey(path)} value={kept} />
            Given: <strong>{has.name}</strong> ({sizeInWords(has.size)}). Keep it, or choose another file to replace it.
          </span>
        ) : null}
        <input type="file" {...common} required={field.required && !has} accept={field.accept?.join(',')} />
      </Labelled>
    );
  },
};

function first(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? '';
}
