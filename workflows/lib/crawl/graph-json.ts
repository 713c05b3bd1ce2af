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
 * A graph small enough to draw: unchanged when it has at most `limit` nodes, else the top pages by PageRank and
 * their neighbours (most important first) up to `limit` nodes, with the links among them. Pure.
 */
export function reduceGraph(graph: GraphJson, limit: number): GraphJson {
  if (graph.nodes.length <= limit) return graph;
  const ranked = [...graph.nodes].sort((a, b) => b.pagerank - a.pagerank || Number(a.id) - Number(b.id));
  const rank = new Map(ranked.map((n, i) => [n.id, i]));
  const neighbours = new Map<string, string[]>();
  for (const l of graph.links) {
    for (const [a, b] of [[l.source, l.target], [l.target, l.source]] as const) {
      const list = neighbours.get(a) ?? [];
      list.push(b);
      neighbours.set(a, list);
    }
  }
  const keep = new Set<string>();
  const core = Math.max(1, Math.floor(limit / 10));
  for (const n of ranked.slice(0, core)) keep.add(n.id);
  // Neighbours of the top pages, the most important first, until the limit.
  const candidates = [...new Set(ranked.slice(0, core).flatMap((n) => neighbours.get(n.id) ?? []))].sort((a, b) => rank.get(a)! - rank.get(b)!);
  for (const id of candidates) {
    if (keep.size >= limit) break;
    keep.add(id);
  }
  for (const n of ranked) {
    if (keep.size >= limit) break;
    keep.add(n.id);
  }
  return {
    nodes: graph.nodes.filter((n) => keep.has(n.id)),
    links: graph.links.filter((l) => keep.has(l.source) && keep.has(l.target)),
    reduced: { shown: keep.size, total: graph.nodes.length, totalLinks: graph.links.length },
  };
}
