import type { Child } from 'hono/jsx';
import { kindOf, pathOf } from './field.ts';
import type { Field } from './registry.ts';
import type { ControlProps, FieldErrors, RawForm, Values } from './types.ts';

type Props = { field: Field; raw: RawForm; errors: FieldErrors; values?: Values; prefix?: string; action?: string };

/** One field of a step's form with its label, help and the message for what is wrong with it. */
export function FieldControl({ field, raw, errors, values = {}, prefix = '', action }: Props) {
  const path = pathOf(field, prefix);
  const id = idOf(path);
  const error = errors[path];
  const described = [field.help ? `${id}-help` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const value = raw[path];
  const props: ControlProps<Field> = {
    field,
    path,
    id,
    raw,
    errors,
    values,
    one: (Array.isArray(value) ? value[0] : value) ?? '',
    common: { id, name: path, required: field.required, 'aria-invalid': error ? 'true' : undefined, 'aria-describedby': described },
    note: <Note id={id} help={field.help} error={error} />,
    described,
    action,
  };
  const Control = kindOf(field).Control as (p: ControlProps<Field>) => Child;
  return <Control {...props} />;
}

/** The element id of the control named by a path. */
export function idOf(path: string): string {
  return `f-${path.replace(/\./g, '-')}`;
}

/**
 * The usual frame: the label naming the control, the control, then its note (help and message), which the control
 * points at with aria-describedby rather than carrying it in its name.
 */
export function Labelled(props: { id: string; label: string; note: Child; children: Child }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.note}
    </div>
  );
}

/** The field's help and the message for what is wrong with it, each that there is; a message does not hide the help. */
function Note({ id, help, error }: { id: string; help?: string; error?: string }) {
  return (
    <>
      {help ? <small id={`${id}-help`}>{help}</small> : null}
      {error ? (
        <small id={`${id}-error`} class="field-error">
          {error}
        </small>
      ) : null}
    </>
  );
}
