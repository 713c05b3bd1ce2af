import type { DirectedGraph } from 'graphology';
import type { Attributes } from 'graphology-types';
import { graphology, graphologyComponents, pagerank } from './libraries.ts';

type SiteGraph = DirectedGraph<Attributes, { weight: number }>;
import type { CrawlStore } from './store.ts';

/** What the link graph says about one page. */
export type PageMetrics = {
  /** Clicks from the start page along followed links (a redirect hop costs none); null when unreachable. */
  depth: number | null;
  pagerank: number;
  inlinks: number;
  uniqueInlinks: number;
  /** Links to pages of the site, and to other sites. */
  outlinks: number;
  externalOutlinks: number;
};

export type GraphMetrics = {
  pages: Map<number, PageMetrics>;
  components: number;
  startId: number | undefined;
  /** A page's neighbours along followed links and redirects, either way (for cutting a big graph down). */
  neighbours: (id: number) => number[];
};

/**
 * Builds the site's graph from the store (every URL but external ones; followed links and redirects as edges)
 * and measures it with graphology: PageRank, weakly connected components, and click depth by breadth-first search.
 */
export function measure(store: CrawlStore): GraphMetrics {
  store.indexForReports();
  const graph: SiteGraph = new (graphology().DirectedGraph)({ allowSelfLoops: true });
  const db = store.db;
  for (const { id } of db.prepare<[], { id: number }>(`SELECT id FROM pages WHERE state <> 'external'`).iterate()) graph.addNode(String(id));
  const edges = db.prepare<[], { source: number; target: number; weight: number }>(`
    SELECT l.source, l.target, 1 AS weight FROM links l JOIN pages t ON t.id = l.target WHERE l.nofollow = 0 AND t.state <> 'external'
    UNION ALL
    SELECT s.id, t.id, 0 FROM pages s JOIN pages t ON t.url = s.redirect_to WHERE t.state <> 'external'`);
  for (const e of edges.iterate()) {
    const [s, t] = [String(e.source), String(e.target)];
    const edge = graph.edge(s, t);
    if (edge === undefined) graph.addEdge(s, t, { weight: e.weight });
    else if (e.weight < graph.getEdgeAttribute(edge, 'weight')) graph.setEdgeAttribute(edge, 'weight', e.weight);
  }
  const ranks = graph.order ? pagerank()(graph, { getEdgeWeight: null }) : {};
  const start = db.prepare<[], { id: number }>(`SELECT id FROM pages WHERE found_via = 'start'`).get()?.id;
  const depths = clickDepths(graph, start === undefined ? undefined : String(start));

  const pages = new Map<number, PageMetrics>();
  graph.forEachNode((node) =>
    pages.set(Number(node), { depth: depths.get(node) ?? null, pagerank: ranks[node] ?? 0, inlinks: 0, uniqueInlinks: 0, outlinks: 0, externalOutlinks: 0 }),
  );
  const inbound = db.prepare<[], { target: number; n: number; u: number }>('SELECT target, count(*) AS n, count(DISTINCT source) AS u FROM links GROUP BY target');
  for (const row of inbound.iterate()) {
    const m = pages.get(row.target);
    if (m) Object.assign(m, { inlinks: row.n, uniqueInlinks: row.u });
  }
  const outbound = db.prepare<[], { source: number; internal: number; external: number }>(`
    SELECT l.source, sum(t.state <> 'external') AS internal, sum(t.state = 'external') AS external
    FROM links l JOIN pages t ON t.id = l.target GROUP BY l.source`);
  for (const row of outbound.iterate()) {
    const m = pages.get(row.source);
    if (m) Object.assign(m, { outlinks: row.internal, externalOutlinks: row.external });
  }
  return {
    pages,
    components: graph.order ? graphologyComponents().countConnectedComponents(graph) : 0,
    startId: start,
    neighbours: (id) => (graph.hasNode(String(id)) ? graph.neighbors(String(id)).map(Number) : []),
  };
}

/** Shortest click distances from `start`: edges weigh 1 (a link) or 0 (a redirect), so a 0-1 breadth-first search. */
function clickDepths(graph: SiteGraph, start: string | undefined): Map<string, number> {
  const depth = new Map<string, number>();
  if (start === undefined || !graph.hasNode(start)) return depth;
  depth.set(start, 0);
  const deque: string[] = [start];
  let head = 0;
  // A deque as an array with a moving head; zero-weight edges go in front of the head.
  while (head < deque.length) {
    const node = deque[head++]!;
    const d = depth.get(node)!;
    graph.forEachOutEdge(node, (_edge, attrs, _s, target) => {
      const next = d + attrs.weight;
      if (next < (depth.get(target) ?? Infinity)) {
        depth.set(target, next);
        if (attrs.weight === 0) deque.splice(head, 0, target);
        else deque.push(target);
      }
    });
  }
  return depth;
}
