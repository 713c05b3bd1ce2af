import type { Json } from '../log/events.ts';
import { optionOf, type Field, type Values } from './definition.ts';

/** A form's raw values by field path (`key`, or `group.key` inside a group): what the user typed. */
export type RawForm = Record<string, string | string[]>;

/** Field paths to the message shown beside that field. */
export type FieldErrors = Record<string, string>;

/** The path a field's control is named by in the form. */
export function pathOf(field: Field, prefix: string): string {
  return prefix ? `${prefix}.${field.key}` : field.key;
}

/**
 * The field's default for these earlier values; an author's default that throws counts as none. A group
 * without a default of its own suggests the defaults of its fields.
 */
export function defaultOf(field: Field, values: Values): Json | undefined {
  if (field.kind === 'group' && field.default === undefined) {
    const entries = field.fields.map((sub) => [sub.key, defaultOf(sub, values)] as const).filter(([, v]) => v !== undefined);
    return entries.length ? (Object.fromEntries(entries) as { [key: string]: Json }) : undefined;
  }
  try {
    return typeof field.default === 'function' ? (field.default as (v: Values) => Json)(values) : field.default;
  } catch {
    return undefined;
  }
}

/** Writes a value into the raw form the way its control shows it. */
export function toRaw(field: Field, value: Json | undefined, prefix: string, into: RawForm): void {
  const path = pathOf(field, prefix);
  if (value === undefined || value === null) return;
  switch (field.kind) {
    case 'group':
      if (typeof value === 'object' && !Array.isArray(value))
        for (const sub of field.fields) toRaw(sub, value[sub.key], path, into);
      return;
    case 'choices':
      into[path] = Array.isArray(value) ? value.map(String) : [String(value)];
      return;
    case 'checkbox':
      into[path] = value === true ? 'on' : '';
      return;
    default:
      into[path] = typeof value === 'string' ? value : JSON.stringify(value);
  }
}

/** Reads one field from the raw form: its typed value, or messages for what is wrong. */
export function parseField(field: Field, raw: RawForm, prefix: string, values: Values, errors: FieldErrors): Json {
  const path = pathOf(field, prefix);
  if (field.kind === 'group') {
    const before = Object.keys(errors).length;
    const object: { [key: string]: Json } = {};
    for (const sub of field.fields) object[sub.key] = parseField(sub, raw, path, values, errors);
    // The group's own check sees the whole object, once each of its fields is acceptable.
    const message = Object.keys(errors).length === before ? runValidator(field, object, values) : undefined;
    if (message) errors[path] = message;
    return object;
  }
  const value = typed(field, raw, path, errors);
  if (errors[path] || value === null) return value;
  const message = runValidator(field, value, values);
  if (message) errors[path] = message;
  return value;
}

function typed(field: Exclude<Field, { kind: 'group' }>, raw: RawForm, path: string, errors: FieldErrors): Json {
  const one = first(raw[path]);
  const missing = (): null => {
    if (field.required) errors[path] = `${field.label} is required.`;
    return null;
  };
  switch (field.kind) {
    case 'text':
    case 'textarea': {
      const text = one.trim() === '' ? '' : one;
      if (text === '' && field.required) return missing();
      if (field.maxLength !== undefined && text.length > field.maxLength)
        errors[path] = `${field.label} must be at most ${field.maxLength} characters.`;
      return text;
    }
    case 'number': {
      if (one.trim() === '') return missing();
      const n = Number(one);
      if (!Number.isFinite(n)) errors[path] = `${field.label} must be a number.`;
      else if (field.integer && !Number.isInteger(n)) errors[path] = `${field.label} must be a whole number.`;
      else if (field.min !== undefined && n < field.min) errors[path] = `${field.label} must be at least ${field.min}.`;
      else if (field.max !== undefined && n > field.max) errors[path] = `${field.label} must be at most ${field.max}.`;
      return n;
    }
    case 'select': {
      if (one === '') return missing();
      const allowed = field.options.map((o) => optionOf(o).value);
      if (!allowed.includes(one)) errors[path] = `${field.label}: "${one}" is not one of the choices.`;
      return one;
    }
    case 'choices': {
      const chosen = all(raw[path]);
      if (chosen.length === 0 && field.required) return missing() ?? [];
      const allowed = field.options.map((o) => optionOf(o).value);
      const bad = chosen.filter((c) => !allowed.includes(c));
      if (bad.length) errors[path] = `${field.label}: "${bad[0]}" is not one of the choices.`;
      return chosen;
    }
    case 'checkbox': {
      const checked = one !== '' && one !== 'off';
      if (!checked && field.required) errors[path] = `${field.label} must be ticked.`;
      return checked;
    }
  }
}

function runValidator(field: Field, value: Json, values: Values): string | undefined {
  if (!field.validate) return undefined;
  try {
    return (field.validate as (v: Json, all: Values) => string | undefined)(value, values) || undefined;
  } catch (err) {
    return `${field.label} could not be checked: ${(err as Error).message}`;
  }
}

function first(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

function all(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : (Array.isArray(value) ? value : [value]).filter((v) => v !== '');
}
