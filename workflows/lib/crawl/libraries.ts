import type * as Htmlparser2 from 'htmlparser2';
import type * as Graphology from 'graphology';
import type * as GraphologyComponents from 'graphology-components';
import type * as CsvStringify from 'csv-stringify';
import { lazyRequire } from '../../../app/lazy.ts';

type RobotsParser = typeof import('robots-parser').default;
type Pagerank = typeof import('graphology-metrics/centrality/pagerank.js').default;

// The crawler's libraries, each loaded the first time a crawl needs it rather than when the server discovers the
// workflow: a server that never crawls never pays for them (10.4 MB together, required alone in a fresh node).
// These are their CommonJS builds, required as they are (robots-parser and graphology-metrics are CommonJS whose
// types declare an ES default export NodeNext cannot see).

/** Reads pages, sitemaps and charset meta tags while a crawl runs. */
export const htmlparser2 = lazyRequire<typeof Htmlparser2>('htmlparser2');
export const robotsParser = lazyRequire<RobotsParser>('robots-parser');
/** The report phase's graph and its measures. */
export const graphology = lazyRequire<typeof Graphology>('graphology');
export const graphologyComponents = lazyRequire<typeof GraphologyComponents>('graphology-components');
export const pagerank = lazyRequire<Pagerank>('graphology-metrics/centrality/pagerank.js');
/** The report phase's CSV files. */
export const csvStringify = lazyRequire<typeof CsvStringify>('csv-stringify');
