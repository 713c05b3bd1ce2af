// The crawler's pure decisions, without I/O: URL normalisation, scope, link extraction, charsets, robots.txt,
// sitemaps, backoff, politeness slots and the words for waits and network errors, the progress line, graph
// reduction and crawl comparison.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeBody } from '../../workflows/lib/crawl/charset.ts';
import { compareCrawls } from '../../workflows/lib/crawl/compare.ts';
import { extractPage } from '../../workflows/lib/crawl/extract.ts';
import { backoffMs, networkReason } from '../../workflows/lib/crawl/fetch.ts';
import { progressLine } from '../../workflows/lib/crawl/job.ts';
import { HostGate, pauseWords } from '../../workflows/lib/crawl/politeness.ts';
import { reduceGraph, type GraphJson } from '../../workflows/lib/crawl/graph-json.ts';
import { parseRobots, robotsOf } from '../../workflows/lib/crawl/robots.ts';
import { patternProblem, scopeTest } from '../../workflows/lib/crawl/scope.ts';
import { parseSitemap } from '../../workflows/lib/crawl/sitemap.ts';
import { folderOf, normalizeLink, parseStartUrl } from '../../workflows/lib/crawl/urls.ts';

test('links are resolved and normalised: fragments, relative and protocol-relative, ports, slashes, case, queries', () => {
  const base = 'http://site.test/a/b.html';
  const cases: [string, string | undefined][] = [
    ['../c.html#part', 'http://site.test/c.html'],
    ['//Site.TEST:80//x//y', 'http://site.test/x/y'],
    ['HTTPS://SITE.test:443/', 'https://site.test/'],
    ['http://site.test:8080/', 'http://site.test:8080/'],
    ['?q=1', 'http://site.test/a/b.html?q=1'],
    ['/a/./b/../c', 'http://site.test/a/c'],
    ['mailto:x@site.test', undefined],
    ['javascript:void(0)', undefined],
    ['tel:+100', undefined],
    ['http://[::1', undefined],
    ['', undefined],
  ];
  for (const [href, want] of cases) assert.equal(normalizeLink(href, base), want, href);
  const tracked = 'https://site.test/?b=2&utm_source=x&gclid=1&a=1';
  assert.equal(normalizeLink(tracked, tracked, 'keep'), tracked);
  assert.equal(normalizeLink(tracked, tracked, 'tracking'), 'https://site.test/?b=2&a=1');
  assert.equal(normalizeLink(tracked, tracked, 'drop'), 'https://site.test/');
  assert.equal(normalizeLink('https://site.test/?utm_source=x', base, 'tracking'), 'https://site.test/', 'a bare host keeps its slash');
});

test('a start URL is http(s), with a clear message for anything else', () => {
  assert.deepEqual(parseStartUrl('example.com'), { url: 'https://example.com/' });
  assert.deepEqual(parseStartUrl(' HTTP://Example.com:80/a#x '), { url: 'http://example.com/a' });
  assert.match((parseStartUrl('ftp://example.com') as { error: string }).error, /Only http and https/);
  assert.match((parseStartUrl('') as { error: string }).error, /Give the address/);
  assert.match((parseStartUrl('https://a b') as { error: string }).error, /not a web address/);
  assert.match((parseStartUrl('https://me:secret@example.com/') as { error: string }).error, /user name and password/);
  assert.deepEqual(parseStartUrl('http://[::1]:0'), { error: '"http://[::1]:0" cannot be crawled: it has port 0, which nothing can be reached at.' });
  assert.deepEqual(parseStartUrl('http://a..b/'), { error: '"http://a..b/" cannot be crawled: it has an empty label in its host name "a..b".' });
  assert.deepEqual(parseStartUrl('-x-.com'), { error: '"-x-.com" cannot be crawled: it has a label in its host name that starts or ends with "-" ("-x-").' });
});

