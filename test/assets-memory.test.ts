// The assets kept in memory are the small ones: a large one (mermaid's 3.5 MB script) is read for its hash at start
// and then read again when asked for, so after a GC none of its bytes may still be held.
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadAssets } from '../app/assets.ts';
import { ROOT } from './support/app.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

test('loading the assets keeps less than the one large asset in memory, and still serves it whole', async () => {
  const mermaid = join(ROOT, 'node_modules/mermaid/dist/mermaid.min.js');
  const large = statSync(mermaid).size;
  assert.ok(large > 1024 * 1024, 'mermaid is the large asset this is about');
  gc();
  const before = process.memoryUsage().arrayBuffers;
  const assets = loadAssets(ROOT);
  gc();
  gc();
  const held = process.memoryUsage().arrayBuffers - before;
  assert.ok(held < large, `the assets hold ${(held / 1048576).toFixed(2)} MB after a GC: less than mermaid's ${(large / 1048576).toFixed(2)} MB`);
  const served = [...assets.values()].map((a) => a.bytes());
  const sizes = (await Promise.all(served)).map((b) => b.length);
  assert.ok(sizes.includes(large), 'the large asset is read again whole when asked for');
  assert.ok(assets.size > 1);
});
