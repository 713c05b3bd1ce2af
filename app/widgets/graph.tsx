import type { WidgetContext, WidgetModule } from './types.ts';
import { formatNumber } from './html.ts';
import { fileUrl } from './urls.ts';

export type GraphOutput = { widget: 'graph'; file: string };

/**
 * An interactive link graph drawn from a JSON file of the session:
 * `{ nodes: [{ id, url, depth, status, folder, pagerank, inlinks, outlinks }], links: [{ source, target }] }`,
 * optionally `reduced: { shown, total, totalLinks }` when it holds only the most important part of a bigger graph.
 */
export const graph = ({ file }: { file: string }): GraphOutput => ({ widget: 'graph', file });

/** The largest graph file a page offers to draw (the browser reads it whole). */
const MAX_GRAPH = 32 * 1024 * 1024;

type Counts = { nodes: number; links: number; total?: number };

/** How many nodes and links a graph file holds, read cheaply for the caption; throws a sentence when malformed. Pure. */
export function graphCounts(text: string): Counts {
  let data: { nodes?: unknown; links?: unknown; reduced?: { total?: unknown } };
  try {
    data = JSON.parse(text) as typeof data;
  } catch {
    throw new Error('the graph file is not JSON');
  }
  if (!Array.isArray(data?.nodes) || !Array.isArray(data?.links)) throw new Error('the graph file has no nodes and links lists');
  const total = typeof data.reduced?.total === 'number' ? data.reduced.total : undefined;
  return { nodes: data.nodes.length, links: data.links.length, ...(total === undefined ? {} : { total }) };
}

const plural = (n: number, word: string) => `${formatNumber(n)} ${word}${n === 1 ? '' : 's'}`;

function render({ file }: GraphOutput, ctx: WidgetContext) {
  const size = ctx.files.size(file);
  if (size === undefined) throw new Error(`the graph file ${file} is not there`);
  if (size > MAX_GRAPH) throw new Error(`the graph file ${file} is too large to draw here; download it instead`);
  const counts = graphCounts(ctx.files.readText(file, MAX_GRAPH));
  const url = fileUrl(ctx.session, file);
  return (
    <figure class="graph-widget">
      <div data-graph-url={url}>
        <p class="graph-loading" aria-busy="true">
          Drawing the graph…
        </p>
      </div>
      <figcaption>
        <small>
          Link graph: {plural(counts.nodes, 'page')} and {plural(counts.links, 'link')}
          {counts.total === undefined ? '' : ` (the most important of ${formatNumber(counts.total)} pages)`}.{' '}
          <a href={url} download>
            {file}
          </a>
        </small>
      </figcaption>
    </figure>
  );
}

export const graphWidget: WidgetModule<GraphOutput> = {
  assets: [
    { name: 'force-graph.min.js', file: 'node_modules/force-graph/dist/force-graph.min.js' },
    { name: 'graph-view.js', file: 'public/graph-view.js' },
  ],
  render,
};
