import type { Json } from '../log/events.ts';
import type { WidgetContext, WidgetModule } from './types.ts';
import { readRows, type Row } from './rows.ts';

export type ChartType = 'line' | 'bar' | 'scatter';
export type ChartSpec = {
  type: ChartType;
  /** The column of the x values (labels for line and bar, numbers for scatter). */
  x: string;
  /** The column(s) plotted against x, one series each. */
  y: string | string[];
  title?: string;
} & ({ rows: readonly Row[] } | { file: string });
export type ChartOutput = { widget: 'chart'; type: ChartType; x: string; y: string[]; title?: string } & ({ rows: Row[] } | { file: string });

/** A line, bar or scatter chart of rows from values or from a CSV or JSON file of the session. */
export const chart = (spec: ChartSpec): ChartOutput => {
  const { type, x, y, title } = spec;
  const base = { widget: 'chart' as const, type, x, y: [y].flat(), ...(title === undefined ? {} : { title }) };
  return 'file' in spec ? { ...base, file: spec.file } : { ...base, rows: [...spec.rows] };
};

/** How many points a series keeps; longer series are thinned evenly, and the caption says so. */
export const MAX_POINTS = 5000;

const asNumber = (v: Json | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : null);

/** Every n-th row so that at most `max` remain (the last row kept). Pure. */
export function thin<T>(rows: readonly T[], max = MAX_POINTS): readonly T[] {
  if (rows.length <= max) return rows;
  const step = rows.length / max;
  return Array.from({ length: max }, (_, i) => rows[Math.min(rows.length - 1, Math.floor(i * step))]);
}

/** The Chart.js configuration for an output's rows: plain data, no functions. Pure. */
export function chartConfig(output: ChartOutput, rows: readonly Row[]): Record<string, Json> {
  const kept = thin(rows);
  const datasets: Json[] =
    output.type === 'scatter'
      ? output.y.map((key) => ({ label: key, data: kept.map((r) => ({ x: asNumber(r[output.x]), y: asNumber(r[key]) })) }))
      : output.y.map((key) => ({ label: key, data: kept.map((r) => asNumber(r[key])) }));
  const labels: Json[] = output.type === 'scatter' ? [] : kept.map((r) => (r[output.x] ?? null) as Json);
  return {
    type: output.type,
    data: { labels, datasets },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: true,
      aspectRatio: 2,
      scales: { x: { type: output.type === 'scatter' ? 'linear' : 'category', title: { display: true, text: output.x } } },
      plugins: { title: { display: Boolean(output.title), text: output.title ?? '' } },
    },
  };
}

function describe(output: ChartOutput, count: number): string {
  const kind = output.type === 'scatter' ? 'Scatter plot' : output.type === 'bar' ? 'Bar chart' : 'Line chart';
  return `${kind}${output.title ? ` "${output.title}"` : ''} of ${output.y.join(', ')} against ${output.x}, ${count} points.`;
}

function render(output: ChartOutput, ctx: WidgetContext) {
  const { rows } = readRows(output, ctx.files);
  return (
    <figure class="chart-widget">
      <div class="chart-box">
        <canvas role="img" aria-label={describe(output, rows.length)} data-chart={JSON.stringify(chartConfig(output, rows))}></canvas>
      </div>
      <figcaption>
        <small>
          {describe(output, rows.length)}
          {rows.length > MAX_POINTS ? ` Drawn from ${MAX_POINTS} evenly spaced points.` : ''}
        </small>
      </figcaption>
    </figure>
  );
}

export const chartWidget: WidgetModule<ChartOutput> = {
  assets: [
    { name: 'chart.umd.min.js', file: 'node_modules/chart.js/dist/chart.umd.min.js' },
    { name: 'widget-chart.js', file: 'public/widgets/chart.js' },
  ],
  render,
};
