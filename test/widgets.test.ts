// The output widgets' HTML, rendered on the server from plain-data outputs, on real files in a temp folder; the
// pure table, chart and SVG functions; and the outputs routes (rows, CSV) through the real app.
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'node:test';
import { SessionFiles } from '../app/files/session-files.ts';
import { chart, code, download, image, markdown, mermaid, stat, table, type Output } from '../app/widgets/index.ts';
import { OutputView } from '../app/widgets/outputs.tsx';
import { assetsFor, WIDGETS } from '../app/widgets/registry.ts';
import { showOutputs } from '../app/widgets/show.ts';
import { chartConfig, thin } from '../app/widgets/chart.tsx';
import { sanitizeSvg } from '../app/widgets/image.tsx';
import { csvRecords, numeric, parseCsv, parseJsonRows } from '../app/widgets/rows.ts';
import fc from 'fast-check';
import { csvChunks, csvLine, pageOf, sortRows } from '../app/widgets/table-data.ts';
import type { Step } from '../app/engine/definition.ts';
import { tempDir } from './support/app.ts';
import { Client } from './support/client.ts';
import { decode, textOf } from './support/html.ts';

const SESSION = 'AAAAAAAAAAAAAAAAAAAAA';

async function filesWith(t: test.TestContext, files: Record<string, string | Buffer>): Promise<SessionFiles> {
  const { dir, cleanup } = await tempDir('cardtrail-widgets-');
  t.after(cleanup);
  for (const [name, data] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), data);
  }
  return new SessionFiles(dir);
}

const html = (output: Output, files: SessionFiles, index = 0) => String(OutputView({ output, ctx: { session: SESSION, step: 'run', index, files } }));

