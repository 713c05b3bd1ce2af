import { createHash } from 'node:crypto';
import type { Field, Workflow } from './definition.ts';

type Shape = [string, string, Shape[]?];

function shapeOf(field: Field): Shape {
  const nested = (field as { fields?: readonly Field[] }).fields;
  return Array.isArray(nested) ? [field.key, field.kind, nested.map(shapeOf)] : [field.key, field.kind];
}

/**
 * A workflow's version: a hash of its structure alone (step ids in order, whether each runs a job, and its
 * field keys and kinds in order, groups included). Labels, help, defaults, validators, descriptions and code
 * are left out, so rewording a workflow does not hold its sessions; a structural change still does. Pure.
 */
export function structuralVersion(workflow: Workflow): string {
  const shape = workflow.steps.map((step) => [step.id, step.run ? 'job' : 'form', step.fields.map(shapeOf)]);
  return createHash('sha256').update(JSON.stringify(shape)).digest('hex').slice(0, 16);
}
