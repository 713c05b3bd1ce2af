/** graph.json, the graph widget's input: one node per URL of the site, one link per followed link or redirect. */
export type GraphNode = {
  id: string;
  url: string;
  depth: number | null;
  status: string;
  folder: string;
  pagerank: number;
  inlinks: number;
  outlinks: number;
};
export type GraphJson = {
  nodes: GraphNode[];
  links: { source: string; target: string }[];
  /** Present when the graph was cut down to its most important pages. */
  reduced?: { shown: number; total: number; totalLinks: number };
};

/**
 * The nodes to keep of a graph too big to draw: the top tenth of `limit` by rank, then their neighbours (most
 * important first), then the next by rank, up to `limit`. `ranked` is every node id, most important first. Pure.
 */
export function pickNodes<Id>(ranked: readonly Id[], neighbours: (id: Id) => readonly Id[], limit: number): Set<Id> {
  const rank = new Map(ranked.map((id, i) => [id, i]));
  const keep = new Set<Id>();
  const core = ranked.slice(0, Math.max(1, Math.floor(limit / 10)));
  for (const id of core) keep.add(id);
  const candidates = [...new Set(core.flatMap((id) => neighbours(id)))].sort((a, b) => (rank.get(a) ?? Infinity) - (rank.get(b) ?? Infinity));
  for (const id of candidates) {
    if (keep.size >= limit) break;
    keep.add(id);
  }
  for (const id of ranked) {
    if (keep.size >= limit) break;
    keep.add(id);
  }
  return keep;
}

/** A graph small enough to draw: unchanged within `limit` nodes, else the nodes pickNodes keeps and their links. Pure. */
export function reduceGraph(graph: GraphJson, limit: number): GraphJson {
  if (graph.nodes.length <= limit) return graph;
  const ranked = [...graph.nodes].sort((a, b) => b.pagerank - a.pagerank || Number(a.id) - Number(b.id)).map((n) => n.id);
  const adjacent = new Map<string, string[]>();
  for (const l of graph.links)
    for (const [a, b] of [[l.source, l.target], [l.target, l.source]] as const) adjacent.set(a, [...(adjacent.get(a) ?? []), b]);
  const keep = pickNodes(ranked, (id) => adjacent.get(id) ?? [], limit);
  return {
    nodes: graph.nodes.filter((n) => keep.has(n.id)),
    links: graph.links.filter((l) => keep.has(l.source) && keep.has(l.target)),
    reduced: { shown: keep.size, total: graph.nodes.length, totalLinks: graph.links.length },
  };
}