test('scope: the host (port included) or its sub-domains, narrowed by include and exclude patterns', () => {
  const host = scopeTest({ start: 'https://www.site.test/', subdomains: false, include: [], exclude: ['/tmp/'] });
  assert.equal(host('https://www.site.test/a'), 'internal');
  assert.equal(host('http://www.site.test/a'), 'internal', 'the scheme does not matter');
  assert.equal(host('https://www.site.test:8443/a'), 'external', 'another port is another site');
  assert.equal(host('https://blog.site.test/'), 'external');
  assert.equal(host('https://site.test/a'), 'internal', 'with or without www.');
  assert.equal(host('https://wwwsite.test/a'), 'external');
  assert.equal(host('https://www.site.test/tmp/x'), 'excluded');
  const subs = scopeTest({ start: 'https://www.site.test/', subdomains: true, include: ['/docs/'], exclude: [] });
  assert.equal(subs('https://blog.site.test/docs/a'), 'internal');
  assert.equal(subs('https://site.test/docs/'), 'internal');
  assert.equal(subs('https://notsite.test/docs/'), 'external');
  assert.equal(subs('https://www.site.test/other'), 'excluded');
  assert.equal(subs('https://www.site.test/'), 'internal', 'the start is always in');
  assert.equal(patternProblem('/ok/\n\n^https?://'), undefined);
  assert.match(patternProblem('/ok/\n(unclosed') ?? '', /Pattern 2 \("\(unclosed"\) is not a valid regular expression/);
});

test('scope patterns run in linear time: common ones and nested quantifiers work, backtracking-only ones are refused', () => {
  assert.equal(patternProblem('/blog/\n\\.pdf$\n^https://example\\.com/docs/\n(a+)+$'), undefined);
  const scope = scopeTest({ start: 'https://site.test/', subdomains: false, include: [], exclude: ['(a+)+$', '\\.pdf$'] });
  assert.equal(scope(`https://site.test/${'a'.repeat(5000)}!`), 'internal', 'no match, and no stall either');
  assert.equal(scope('https://site.test/aaa'), 'excluded');
  assert.equal(scope('https://site.test/x.pdf'), 'excluded');
  for (const pattern of ['(a|b)\\1', '^(?!.*/tmp/)', 'x{1000}']) {
    const problem = patternProblem(`/ok/\n${pattern}`) ?? '';
    assert.ok(problem.startsWith(`Pattern 2 ("${pattern}") cannot be matched in time proportional to the URL's length: back-references`), problem);
    assert.throws(() => scopeTest({ start: 'https://site.test/', subdomains: false, include: [pattern], exclude: [] }), /cannot be matched in time proportional/);
  }
});

test('extraction: base href, nofollow, canonical, meta robots, area and image alt text, entities', () => {
  const html = `<html><head><title> A &amp; B </title><base href="/docs/"><link rel="Canonical" href="main.html#x">
    <meta name="ROBOTS" content="NoIndex, follow"></head><body>
    <a href="one.html">One <img alt="pic"></a> <a rel="external nofollow" href="/two">Two</a>
    <map><area href="three.html" alt="Three"></map> <a href="mailto:x">mail</a> <a name="no-href">x</a>
    <svg><title>icon</title></svg></body></html>`;
  const facts = extractPage(html, 'http://site.test/page.html', 'keep');
  assert.equal(facts.title, 'A & B');
  assert.equal(facts.canonical, 'http://site.test/docs/main.html');
  assert.deepEqual(facts.robots, ['noindex', 'follow']);
  assert.deepEqual(facts.links.map((l) => [l.url, l.anchor, l.nofollow]), [
    ['http://site.test/docs/one.html', 'One pic', false],
    ['http://site.test/two', 'Two', true],
    ['http://site.test/docs/three.html', 'Three', false],
    [undefined, 'mail', false],
  ]);
});

test('charsets: the header, then the meta tag, then UTF-8; a byte-order mark wins', () => {
  const latin = Buffer.from('<title>Café</title>', 'latin1');
  assert.equal(decodeBody(latin, 'text/html; charset=ISO-8859-1'), '<title>Café</title>');
  assert.equal(decodeBody(Buffer.concat([Buffer.from('<meta charset="iso-8859-1">'), latin]), 'text/html'), '<meta charset="iso-8859-1"><title>Café</title>');
  assert.equal(decodeBody(Buffer.concat([Buffer.from('<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'), Buffer.from([0x80])]), undefined).slice(-1), '€');
  assert.equal(decodeBody(Buffer.from('Café'), undefined), 'Café');
  assert.equal(decodeBody(Buffer.from('Café'), 'text/html; charset=no-such-charset'), 'Café', 'an unknown name falls back to UTF-8');
  assert.equal(decodeBody(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('é')]), 'text/html; charset=iso-8859-1'), 'é');
});

