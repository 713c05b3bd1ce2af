import { once } from 'node:events';
import { defineWorkflow } from '../app/engine/definition.ts';
import { chart, code, download, image, markdown, mermaid, stat, table } from '../app/widgets/index.ts';
import { encodePng } from './lib/png.ts';

/**
 * Every output widget on one trail: a job writes a large CSV, a PNG and an SVG into the session's files, and the
 * done cards show them as a table (paged and sorted by the server), charts, images and downloads.
 */
export default defineWorkflow({
  id: 'gallery',
  title: 'Outputs gallery',
  description: 'A job writes files; the done cards show every kind of output: text, numbers, tables, charts, a diagram, images, downloads.',
  steps: [
    {
      id: 'describe',
      title: 'Describe',
      fields: [
        { key: 'heading', kind: 'text', label: 'Heading', required: true, maxLength: 80, default: 'Squares and parities' },
        { key: 'count', kind: 'number', label: 'Rows to generate', required: true, integer: true, min: 1, max: 200000, default: 100000 },
      ],
      show: ({ heading, count }) => [
        markdown(`## ${heading}\n\nThe next step writes **${Number(count).toLocaleString('en')} rows**. Raw HTML such as <script>alert(1)</script> stays text.`),
        code(`for (let n = 1; n <= ${count}; n++) rows.push({ n, square: n * n });`, 'typescript'),
      ],
    },
    {
      id: 'generate',
      title: 'Generate',
      description: 'Writes numbers.csv, series.csv, tile.png and shape.svg into this session’s files.',
      fields: [],
      results: { rows: 'Rows written', bytes: 'Bytes written' },
      run: async ({ params, files, progress, signal }) => {
        const count = Number(params.count);
        const out = files.writeStream('numbers.csv');
        out.write('n,square,parity,label\n');
        for (let n = 1; n <= count; n++) {
          if (signal.aborted) {
            await out.abort();
            throw new Error('cancelled');
          }
          // node's once rejects when the stream errors (a full disk) instead of waiting for a drain that never comes.
          if (!out.write(`${n},${n * n},${n % 2 ? 'odd' : 'even'},row ${n}\n`)) await once(out, 'drain');
          if (n % 10000 === 0) progress(n, count, `${n} rows`);
        }
        await out.done();
        const series = ['month,visits,signups', ...Array.from({ length: 12 }, (_, m) => `${m + 1},${100 + m * 37 + (m % 3) * 20},${10 + m * 4}`)];
        await files.write('series.csv', series.join('\n') + '\n');
        await files.write('images/tile.png', encodePng(64, 32, (x, y) => [x * 4, y * 8, 160]));
        await files.write(
          'images/shape.svg',
          '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 60" onload="alert(1)"><script>alert(2)</script>' +
            '<rect x="5" y="5" width="110" height="50" rx="8" fill="#3a7"/><text x="60" y="36" text-anchor="middle" fill="white">SVG</text></svg>',
        );
        return { rows: count, bytes: files.size('numbers.csv') ?? 0 };
      },
      show: ({ rows, bytes }) => [
        stat([
          { label: 'rows', value: Number(rows) },
          { label: 'bytes', value: Number(bytes) },
          { label: 'files', value: 4 },
        ]),
        table({ file: 'numbers.csv' }, { title: 'Numbers', columns: ['n', 'square', { key: 'parity', label: 'Parity' }, 'label'] }),
        chart({ type: 'line', file: 'series.csv', x: 'month', y: ['visits', 'signups'], title: 'Visits by month' }),
        image('images/tile.png', 'A gradient tile, 64 by 32 pixels'),
        image('images/shape.svg', 'A green rounded rectangle with the word SVG'),
        download(['numbers.csv', 'series.csv', 'images/tile.png']),
      ],
    },
    {
      id: 'review',
      title: 'Review',
      fields: [{ key: 'verdict', kind: 'text', label: 'Verdict', required: true, default: 'Looks right.' }],
      show: ({ verdict, rows }) => [
        markdown(`**Verdict:** ${verdict}`),
        mermaid('flowchart LR\n  describe[Describe] --> generate[Generate]\n  generate --> review[Review]'),
        chart({ type: 'bar', x: 'kind', y: 'count', rows: [{ kind: 'odd', count: Math.ceil(Number(rows) / 2) }, { kind: 'even', count: Math.floor(Number(rows) / 2) }], title: 'Parity' }),
        chart({ type: 'scatter', x: 'n', y: 'square', rows: Array.from({ length: 20 }, (_, i) => ({ n: i + 1, square: (i + 1) ** 2 })) }),
        table([
          { step: 'describe', widgets: 'markdown, code' },
          { step: 'generate', widgets: 'stat, table, chart, image, download' },
          { step: 'review', widgets: 'markdown, mermaid, chart, table' },
        ]),
      ],
    },
  ],
});
