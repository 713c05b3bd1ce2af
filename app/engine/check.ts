import { FIELD_KINDS, type Field, type Workflow } from './definition.ts';
import { isId, isKey } from '../log/names.ts';


/** Every mistake in a workflow definition, as sentences; empty when it is sound. */
export function checkWorkflow(value: unknown): string[] {
  const problems: string[] = [];
  if (typeof value !== 'object' || value === null) return ['the default export is not a workflow object (use defineWorkflow({...}))'];
  const wf = value as Partial<Workflow>;
  if (!isId(wf.id)) problems.push(`id ${JSON.stringify(wf.id)} must be lowercase letters, digits and dashes`);
  if (typeof wf.title !== 'string' || !wf.title) problems.push('title is missing');
  if (!Array.isArray(wf.steps) || wf.steps.length === 0) return [...problems, 'steps must be a non-empty list'];
  const stepIds = new Set<string>();
  const keys = new Set<string>();
  wf.steps.forEach((step, i) => {
    const where = `step ${i + 1}${typeof step?.id === 'string' ? ` (${step.id})` : ''}`;
    if (!isId(step?.id)) problems.push(`${where}: id must be lowercase letters, digits and dashes, and not a name every object has`);
    else if (stepIds.has(step.id)) problems.push(`${where}: duplicate step id "${step.id}"`);
    else stepIds.add(step.id);
    if (typeof step?.title !== 'string' || !step.title) problems.push(`${where}: title is missing`);
    if (!Array.isArray(step?.fields)) problems.push(`${where}: fields must be a list`);
    else checkFields(step.fields, where, keys, problems);
    if (step?.run !== undefined && typeof step.run !== 'function') problems.push(`${where}: run must be a function`);
    if (step?.show !== undefined && typeof step.show !== 'function') problems.push(`${where}: show must be a function`);
    for (const key of Object.keys(step?.results ?? {}))
      if (!isKey(key)) problems.push(`${where}: result key ${JSON.stringify(key)} must be letters, digits and _`);
  });
  return problems;
}

function checkFields(fields: readonly Field[], where: string, keys: Set<string>, problems: string[]): void {
  for (const field of fields) {
    const at = `${where}, field ${typeof field?.key === 'string' ? `"${field.key}"` : '?'}`;
    if (!isKey(field?.key)) problems.push(`${at}: key must be letters, digits and _ (and not a name every object has, such as constructor or toString)`);
    else if (keys.has(field.key)) problems.push(`${at}: duplicate field key "${field.key}" (keys are unique across a workflow)`);
    else keys.add(field.key);
    if (!FIELD_KINDS.includes(field?.kind)) {
      problems.push(`${at}: unknown field kind ${JSON.stringify(field?.kind)} (known: ${FIELD_KINDS.join(', ')})`);
      continue;
    }
    if (typeof field.label !== 'string' || !field.label) problems.push(`${at}: label is missing`);
    if ((field.kind === 'select' || field.kind === 'choices') && (!Array.isArray(field.options) || field.options.length === 0))
      problems.push(`${at}: a ${field.kind} field needs options`);
    if (field.kind === 'group') {
      if (field.required) problems.push(`${at}: required means nothing on a group; mark its fields required`);
      if (!Array.isArray(field.fields)) problems.push(`${at}: a group needs fields`);
      else checkFields(field.fields, at, new Set(), problems);
    }
    if (field.validate !== undefined && typeof field.validate !== 'function') problems.push(`${at}: validate must be a function`);
  }
}
