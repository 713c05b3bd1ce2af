import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { moduleUrl } from '../code-root.ts';
import type { Workflow } from './definition.ts';
import { checkWorkflow } from './check.ts';
import { structuralVersion } from './workflow-version.ts';

/** A workflow as loaded from its file, with its structural version (see structuralVersion). */
export type LoadedWorkflow = Workflow & { file: string; version: string };

/** A workflow file that could not be used, and why. */
export type WorkflowProblem = { file: string; problems: string[] };

/**
 * The workflows being served and the files that could not be loaded. Hot reload changes both in place, so the
 * engine and the home page, which hold them, see every reload.
 */
export type Discovered = { workflows: Map<string, LoadedWorkflow>; problems: WorkflowProblem[] };

/** The workflow files of a folder: its `*.ts` files (sub-folders such as lib/ are helpers, not workflows). */
export async function workflowFiles(dir: string): Promise<string[]> {
  return (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => e.name)
    .sort();
}

/** Loads every workflow file in the folder; files with mistakes are reported, not loaded. */
export async function discoverWorkflows(dir: string): Promise<Discovered> {
  const found: Discovered = { workflows: new Map(), problems: [] };
  for (const name of await workflowFiles(dir)) {
    const loaded = await loadWorkflowFile(dir, name);
    if ('problems' in loaded) found.problems.push(loaded);
    else {
      const other = found.workflows.get(loaded.id);
      if (other) found.problems.push({ file: loaded.file, problems: [`workflow id "${loaded.id}" is already used by ${other.file}`] });
      else found.workflows.set(loaded.id, loaded);
    }
  }
  return found;
}

/**
 * Loads one workflow file afresh. `generation` is added to the module URL, with the file's hash, so a file (and,
 * under hot reload, the helpers it imports from its folder) is evaluated anew instead of taken from the cache.
 */
export async function loadWorkflowFile(dir: string, name: string, generation = 0): Promise<LoadedWorkflow | WorkflowProblem> {
  const file = join(dir, name);
  const shown = join(basename(dir), name);
  try {
    const source = await readFile(file);
    const tag = `${createHash('sha256').update(source).digest('hex').slice(0, 16)}-${generation}`;
    const mod = (await import(`${moduleUrl(file)}?cardtrail=${tag}`)) as { default?: unknown };
    const problems = checkWorkflow(mod.default);
    if (problems.length) return { file: shown, problems };
    const wf = mod.default as Workflow;
    return { ...wf, file: shown, version: structuralVersion(wf) };
  } catch (err) {
    return { file: shown, problems: [`cannot be loaded: ${reasonOf(err, name)}`] };
  }
}

/**
 * What is wrong, with the line when the error names one in the file: a compiler's "file:line:col: ERROR: …", or
 * the first stack frame in the file for an error thrown while it ran.
 */
export function reasonOf(err: unknown, name: string): string {
  const text = String((err as Error)?.message ?? err);
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const file = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const compiler = lines.map((l) => new RegExp(`${file}:(\\d+):(\\d+): ERROR: (.*)$`).exec(l)).find(Boolean);
  if (compiler) return `line ${compiler[1]}: ${compiler[3]}`;
  const frame = new RegExp(`${file}(?:\\?[^:)]*)?:(\\d+):\\d+`).exec(String((err as Error)?.stack ?? ''));
  const first = lines.find((l) => l.includes('ERROR')) ?? lines[0] ?? 'unknown error';
  return frame ? `line ${frame[1]}: ${first}` : first;
}
