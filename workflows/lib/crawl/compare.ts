import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { csvRecords } from '../../../app/widgets/rows.ts';
import { writeCsv } from './files.ts';

/** A page as pages.csv records it, and a link as links.csv does: what a comparison looks at. */
export type PageLine = { url: string; status: string; depth: string };
export type LinkLine = { source: string; target: string; target_status: string };
export type CrawlFiles = { pages: PageLine[]; links: LinkLine[] };

export type Changes = {
  added: PageLine[];
  removed: PageLine[];
  statusChanged: { url: string; before: string; after: string }[];
  depthChanged: { url: string; before: string; after: string }[];
  /** Links to broken targets that the earlier crawl did not have (new links, or targets newly broken). */
  newBroken: LinkLine[];
};

const broken = (status: string) => status.startsWith('failed') || Number(status) >= 400;

/** What changed from one crawl to the next (pure; pages are matched by URL, links by source and target). */
export function compareCrawls(before: CrawlFiles, after: CrawlFiles): Changes {
  const old = new Map(before.pages.map((p) => [p.url, p]));
  const now = new Map(after.pages.map((p) => [p.url, p]));
  const oldBroken = new Set(before.links.filter((l) => broken(l.target_status)).map((l) => `${l.source}\n${l.target}`));
  const newBrokenSeen = new Set<string>();
  const changes: Changes = { added: [], removed: [], statusChanged: [], depthChanged: [], newBroken: [] };
  for (const p of after.pages) {
    const was = old.get(p.url);
    if (!was) changes.added.push(p);
    else {
      if (was.status !== p.status) changes.statusChanged.push({ url: p.url, before: was.status, after: p.status });
      if (was.depth !== p.depth) changes.depthChanged.push({ url: p.url, before: was.depth, after: p.depth });
    }
  }
  for (const p of before.pages) if (!now.has(p.url)) changes.removed.push(p);
  for (const l of after.links) {
    const key = `${l.source}\n${l.target}`;
    if (broken(l.target_status) && !oldBroken.has(key) && !newBrokenSeen.has(key)) {
      newBrokenSeen.add(key);
      changes.newBroken.push(l);
    }
  }
  return changes;
}

/** Reads a crawl's pages.csv and links.csv from its folder; a clear message when they are missing or unreadable. */
export async function readCrawlFiles(dir: string): Promise<CrawlFiles> {
  const read = async <T>(name: string): Promise<T[]> => {
    let text: string;
    try {
      text = await readFile(join(dir, name), 'utf8');
    } catch {
      throw new Error(`The earlier crawl has no ${name}: it may not have finished.`);
    }
    try {
      const [header = [], ...body] = csvRecords(text);
      return body.map((cells) => Object.fromEntries(header.map((key, i) => [key, cells[i] ?? '']))) as T[];
    } catch (err) {
      throw new Error(`The earlier crawl's ${name} cannot be read: ${(err as Error).message}`);
    }
  };
  return { pages: await read<PageLine>('pages.csv'), links: await read<LinkLine>('links.csv') };
}

export const CHANGE_FILES = ['changes-pages.csv', 'changes-broken-links.csv'] as const;

/** Writes the changes as two CSV files: one row per changed page (kind, url, before, after), and new broken links. */
export async function writeChanges(dir: string, changes: Changes): Promise<void> {
  const rows = [
    ...changes.added.map((p) => ['added', p.url, '', p.status]),
    ...changes.removed.map((p) => ['removed', p.url, p.status, '']),
    ...changes.statusChanged.map((c) => ['status', c.url, c.before, c.after]),
    ...changes.depthChanged.map((c) => ['depth', c.url, c.before, c.after]),
  ];
  await writeCsv(dir, CHANGE_FILES[0], ['change', 'url', 'before', 'after'], rows);
  await writeCsv(dir, CHANGE_FILES[1], ['source', 'target', 'target_status'], changes.newBroken.map((l) => [l.source, l.target, l.target_status]));
}