test('markdown renders on the server; raw HTML stays text and only safe links survive', async (t) => {
  const files = await filesWith(t, {});
  const out = html(markdown('# Title\n\n**bold** <script>alert(1)</script> <img src=x onerror=alert(1)>\n\n[ok](https://example.org) [bad](javascript:alert(1))'), files);
  assert.match(out, /<h1>Title<\/h1>/);
  assert.match(out, /<strong>bold<\/strong>/);
  assert.ok(!out.includes('<script') && !out.includes('<img'), out);
  assert.match(out, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(out, /<a href="https:\/\/example.org" rel="noopener noreferrer nofollow">ok<\/a>/);
  assert.ok(!/href="javascript/i.test(out));
  assert.ok(!out.includes('data-assets'), 'markdown needs no browser code');
});

test('stat shows numbers formatted, in order, with their labels', async (t) => {
  const out = html(stat([{ label: 'pages', value: 528 }, { label: 'links', value: 16006 }, { label: 'broken', value: 1 }]), await filesWith(t, {}));
  assert.equal(textOf(out), '528 pages · 16,006 links · 1 broken');
});

test('download links each file with its size; a missing file says so; names are URL-encoded', async (t) => {
  const files = await filesWith(t, { 'out/a b.csv': 'x'.repeat(2048), 'one.txt': 'hi' });
  assert.match(html(download('one.txt'), files), /<a href="\/s\/A{21}\/files\/one.txt" download="">one.txt<\/a> <small>2 B<\/small>/);
  const many = html(download(['out/a b.csv', 'gone.csv']), files);
  assert.match(many, /href="\/s\/A{21}\/files\/out\/a%20b.csv"/);
  assert.match(textOf(many), /out\/a b.csv 2.0 KB ?gone.csv \(not there\)/);
});

test('code is highlighted on the server with a copy button; unknown languages are escaped text', async (t) => {
  const files = await filesWith(t, {});
  const ts = html(code('const x = 1 < 2;', 'typescript'), files);
  assert.match(ts, /<span class="hljs-keyword">const<\/span>/);
  assert.match(ts, /<span class="hljs-number">1<\/span> &lt; <span class="hljs-number">2<\/span>/);
  assert.match(ts, /<button type="button" class="secondary outline copy" data-copy="true">Copy<\/button>/);
  assert.match(ts, /data-assets="\/assets\/highlight.css \/assets\/widget-code.js"/);
  const plain = html(code('<b>hi</b>', 'no-such-language'), files);
  assert.match(plain, /&lt;b&gt;hi&lt;\/b&gt;/);
  assert.ok(!plain.includes('<span'));
});

test('mermaid source is escaped text for the browser to draw; its assets are mermaid and its mount script', async (t) => {
  const out = html(mermaid('graph TD\n A["<img src=x>"] --> B'), await filesWith(t, {}));
  assert.match(out, /<pre class="mermaid-source"[^>]*>graph TD\n A\[&quot;&lt;img src=x&gt;&quot;\] --&gt; B<\/pre>/);
  assert.match(out, /data-assets="\/assets\/mermaid.min.js \/assets\/widget-mermaid.js"/);
});

test('chart: Chart.js configuration from rows or a file, thinned past 5,000 points, described for screen readers', async (t) => {
  const rows = [{ m: 'Jan', a: 1, b: '2' }, { m: 'Feb', a: 3, b: 'x' }];
  const line = chartConfig(chart({ type: 'line', x: 'm', y: ['a', 'b'], rows }) as never, rows) as any;
  assert.deepEqual(line.data, { labels: ['Jan', 'Feb'], datasets: [{ label: 'a', data: [1, 3] }, { label: 'b', data: [2, null] }] });
  const scatter = chartConfig(chart({ type: 'scatter', x: 'a', y: 'b', rows }) as never, rows) as any;
  assert.deepEqual(scatter.data.datasets[0].data, [{ x: 1, y: 2 }, { x: 3, y: null }]);
  assert.equal(scatter.options.scales.x.type, 'linear');
  assert.equal(thin(Array.from({ length: 12000 }, (_, i) => i)).length, 5000);
  const files = await filesWith(t, { 's.csv': 'x,y\n1,10\n2,20\n' });
  const out = html(chart({ type: 'bar', x: 'x', y: 'y', file: 's.csv', title: 'T' }), files);
  assert.match(out, /<canvas role="img" aria-label="Bar chart &quot;T&quot; of y against x, 2 points."/);
  assert.deepEqual(JSON.parse(decode(/data-chart="([^"]*)"/.exec(out)![1])).data.datasets[0].data, [10, 20]);
  assert.match(html(chart({ type: 'line', x: 'x', y: 'y', file: 'none.csv' }), files), /This chart cannot be shown: the file none.csv is not there/);
});

test('image: a real PNG is linked; a fake one is refused; an SVG is sanitised into a data: URL', async (t) => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
  const evil =
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" onload="alert(1)"><script>alert(2)</script><foreignObject><div>x</div></foreignObject>' +
    '<a href="javascript:alert(3)"><rect width="5" height="5" fill="url(https://evil.example/x)"/></a><linearGradient id="g"/><circle r="2" fill="url(#g)"/><style>*{}</style></svg>';
  const files = await filesWith(t, { 'p.png': png, 'fake.png': '<html>', 'd.svg': evil, 'notes.txt': 'x' });
  assert.match(html(image('p.png', 'A plot'), files), /<img src="\/s\/A{21}\/files\/p.png" alt="A plot"/);
  assert.match(html(image('fake.png', 'x'), files), /fake.png is not really a PNG image/);
  assert.match(html(image('notes.txt', 'x'), files), /is not a PNG, JPEG or SVG file/);
  assert.match(html(image('gone.png', 'x'), files), /the image gone.png is not there/);
  const svg = sanitizeSvg(evil);
  for (const bad of ['script', 'onload', 'foreignObject', 'javascript', 'evil.example', '<style', '<a ']) assert.ok(!svg.includes(bad), `${bad} in ${svg}`);
  assert.match(svg, /viewBox="0 0 10 10"/);
  assert.match(svg, /<linearGradient id="g"/);
  assert.match(svg, /fill="url\(#g\)"/);
  const shown = html(image('d.svg', 'Shapes'), files);
  const src = /src="data:image\/svg\+xml;base64,([^"]+)"/.exec(shown)![1];
  assert.equal(Buffer.from(src, 'base64').toString(), svg);
});

test('table: the first page server-side, columns in order with labels, a CSV link, and the browser assets', async (t) => {
  const files = await filesWith(t, { 'p.csv': 'url,status\n' + Array.from({ length: 45 }, (_, i) => `/p${i},${i % 5 ? 200 : 404}`).join('\n') });
  const out = html(table({ file: 'p.csv' }, { columns: ['status', { key: 'url', label: 'Page' }], title: 'Pages' }), files, 2);
  assert.match(out, /data-rows="\/s\/A{21}\/outputs\/run\/2\/rows"/);
  assert.match(out, /<a href="\/s\/A{21}\/outputs\/run\/2\/csv" download="">Download CSV<\/a>/);
  assert.match(out, /<th scope="col">status<\/th><th scope="col">Page<\/th><\/tr><\/thead><tbody><tr><td>404<\/td><td>\/p0<\/td><\/tr><tr><td>200<\/td><td>\/p1<\/td>/);
  assert.match(textOf(out), /^Pages 45 rows Download CSV/);
  assert.match(out, /<div class="overflow-auto" tabindex="0" role="group" aria-label="Pages"><table/, 'without scripts, a wide table scrolls from the keyboard');
  assert.equal((out.match(/<tr>/g) ?? []).length, 21, 'a header and one page of 20 rows');
  assert.match(out, /data-assets="\/assets\/tabulator.min.css \/assets\/tabulator.min.js \/assets\/widget-table.js"/);
  assert.match(html(table([{ a: 1 }, { b: 'x' }]), files), /<th scope="col">a<\/th><th scope="col">b<\/th>/);
  assert.match(html(table({ file: 'p.json' }), files), /cannot be shown: the file p.json is not there/);
});

