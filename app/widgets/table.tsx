import type { WidgetContext, WidgetModule } from './types.ts';
import { readRows, type Row, type RowSource } from './rows.ts';
import { cellText, columnsOf, pageOf, type Column, type ColumnSpec, type Page } from './table-data.ts';
import { formatNumber, scrollable } from './html.ts';
import { outputUrls } from './urls.ts';

export type TableOptions = { columns?: ColumnSpec[]; title?: string; pageSize?: number };
export type TableOutput = { widget: 'table' } & RowSource & TableOptions;

const PAGE_SIZE = 20;

/**
 * A sortable, paged table of rows from values, or of a CSV or JSON file of the session (`{ file: 'pages.csv' }`),
 * with a download of the same data as CSV. Rows reach the browser a page at a time, so 100,000 rows are usable.
 */
export const table = (source: readonly Row[] | { file: string }, options: TableOptions = {}): TableOutput =>
  Array.isArray(source)
    ? { widget: 'table', rows: [...(source as readonly Row[])], ...options }
    : { widget: 'table', file: (source as { file: string }).file, ...options };

/** The page size a table output asks for, within 5 to 500. Pure. */
export const pageSizeOf = (output: TableOutput) => Math.min(500, Math.max(5, Math.round(output.pageSize ?? PAGE_SIZE)));

/** The first page as a plain table, which shows without scripts; the browser mounts Tabulator in its place. */
function FirstPage({ columns, page, total, caption }: { columns: Column[]; page: Page; total: number; caption: string }) {
  return (
    <div class="table-mount">
      <div class="overflow-auto" {...scrollable(caption)}>
        <table class="striped">
          <thead>
            <tr>
              {columns.map((c) => (
                <th scope="col">{c.label}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {page.data.map((row) => (
              <tr>
                {columns.map((_, i) => (
                  <td>{cellText(row[`c${i}`])}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {page.last_page > 1 ? (
        <p>
          <small>
            Rows 1–{formatNumber(page.data.length)} of {formatNumber(total)}; with scripts on, the table pages and sorts.
          </small>
        </p>
      ) : null}
    </div>
  );
}

function render(output: TableOutput, ctx: WidgetContext) {
  const data = readRows(output, ctx.files);
  const columns = columnsOf(output.columns, data.keys);
  const size = pageSizeOf(output);
  const first = pageOf(data.rows, columns, 1, size);
  const total = data.rows.length;
  const caption = output.title ?? `Table ${ctx.index + 1}`;
  return (
    <figure
      class="table-widget"
      data-rows={outputUrls.rows(ctx.session, ctx.step, ctx.index, ctx.at)}
      data-columns={JSON.stringify(columns.map((c, i) => ({ title: c.label, field: `c${i}` })))}
      data-page-size={String(size)}
    >
      <figcaption>
        <strong>{caption}</strong> <small>{total === 1 ? '1 row' : `${formatNumber(total)} rows`}</small>{' '}
        <a href={outputUrls.csv(ctx.session, ctx.step, ctx.index, ctx.at)} download>
          Download CSV
        </a>
      </figcaption>
      {columns.length ? (
        <FirstPage columns={columns} page={first} total={total} caption={caption} />
      ) : (
        <p>
          <small>No columns to show.</small>
        </p>
      )}
    </figure>
  );
}

export const tableWidget: WidgetModule<TableOutput> = {
  assets: [
    { name: 'tabulator.min.css', file: 'node_modules/tabulator-tables/dist/css/tabulator_simple.min.css' },
    { name: 'tabulator.min.js', file: 'node_modules/tabulator-tables/dist/js/tabulator.min.js' },
    { name: 'widget-table.js', file: 'public/widgets/table.js' },
  ],
  render,
};
