import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Summary } from './reports.ts';

/** An earlier finished crawl of the same site, found in another session's folder. */
export type EarlierCrawl = { session: string; finishedAt: string; pages: number; start: string };

const SESSION_ID = /^[A-Za-z0-9_-]{21}$/;
const MAX_LISTED = 20;

/** The folder of session `id`'s files beside this session's, or undefined for anything that is not a session id. */
export function siblingFiles(outputDir: string, id: string): string | undefined {
  if (!SESSION_ID.test(id)) return undefined;
  return join(dirname(dirname(outputDir)), id, 'files');
}

/**
 * Finished crawls of the same origin in the other sessions beside this one (their summary.json), newest first.
 * Unreadable folders are skipped: another session's damage must not fail this crawl.
 */
export async function earlierCrawls(outputDir: string, start: string): Promise<EarlierCrawl[]> {
  const own = basename(dirname(outputDir));
  const sessions = dirname(dirname(outputDir));
  const origin = new URL(start).origin;
  const found: EarlierCrawl[] = [];
  for (const id of await readdir(sessions).catch(() => [] as string[])) {
    if (id === own || !SESSION_ID.test(id)) continue;
    const file = join(sessions, id, 'files', 'summary.json');
    try {
      const summary = JSON.parse(await readFile(file, 'utf8')) as Summary;
      if (new URL(summary.start).origin !== origin) continue;
      found.push({ session: id, finishedAt: (await stat(file)).mtime.toISOString(), pages: summary.pages, start: summary.start });
    } catch {
      continue;
    }
  }
  return found.sort((a, b) => b.finishedAt.localeCompare(a.finishedAt)).slice(0, MAX_LISTED);
}
