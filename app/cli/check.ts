import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../config.ts';
import { discoverWorkflows } from '../engine/discover.ts';

export const CHECK_USAGE = 'cardtrail check [folder]';

/**
 * `cardtrail check [folder]`: loads every workflow (of workflows/, or of the folder given) and prints each file
 * with each of its problems; exit code 1 when any file has one.
 */
export async function runCheck(root: string, args: string[] = []): Promise<number> {
  if (args.length > 1) throw new UsageError(`Unexpected argument "${args[1]}". Usage: ${CHECK_USAGE}`);
  const folder = args[0] ? resolve(args[0]) : resolve(root, 'workflows');
  if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`There is no folder ${folder} to check.`);
  const { workflows, problems } = await discoverWorkflows(folder);
  for (const wf of workflows.values()) console.log(`ok  ${wf.file}  (${wf.id}, ${wf.steps.length} steps)`);
  for (const p of problems) console.log(`bad ${p.file}\n${p.problems.map((l) => `    - ${l}`).join('\n')}`);
  return problems.length ? 1 : 0;
}
