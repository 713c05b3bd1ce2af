import { optionOf, type Field } from '../app/engine/definition.ts';
import { pathOf, type FieldErrors, type RawForm } from '../app/engine/fields.ts';

type Props = { field: Field; raw: RawForm; errors: FieldErrors; prefix?: string };

/** One field of a step's form with its label, help and the message for what is wrong with it. */
export function FieldControl({ field, raw, errors, prefix = '' }: Props) {
  const path = pathOf(field, prefix);
  const id = `f-${path.replace(/\./g, '-')}`;
  const error = errors[path];
  const described = error ? `${id}-error` : field.help ? `${id}-help` : undefined;
  const common = {
    id,
    name: path,
    required: field.required,
    'aria-invalid': error ? 'true' : undefined,
    'aria-describedby': described,
  };
  const note = <Note id={id} help={field.help} error={error} />;
  const value = raw[path];
  const one = (Array.isArray(value) ? value[0] : value) ?? '';

  switch (field.kind) {
    case 'group':
      return (
        <fieldset>
          <legend>{field.label}</legend>
          {field.fields.map((sub) => (
            <FieldControl field={sub} raw={raw} errors={errors} prefix={path} />
          ))}
          {note}
        </fieldset>
      );
    case 'checkbox':
      return (
        <fieldset>
          <label>
            <input type="checkbox" role="switch" {...common} checked={one === 'on'} /> {field.label}
          </label>
          {note}
        </fieldset>
      );
    case 'choices': {
      const chosen = Array.isArray(value) ? value : value ? [value] : [];
      return (
        <fieldset aria-invalid={error ? 'true' : undefined} aria-describedby={described}>
          <legend>{field.label}</legend>
          {field.options.map(optionOf).map((o, i) => (
            <label>
              <input type="checkbox" id={i === 0 ? id : undefined} name={path} value={o.value} checked={chosen.includes(o.value)} />{' '}
              {o.label}
            </label>
          ))}
          {note}
        </fieldset>
      );
    }
    case 'select':
      return (
        <label>
          {field.label}
          <select {...common}>
            <option value="" selected={one === ''}>
              Choose…
            </option>
            {field.options.map(optionOf).map((o) => (
              <option value={o.value} selected={o.value === one}>
                {o.label}
              </option>
            ))}
          </select>
          {note}
        </label>
      );
    case 'textarea':
      return (
        <label>
          {field.label}
          <textarea {...common} placeholder={field.placeholder} rows={4}>
            {one}
          </textarea>
          {note}
        </label>
      );
    case 'number':
      return (
        <label>
          {field.label}
          <input type="number" {...common} value={one} min={field.min} max={field.max} step={field.integer ? 1 : 'any'} />
          {note}
        </label>
      );
    case 'text':
      return (
        <label>
          {field.label}
          <input type="text" {...common} value={one} placeholder={field.placeholder} />
          {note}
        </label>
      );
  }
}

function Note({ id, help, error }: { id: string; help?: string; error?: string }) {
  if (error) return <small id={`${id}-error`} class="field-error">{error}</small>;
  return help ? <small id={`${id}-help`}>{help}</small> : null;
}
