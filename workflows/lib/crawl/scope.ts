/**
 * Which URLs a crawl fetches: the site's host, with or without `www.` (or its sub-domains too), narrowed by include
 * and exclude patterns.
 */
export type Scope = {
  start: string;
  subdomains: boolean;
  include: readonly string[];
  exclude: readonly string[];
};

/** internal: the crawler fetches it; external: recorded, never fetched; excluded: on the site but ruled out. */
export type Placement = 'internal' | 'external' | 'excluded';

/** A compiled scope: host test and patterns made once, then asked of every link. */
export type ScopeTest = (url: string) => Placement;

/** Compiles a scope. Patterns are regular expressions matched anywhere in the URL (checked by `patternProblem`). */
export function scopeTest(scope: Scope): ScopeTest {
  const start = new URL(scope.start);
  const base = start.hostname.replace(/^www\./, '');
  const include = scope.include.map((p) => new RegExp(p));
  const exclude = scope.exclude.map((p) => new RegExp(p));
  // www.example.com and example.com are one site (a start URL redirecting from one to the other is common).
  const onSite = (u: URL) =>
    scope.subdomains ? u.hostname === base || u.hostname.endsWith(`.${base}`) : u.port === start.port && u.hostname.replace(/^www\./, '') === base;
  return (url) => {
    const u = new URL(url);
    if (!onSite(u)) return 'external';
    if (url === scope.start) return 'internal';
    if (include.length && !include.some((re) => re.test(url))) return 'excluded';
    if (exclude.some((re) => re.test(url))) return 'excluded';
    return 'internal';
  };
}

/** Splits a textarea of patterns, one a line, blank lines ignored. */
export function patternLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

/** A message for the first pattern that is not a valid regular expression, naming its line. */
export function patternProblem(text: string): string | undefined {
  const lines = patternLines(text);
  for (const [i, line] of lines.entries()) {
    try {
      new RegExp(line);
    } catch (err) {
      return `Pattern ${i + 1} ("${line}") is not a valid regular expression: ${(err as Error).message.replace(/^Invalid regular expression: /, '')}.`;
    }
  }
  return undefined;
}
