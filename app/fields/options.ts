import type { Option, Options, Values } from './types.ts';

/** An option written as a bare string or as {value, label}. */
export function optionOf(option: Option | string): Option {
  return typeof option === 'string' ? { value: option, label: option } : option;
}

/** A field's options for these earlier values; options derived by a function that throws are none. */
export function optionsOf(options: Options | undefined, values: Values): Option[] {
  try {
    const list = typeof options === 'function' ? options(values) : options;
    return Array.isArray(list) ? list.map(optionOf) : [];
  } catch {
    return [];
  }
}

/** The mistakes of a declaration's `options`: fixed options must be a non-empty list. */
export function checkOptions(field: { kind: string; options?: unknown }): string[] {
  if (typeof field.options === 'function') return [];
  return Array.isArray(field.options) && field.options.length > 0 ? [] : [`a ${field.kind} field needs options`];
}

/** The label of a chosen value, or the value itself when it is no longer an option. */
export function labelOf(options: Options | undefined, value: string, values: Values = {}): string {
  return optionsOf(options, values).find((o) => o.value === value)?.label ?? value;
}
