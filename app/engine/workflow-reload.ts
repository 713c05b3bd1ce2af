import { watch, type FSWatcher } from 'node:fs';
import { access } from 'node:fs/promises';
import { register } from 'node:module';
import { join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadWorkflowFile, workflowFiles, type Discovered, type LoadedWorkflow, type WorkflowProblem } from './discover.ts';

/** What a reload did to one file, for the terminal. */
export type ReloadReport = { file: string; outcome: 'loaded' | 'kept' | 'failed' | 'removed'; problems?: string[] };

/**
 * Applies one file's fresh load to the served set, in place. A good load replaces that file's workflow; a bad one
 * keeps the last good version serving and records the problem (shown on the home page); a vanished file takes
 * its workflow away. Other files' workflows are untouched. Pure apart from changing `served`.
 */
export function applyReload(served: Discovered, file: string, loaded: LoadedWorkflow | WorkflowProblem | 'removed'): ReloadReport {
  const problemAt = served.problems.findIndex((p) => p.file === file);
  if (problemAt >= 0) served.problems.splice(problemAt, 1);
  const previous = [...served.workflows.values()].find((w) => w.file === file);
  if (loaded === 'removed') {
    if (previous) served.workflows.delete(previous.id);
    return { file, outcome: 'removed' };
  }
  const taken = 'id' in loaded ? served.workflows.get(loaded.id) : undefined;
  const problem: WorkflowProblem | undefined =
    'problems' in loaded
      ? loaded
      : taken && taken.file !== file
        ? { file, problems: [`workflow id "${loaded.id}" is already used by ${taken.file}`] }
        : undefined;
  if (problem) {
    const kept = previous ? [...problem.problems, `the last good version (${previous.id}) is still serving`] : problem.problems;
    served.problems.push({ file, problems: kept });
    return { file, outcome: previous ? 'kept' : 'failed', problems: kept };
  }
  const good = loaded as LoadedWorkflow;
  if (previous && previous.id !== good.id) served.workflows.delete(previous.id);
  served.workflows.set(good.id, good);
  return { file, outcome: 'loaded' };
}

const hooked = new Set<string>();

/** Registers, once per folder, the module hooks that re-tag the folder's helper modules on reload. */
function registerHooks(dir: string): void {
  const folder = pathToFileURL(resolve(dir) + sep).href;
  if (hooked.has(folder)) return;
  hooked.add(folder);
  register(pathToFileURL(join(import.meta.dirname, 'reload-hooks.mjs')).href, { data: { folder } });
}

export type Reloader = {
  /** Reloads now what changed since the last reload (the watcher calls it after a quiet moment). */
  flush: () => Promise<ReloadReport[]>;
  close: () => void;
};

/**
 * Watches the workflows folder (node:fs.watch, recursive) and reloads, after `quietMs` without further changes,
 * the workflow files that changed; a change under a sub-folder (a helper in lib/) reloads every workflow, since
 * any of them may import it. Each outcome is passed to `report`.
 */
export function watchWorkflows(dir: string, served: Discovered, report: (r: ReloadReport) => void, quietMs = 150): Reloader {
  registerHooks(dir);
  const changed = new Set<string>();
  let helpers = false;
  let generation = 0;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<ReloadReport[]> = Promise.resolve([]);
  const shown = (name: string) => join(dir.split(sep).filter(Boolean).at(-1) ?? dir, name);

  const reloadNow = async (): Promise<ReloadReport[]> => {
    const names = new Set(changed);
    changed.clear();
    if (helpers) {
      helpers = false;
      for (const name of await workflowFiles(dir)) names.add(name);
    }
    if (!names.size) return [];
    generation++;
    const reports: ReloadReport[] = [];
    for (const name of [...names].sort()) {
      const exists = await access(join(dir, name)).then(() => true, () => false);
      const loaded = exists ? await loadWorkflowFile(dir, name, generation) : 'removed';
      const r = applyReload(served, shown(name), loaded);
      reports.push(r);
      report(r);
    }
    return reports;
  };
  const flush = () => (running = running.then(reloadNow, reloadNow));

  const watcher: FSWatcher = watch(dir, { recursive: true }, (_event, filename) => {
    if (!filename) return;
    const name = String(filename);
    if (!name.endsWith('.ts') || name.endsWith('.d.ts')) return;
    if (name.includes(sep) || name.includes('/')) helpers = true;
    else changed.add(name);
    clearTimeout(timer);
    timer = setTimeout(() => void flush(), quietMs);
  });
  return {
    flush,
    close: () => {
      clearTimeout(timer);
      watcher.close();
    },
  };
}

/** A report as one terminal line (or a few, for problems). */
export function reportLine(r: ReloadReport): string {
  const head = { loaded: 'reloaded', kept: 'NOT reloaded', failed: 'cannot be loaded', removed: 'removed' }[r.outcome];
  return `[cardtrail] ${r.file} ${head}${r.problems?.length ? `:\n${r.problems.map((p) => `    - ${p}`).join('\n')}` : ''}`;
}
