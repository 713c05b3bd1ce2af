// The graph widget on the server: its caption's counts from the file, and clear sentences for a missing, oversized
// or malformed file (which the outputs frame shows in the widget's place).
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SessionFiles } from '../../app/files/session-files.ts';
import { graph, graphCounts, graphWidget } from '../../app/widgets/graph.tsx';

test('graphCounts reads nodes, links and the size of a reduced graph; malformed files get a sentence', () => {
  assert.deepEqual(graphCounts('{"nodes":[{},{}],"links":[{}]}'), { nodes: 2, links: 1 });
  assert.deepEqual(graphCounts('{"nodes":[],"links":[],"reduced":{"shown":0,"total":9000}}'), { nodes: 0, links: 0, total: 9000 });
  assert.throws(() => graphCounts('{nodes'), /the graph file is not JSON/);
  assert.throws(() => graphCounts('{"nodes":{}}'), /has no nodes and links lists/);
});

test('the widget renders the view element with the file URL and assets, or says what is wrong', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'cardtrail-graph-widget-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const files = new SessionFiles(dir);
  const ctx = { session: 'AAAAAAAAAAAAAAAAAAAAA', step: 'crawl', index: 1, files };
  assert.throws(() => graphWidget.render(graph({ file: 'graph.json' }), ctx), /the graph file graph.json is not there/);
  await writeFile(join(dir, 'graph.json'), JSON.stringify({ nodes: [{ id: '1' }], links: [], reduced: { shown: 1, total: 5000, totalLinks: 9 } }));
  const html = String(graphWidget.render(graph({ file: 'graph.json' }), ctx));
  assert.match(html, /data-graph-url="\/s\/AAAAAAAAAAAAAAAAAAAAA\/files\/graph.json"/);
  assert.match(html, /1 page and 0 links \(the most important of 5,000 pages\)/);
  assert.deepEqual(graphWidget.assets.map((a) => a.name), ['force-graph.min.js', 'graph-view.js']);
});
