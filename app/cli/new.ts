import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '../config.ts';
import { isId } from '../log/names.ts';

export const NEW_USAGE = 'cardtrail new <id> [--title "…"] [--job]';

/** "weekly-report" → "Weekly report". Pure. */
export function titleOf(id: string): string {
  const words = id.replace(/-+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A template with the id and title put in; the title is written as a JS string literal. Pure. */
export function fillTemplate(template: string, id: string, title: string): string {
  return template.replaceAll("'__ID__'", JSON.stringify(id).replace(/^"|"$/g, "'")).replaceAll("'__TITLE__'", JSON.stringify(title));
}

/**
 * `cardtrail new`: writes workflows/<id>.ts from a template (two steps, or with --job a job step that writes a
 * file shown as a table and a download), and says where it is and how to open it. Refuses an id that is not
 * valid or whose file exists; nothing is overwritten.
 */
export async function runNew(args: string[], root: string): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { title: { type: 'string' }, job: { type: 'boolean' } }, allowPositionals: true });
  if (positionals.length !== 1) throw new UsageError(`Give one workflow id. Usage: ${NEW_USAGE}`);
  const [id] = positionals;
  if (!isId(id)) throw new Error(`"${id}" is not a valid workflow id: use lowercase letters, digits and dashes, starting with a letter or digit.`);
  const title = values.title?.trim() || titleOf(id);
  const template = await readFile(join(import.meta.dirname, 'templates', values.job ? 'job.ts.txt' : 'form.ts.txt'), 'utf8');
  const file = join(root, 'workflows', `${id}.ts`);
  try {
    await writeFile(file, fillTemplate(template, id, title), { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new Error(`workflows/${id}.ts exists already; choose another id.`);
    throw err;
  }
  console.log(`Wrote ${file}`);
  console.log(`Open http://127.0.0.1:5001/ and start "${title}" (npm run dev reloads it as you edit; npx cardtrail check lists mistakes).`);
  return 0;
}