test('table data: CSV and JSON parse; sorting is stable with numbers by value and empties last; pages; CSV out', () => {
  assert.deepEqual(parseCsv('a,b\n1,"x,y"\n2.5,\n'), { keys: ['a', 'b'], rows: [{ a: 1, b: 'x,y' }, { a: 2.5, b: '' }] });
  assert.deepEqual(Object.keys(parseCsv('__proto__,b\nx,1\n').rows[0]), ['__proto__', 'b'], 'a column named __proto__ is a column');
  // A cell is a number exactly when its trimmed text is plainly one, whatever spaces surround it.
  const plainly = (text: string) => (/^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(text.trim()) ? Number(text) : text);
  const cell = fc.array(fc.constantFrom('1', '0', '-', '.', 'e', 'E', '+', '9', ' ', '\t', '\u00a0', '\u2003', '\u3000', 'x', '\ufeff'), { maxLength: 8 }).map((cs) => cs.join(''));
  fc.assert(fc.property(cell, (text) => Object.is(numeric(text), plainly(text))), { numRuns: 2000 });
  assert.deepEqual(parseJsonRows('{"columns":["a"],"rows":[[1],[2]]}').rows, [{ a: 1 }, { a: 2 }]);
  assert.throws(() => parseJsonRows('[1,2]'), /list of objects/);
  const rows = [{ n: 10, s: 'b' }, { n: 9, s: '' }, { n: 100, s: 'a10' }, { n: 9, s: 'a9' }];
  assert.deepEqual(sortRows(rows, 'n', 'asc').map((r) => r.n), [9, 9, 10, 100]);
  assert.deepEqual(sortRows(rows, 'n', 'desc').map((r) => r.s), ['a10', 'b', '', 'a9']);
  assert.deepEqual(sortRows(rows, 's', 'asc').map((r) => r.s), ['a9', 'a10', 'b', '']);
  assert.deepEqual(sortRows(rows, 's', 'desc').map((r) => r.s), ['b', 'a10', 'a9', '']);
  const columns = [{ key: 'n', label: 'N' }];
  assert.deepEqual(pageOf(rows, columns, 2, 3), { last_page: 2, last_row: 4, data: [{ c0: 9 }] });
  assert.deepEqual(pageOf(rows, columns, 99, 3).data, [{ c0: 9 }], 'a page past the end is the last page');
  assert.equal(csvLine(['a,b', 'say "hi"', '=HYPERLINK("x")', '-3']), '"a,b","say ""hi""","\'=HYPERLINK(""x"")",-3\r\n');
  assert.equal([...csvChunks(rows, columns, 2)].join(''), 'N\r\n10\r\n9\r\n100\r\n9\r\n');
});

test('registry: every widget has a module; a page needs each asset once; show() mistakes become sentences', async (t) => {
  assert.deepEqual(Object.keys(WIDGETS).sort(), ['chart', 'code', 'download', 'graph', 'image', 'markdown', 'mermaid', 'stat', 'table']);
  const outputs = [table([]), chart({ type: 'line', x: 'a', y: 'b', rows: [] }), table([]), markdown('x')];
  assert.deepEqual(assetsFor(outputs), ['tabulator.min.css', 'tabulator.min.js', 'widget-table.js', 'chart.umd.min.js', 'widget-chart.js']);
  const files = await filesWith(t, {});
  const step = (show: Step['show']): Step => ({ id: 's', title: 'S', fields: [], show });
  assert.deepEqual(showOutputs(step(() => [markdown('a')]), {}, files), { ok: true, outputs: [{ widget: 'markdown', text: 'a' }] });
  assert.deepEqual(showOutputs(step(() => { throw new Error('boom'); }), {}, files), { ok: false, error: 'show() failed: boom' });
  assert.deepEqual(showOutputs(step((() => 'x') as never), {}, files), { ok: false, error: 'show() must return a list of outputs' });
  assert.match((showOutputs(step((() => [{ widget: 'nope' }]) as never), {}, files) as { error: string }).error, /no known widget: "nope"/);
  assert.match((showOutputs(step((() => [{ widget: 'constructor' }]) as never), {}, files) as { error: string }).error, /no known widget/);
});

