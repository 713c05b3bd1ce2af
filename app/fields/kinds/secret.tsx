import { Labelled } from '../control.tsx';
import { isSecretRef, type SecretRef } from '../../secrets/vault.ts';
import type { FieldCommon, KindModule } from '../types.ts';

/**
 * An API token or password. It is never shown again: the log records a reference to the data folder's secrets
 * file and a fingerprint, and jobs receive the real value. `validate` sees the reference; `minLength` and
 * `pattern` check the text itself.
 */
export type SecretField = FieldCommon<SecretRef> & { kind: 'secret'; minLength?: number; pattern?: RegExp; message?: string; placeholder?: string };

/** The form field carrying the reference of a secret already given (not secret itself). */
export const keepKey = (path: string) => `${path}:keep`;
const shownKey = (path: string) => `${path}:shown`;

export const secret: KindModule<SecretField> = {
  check: (field) => (field.pattern !== undefined && !(field.pattern instanceof RegExp) ? ['pattern must be a regular expression'] : []),
  parse: (field, p) => {
    const typed = p.one;
    if (typed !== '') {
      if (field.minLength !== undefined && typed.length < field.minLength) return p.fail(`${field.label} must be at least ${field.minLength} characters.`);
      if (field.pattern && !new RegExp(`^(?:${field.pattern.source})$`, field.pattern.flags.replace(/[gy]/g, '')).test(typed))
        return p.fail(`${field.label}: ${field.message ?? 'it does not have the expected form.'}`);
      if (!p.services) return p.fail(`${field.label} cannot be stored here.`);
      const ref = p.services.stageSecret(typed);
      const value = { secret: ref, fingerprint: p.services.secretFingerprint(ref) ?? '' };
      // The form that comes back (if another field is wrong) carries the reference, never the text.
      delete p.raw[p.path];
      p.raw[keepKey(p.path)] = ref;
      p.raw[shownKey(p.path)] = value.fingerprint;
      return value;
    }
    const ref = first(p.raw[keepKey(p.path)]);
    if (ref === '') return p.missing();
    const fingerprint = p.services ? p.services.secretFingerprint(ref) : first(p.raw[shownKey(p.path)]);
    const value = { secret: ref, fingerprint: fingerprint ?? '' };
    if (fingerprint === undefined || !isSecretRef(value)) {
      delete p.raw[keepKey(p.path)];
      return p.fail(`${field.label} must be given again: this data folder does not hold it (it came from another machine or file).`);
    }
    return value;
  },
  toRaw: (_f, value, path, into) => {
    if (!isSecretRef(value)) return;
    into[keepKey(path)] = value.secret;
    into[shownKey(path)] = value.fingerprint;
  },
  show: (_f, value) => (isSecretRef(value) ? `set${value.fingerprint ? `, ends in ${value.fingerprint}` : ''}` : '—'),
  forJob: (_f, value, { reveal }) => (isSecretRef(value) ? (reveal(value.secret) ?? null) : null),
  Control: ({ field, id, path, common, raw, note }) => {
    const kept = first(raw[keepKey(path)]);
    const shown = first(raw[shownKey(path)]);
    return (
      <Labelled id={id} label={field.label} note={note}>
        {kept ? (
          <>
            <input type="hidden" name={keepKey(path)} value={kept} />
            <input type="hidden" name={shownKey(path)} value={shown} />
          </>
        ) : null}
        <input
          type="password"
          autocomplete="new-password"
          {...common}
          required={field.required && !kept}
          value=""
          placeholder={kept ? `Set${shown ? `, ends in ${shown}` : ''}. Leave empty to keep it, or type a new one.` : field.placeholder}
        />
      </Labelled>
    );
  },
};

function first(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? '';
}
