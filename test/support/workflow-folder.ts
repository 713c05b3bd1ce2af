import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { ROOT, tempDir } from './app.ts';

/** A temp workflows folder holding hello.ts (importing the real definition.ts by absolute path); `write` edits it. */
export async function helloFolder(t: TestContext): Promise<{ dir: string; original: string; write: (source: string) => Promise<void> }> {
  const { dir, cleanup } = await tempDir('cardtrail-workflows-');
  t.after(cleanup);
  const source = await readFile(join(ROOT, 'workflows/hello.ts'), 'utf8');
  const original = source.replace("'../app/engine/definition.ts'", JSON.stringify(join(ROOT, 'app/engine/definition.ts')));
  assert.notEqual(original, source, 'hello.ts imports ../app/engine/definition.ts');
  await writeFile(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  const write = (text: string) => writeFile(join(dir, 'hello.ts'), text);
  await write(original);
  return { dir, original, write };
}

