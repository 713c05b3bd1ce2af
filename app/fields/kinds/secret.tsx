import { Labelled } from '../control.tsx';
import { isSecretRef, type SecretRef } from '../../secrets/vault.ts';
import { fieldAt } from '../paths.ts';
import type { Field } from '../registry.ts';
import type { FieldCommon, FieldErrors, KindModule, MissingSecret, RawForm, Services } from '../types.ts';

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
    const missing = !isSecretRef(value) ? 'made-up' : fingerprint === undefined ? p.services!.secretMissing(ref) : undefined;
    if (missing) {
      delete p.raw[keepKey(p.path)];
      delete p.raw[shownKey(p.path)];
      return p.fail(missingSecretMessage(field.label, missing));
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

/**
 * The form's message for a secret it refers to that the data folder does not hold: what happened, in the
 * person's words, and that it must be typed (pure). `made-up`: what the page sent is no reference at all.
 */
export function missingSecretMessage(label: string, why: MissingSecret | 'made-up'): string {
  const again = `${label} must be typed again`;
  const never = 'the secret this form refers to was never stored';
  switch (why) {
    case 'recorded':
      return `${again}: this data folder’s secrets file no longer holds it (it was removed or replaced, or this session was copied from another data folder).`;
    case 'let-go':
      return `${again}: ${never} (it was typed on a form that was sent back, and let go after many other forms were sent back).`;
    case 'unknown':
      return `${again}: ${never} (one typed on a form that was sent back is held only until the server restarts).`;
    case 'nowhere':
      return `${again}: secrets do not travel in a log.`;
    case 'made-up':
      return `${label} must be typed: the page sent something in its place that is not a secret this app stored (the page was changed).`;
  }
}

/**
 * Takes out of a pre-filled form (`raw`, changed in place) the secrets it would keep that the data folder no
 * longer holds, so the form asks for them instead of offering to keep them, and gives each one's message by path.
 */
export function forgetMissingSecrets(fields: readonly Field[], raw: RawForm, services: Services): FieldErrors {
  const errors: FieldErrors = {};
  for (const key of Object.keys(raw)) {
    const path = key.endsWith(':keep') ? key.slice(0, -':keep'.length) : undefined;
    const field = path === undefined ? undefined : fieldAt(fields, path);
    const ref = first(raw[key]);
    if (field?.kind !== 'secret' || services.secretFingerprint(ref) !== undefined) continue;
    delete raw[key];
    delete raw[shownKey(path!)];
    errors[path!] = missingSecretMessage(field.label, services.secretMissing(ref));
  }
  return errors;
}

function first(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? '';
}