test('robots.txt: disallowed paths for our agent, Crawl-delay, sitemaps', () => {
  const robots = parseRobots('http://site.test/robots.txt', 'User-agent: *\nDisallow: /private/\nCrawl-delay: 2\n\nUser-agent: OtherBot\nDisallow: /\nSitemap: http://site.test/map.xml\n', 'CardtrailBot/0.1');
  assert.equal(robots.allowed('http://site.test/private/x'), false);
  assert.equal(robots.allowed('http://site.test/public'), true);
  assert.equal(robots.delayMs, 2000);
  assert.deepEqual(robots.sitemaps, ['http://site.test/map.xml']);
  assert.equal(parseRobots('http://site.test/robots.txt', 'User-agent: *\nCrawl-delay: 99999\n', 'x').delayMs, 60_000, 'capped');
});

test('robots.txt answers as RFC 9309 reads them: 4xx allows everything, 5xx or no answer disallows everything', () => {
  const url = 'http://site.test/robots.txt';
  assert.equal(robotsOf(url, { status: 404 }, 'x').allowed('http://site.test/a'), true);
  const down = robotsOf(url, { status: 503 }, 'x');
  assert.equal(down.allowed('http://site.test/a'), false);
  assert.equal(down.refusal, 'robots.txt could not be read (status 503)');
  assert.match(robotsOf(url, { error: 'the connection was refused' }, 'x').note, /could not be read \(the connection was refused\): nothing on site.test is fetched; untick "Obey robots.txt"/);
  assert.equal(robotsOf(url, { status: 200, body: Buffer.from('User-agent: *\nDisallow: /a') }, 'x').allowed('http://site.test/a'), false);
});

test('sitemaps: page locations and nested sitemap indexes, with or without a namespace prefix', () => {
  assert.deepEqual(parseSitemap('<urlset><url><loc> http://s/a </loc></url><url><loc>http://s/b?x=1&amp;y=2</loc></url></urlset>'), { pages: ['http://s/a', 'http://s/b?x=1&y=2'], sitemaps: [] });
  assert.deepEqual(parseSitemap('<sm:sitemapindex xmlns:sm="x"><sm:sitemap><sm:loc>http://s/2.xml</sm:loc></sm:sitemap></sm:sitemapindex>'), { pages: [], sitemaps: ['http://s/2.xml'] });
});

test('backoff: Retry-After in seconds or as a date, capped; otherwise doubling', () => {
  const s = { backoffMs: 100, maxRetryAfterMs: 5000 };
  assert.equal(backoffMs('2', 0, s), 2000);
  assert.equal(backoffMs('600', 0, s), 5000);
  assert.equal(backoffMs(undefined, 0, s), 100);
  assert.equal(backoffMs(undefined, 3, s), 800);
  assert.ok(Math.abs(backoffMs(new Date(Date.now() + 3000).toUTCString(), 0, s) - 3000) < 1100);
});

test('politeness: each request to a host takes the next slot, a delay apart; other hosts and no delay do not wait', () => {
  const gate = new HostGate();
  assert.deepEqual([0, 0, 10].map((now) => gate.reserve('a', 1000, now)), [0, 1000, 1990]);
  assert.equal(gate.reserve('b', 1000, 10), 0, 'another host');
  assert.equal(gate.reserve('a', 0, 10), 0, 'no delay');
  assert.equal(gate.reserve('a', 1000, 5000), 0, 'a slot long past');
});

