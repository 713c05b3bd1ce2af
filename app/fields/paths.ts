import type { Field } from './registry.ts';

/** The field a form path names (`key`, `group.key`, `list.3.key`), looking inside groups and list rows. */
export function fieldAt(fields: readonly Field[], path: string): Field | undefined {
  const [key, ...rest] = path.split('.');
  const field = fields.find((f) => f.key === key);
  if (!field || !rest.length) return field;
  if (field.kind === 'group') return fieldAt(field.fields, rest.join('.'));
  if (field.kind === 'list' && /^\d+$/.test(rest[0])) return fieldAt(field.fields, rest.slice(1).join('.'));
  return undefined;
}

/** Whether any field, at any depth, is of this kind. */
export function hasKind(fields: readonly Field[], kind: Field['kind']): boolean {
  return fields.some((f) => f.kind === kind || ('fields' in f && Array.isArray(f.fields) && hasKind(f.fields, kind)));
}