/** A gallery session whose job has written `count` rows, its generate card done. */
async function generatedGallery(client: Client, count: number): Promise<string> {
  const id = await client.start('gallery');
  await client.submit(id, 'describe', { heading: 'H', count: String(count) });
  await client.submit(id, 'generate', {});
  for (let i = 0; i < 100 && !(await client.page(id)).includes('card done" data-step="generate'); i++) await new Promise((r) => setTimeout(r, 50));
  return id;
}

test('the rows and CSV routes derive the table as the card does, also as it was at a past entry', async (t) => {
  const client = await Client.open(t);
  const id = await generatedGallery(client, 50);
  await client.submit(id, 'review', { verdict: 'fine' });
  const page = await client.page(id);
  assert.match(textOf(page), /50 rows · \d[\d,]* bytes · 4 files/);
  const rows = await (await client.get(`/s/${id}/outputs/generate/1/rows?page=3&size=10&sort[0][field]=c1&sort[0][dir]=desc`)).json();
  assert.deepEqual(rows.last_page, 5);
  assert.deepEqual(rows.data[0], { c0: 30, c1: 900, c2: 'even', c3: 'row 30' });
  const review = await (await client.get(`/s/${id}/outputs/review/4/rows`)).json();
  assert.equal(review.data.length, 3);
  const csv = await client.get(`/s/${id}/outputs/generate/1/csv`);
  assert.equal(csv.headers.get('content-disposition'), `attachment; filename="gallery-generate-2.csv"; filename*=UTF-8''gallery-generate-2.csv`);
  assert.equal((await csv.text()).split('\r\n').length, 52);
  // At entry 3 (describe done) the generate step was not done: it shows no table then.
  assert.equal((await client.get(`/s/${id}/outputs/generate/1/rows?at=3`)).status, 404);
  assert.equal((await client.get(`/s/${id}/outputs/generate/0/rows`)).status, 404, 'output 0 is a stat, not a table');
  assert.equal((await client.get(`/s/${id}/outputs/generate/x/rows`)).status, 404);
  const past = await client.html(`/s/${id}/at/${(await client.events(id)).length}`);
  assert.match(past, /data-rows="\/s\/[^/]+\/outputs\/generate\/1\/rows\?at=\d+"/);
});

test('CSV records: quotes, doubled quotes, separators and line breaks inside quotes, CRLF, BOM, empty lines', () => {
  assert.deepEqual(csvRecords('\ufeffa,b\r\n"x, y","say ""hi"""\n\n"two\nlines",\n'), [['a', 'b'], ['x, y', 'say "hi"'], ['two\nlines', '']]);
  assert.deepEqual(csvRecords('a,b'), [['a', 'b']]);
  assert.deepEqual(csvRecords('"open'), [['open']]);
  assert.deepEqual(csvRecords(''), []);
  // Whatever csvLine writes, csvRecords reads back (for cells csvLine does not defuse: no leading = + - @).
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const alphabet = ['a', 'Z', '0', ' ', ',', '"', '\n', '\r\n', 'é', '€'];
  for (let round = 0; round < 300; round++) {
    const cells = Array.from({ length: 1 + Math.floor(random() * 5) }, () =>
      Array.from({ length: Math.floor(random() * 6) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''),
    );
    if ((cells.length === 1 && cells[0] === '') || cells.some((c) => /^[=+\-@\t\r]/.test(c))) continue;
    assert.deepEqual(csvRecords(csvLine(cells)), [cells], JSON.stringify(cells));
  }
});

test('a fork carries the files, so its done cards show the same outputs; the original is left as it was', async (t) => {
  const client = await Client.open(t);
  const id = await generatedGallery(client, 30);
  const fork = await client.post(`/s/${id}/fork`, {});
  assert.equal(fork.status, 303);
  const copy = /\/s\/(.+)$/.exec(fork.headers.get('location')!)![1];
  const page = await client.page(copy);
  assert.match(page, /class="card done" data-step="generate"/);
  assert.ok(!page.includes('not there') && !page.includes('cannot be shown'), 'every output of the fork finds its file');
  const numbers = (session: string) => readFile(join(client.dir, 'sessions', session, 'files/numbers.csv'), 'utf8');
  assert.equal(await numbers(copy), await numbers(id));
  assert.equal((await (await client.get(`/s/${copy}/outputs/generate/1/rows`)).json()).last_row, 30);
});
