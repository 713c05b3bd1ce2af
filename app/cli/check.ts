import { resolve } from 'node:path';
import { discoverWorkflows } from '../engine/discover.ts';

/** `cardtrail check`: loads every workflow and prints what is wrong; exit code 1 when anything is. */
export async function runCheck(root: string): Promise<number> {
  const { workflows, problems } = await discoverWorkflows(resolve(root, 'workflows'));
  for (const wf of workflows.values()) console.log(`ok  ${wf.file}  (${wf.id}, ${wf.steps.length} steps)`);
  for (const p of problems) console.log(`bad ${p.file}\n${p.problems.map((l) => `    - ${l}`).join('\n')}`);
  return problems.length ? 1 : 0;
}
