import type { Workflow } from './definition.ts';

/** Declares a workflow; the identity function, there for the types. */
export function defineWorkflow(workflow: Workflow): Workflow {
  return workflow;
}
