import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Workflow } from './definition.ts';
import { checkWorkflow } from './check.ts';

/** A workflow as loaded from its file, with the hash of that file's text as its version. */
export type LoadedWorkflow = Workflow & { file: string; version: string };

/** A workflow file that could not be used, and why. */
export type WorkflowProblem = { file: string; problems: string[] };

export type Discovered = { workflows: Map<string, LoadedWorkflow>; problems: WorkflowProblem[] };

/** Loads every `*.ts` file in the folder as a workflow; files with mistakes are reported, not loaded. */
export async function discoverWorkflows(dir: string): Promise<Discovered> {
  const workflows = new Map<string, LoadedWorkflow>();
  const problems: WorkflowProblem[] = [];
  const files = (await readdir(dir)).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).sort();
  for (const name of files) {
    const file = join(dir, name);
    const shown = join(basename(dir), name);
    try {
      const source = await readFile(file);
      const version = createHash('sha256').update(source).digest('hex').slice(0, 16);
      // The version in the URL makes an edited file load afresh instead of from the module cache.
      const mod = (await import(`${pathToFileURL(resolve(file)).href}?v=${version}`)) as { default?: unknown };
      const found = checkWorkflow(mod.default);
      const wf = mod.default as Workflow;
      if (!found.length && workflows.has(wf.id)) found.push(`workflow id "${wf.id}" is already used by ${workflows.get(wf.id)!.file}`);
      if (found.length) {
        problems.push({ file: shown, problems: found });
        continue;
      }
      workflows.set(wf.id, { ...wf, file: shown, version });
    } catch (err) {
      problems.push({ file: shown, problems: [`cannot be loaded: ${reasonOf(err)}`] });
    }
  }
  return { workflows, problems };
}

/** The line of a load error that says what is wrong: a compiler's ERROR line when there is one. */
function reasonOf(err: unknown): string {
  const lines = String((err as Error)?.message ?? err).split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => l.includes('ERROR')) ?? lines[0] ?? 'unknown error';
}