test('the progress line says what the crawler waits for, and how long is left', () => {
  const base = { fetched: 3, queued: 2, failed: 1, current: '', pagesPerSecond: 0.5, elapsedMs: 75_900 };
  assert.equal(progressLine(base), 'Fetched 3 · queued 2 · failed 1 · 0.5 pages/s · 1:15 elapsed');
  assert.equal(
    progressLine({ ...base, pause: { cause: { why: 'robots', delayMs: 60_000 }, leftMs: 47_200 } }),
    'Fetched 3 · queued 2 · failed 1 · 0.5 pages/s · 1:15 elapsed · waiting 60 s between requests, as robots.txt asks: next request in 48 s',
  );
  assert.equal(
    progressLine({ ...base, current: 'http://s/a', pause: { cause: { why: 'delay', delayMs: 1500 }, leftMs: 1420 } }),
    'Fetched 3 · queued 2 · failed 1 · 0.5 pages/s · 1:15 elapsed · now http://s/a · waiting 1.5 s between requests, as the politeness delay asks: next request in 1.5 s',
  );
  assert.equal(pauseWords({ why: 'busy', status: 429 }, 2000), 'waiting to ask again, as the server was busy (status 429): next request in 2 s');
});

test('network errors in words: known codes said plainly, others named, messages kept', () => {
  const failed = (code?: string, message = 'other side closed') => Object.assign(new TypeError('fetch failed'), { cause: { code, message } });
  assert.equal(networkReason(failed('UND_ERR_SOCKET')), 'the connection was closed by the server');
  assert.equal(networkReason(failed('ECONNREFUSED')), 'the connection was refused');
  assert.equal(networkReason(failed('ENOTFOUND')), 'the host name was not found (DNS)');
  assert.equal(networkReason(failed('HPE_INVALID_CONSTANT')), 'the server’s answer is not valid HTTP');
  assert.equal(networkReason(failed('EWHATEVER')), 'network error EWHATEVER');
  assert.equal(networkReason(failed(undefined, 'invalid onRequestStart method')), 'invalid onRequestStart method');
  assert.equal(networkReason(new Error('plain')), 'plain');
});

test('folders for colouring the graph', () => {
  assert.equal(folderOf('http://s/'), '/');
  assert.equal(folderOf('http://s/a.html'), '/');
  assert.equal(folderOf('http://s/blog/x/y.html'), '/blog/');
});

test('a graph above the limit keeps the top pages by PageRank and their neighbours', () => {
  const nodes = Array.from({ length: 100 }, (_, i) => ({ id: String(i), url: `u${i}`, depth: 1, status: '200', folder: '/', pagerank: i === 50 ? 1 : 1 / (i + 2), inlinks: 0, outlinks: 0 }));
  const links = [{ source: '50', target: '99' }, { source: '0', target: '98' }, { source: '97', target: '96' }];
  const graph: GraphJson = { nodes, links };
  assert.equal(reduceGraph(graph, 100), graph);
  const small = reduceGraph(graph, 10);
  const ids = small.nodes.map((n) => n.id);
  assert.equal(ids.length, 10);
  assert.ok(ids.includes('50') && ids.includes('99'), 'the top page and its neighbour');
  assert.ok(!ids.includes('97'));
  assert.deepEqual(small.links, [{ source: '50', target: '99' }]);
  assert.deepEqual(small.reduced, { shown: 10, total: 100, totalLinks: 3 });
});

test('comparing crawls: pages added and removed, status and depth changes, new broken links', () => {
  const before = {
    pages: [{ url: 'a', status: '200', depth: '0' }, { url: 'b', status: '200', depth: '1' }, { url: 'c', status: '404', depth: '1' }],
    links: [{ source: 'a', target: 'c', target_status: '404' }, { source: 'a', target: 'b', target_status: '200' }],
  };
  const after = {
    pages: [{ url: 'a', status: '200', depth: '0' }, { url: 'b', status: '500', depth: '2' }, { url: 'd', status: '200', depth: '1' }],
    links: [{ source: 'a', target: 'c', target_status: '404' }, { source: 'a', target: 'b', target_status: '500' }, { source: 'd', target: 'b', target_status: '500' }],
  };
  assert.deepEqual(compareCrawls(before, after), {
    added: [{ url: 'd', status: '200', depth: '1' }],
    removed: [{ url: 'c', status: '404', depth: '1' }],
    statusChanged: [{ url: 'b', before: '200', after: '500' }],
    depthChanged: [{ url: 'b', before: '1', after: '2' }],
    newBroken: [{ source: 'a', target: 'b', target_status: '500' }, { source: 'd', target: 'b', target_status: '500' }],
  });
});
