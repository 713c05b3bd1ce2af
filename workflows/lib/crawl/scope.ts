import { setFlagsFromString } from 'node:v8';

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

// V8's non-backtracking engine (the `l` flag) matches in time proportional to the URL's length whatever the
// pattern, so no pattern, however crafted, can hold the server's one thread: `(a+)+$` is as quick as `/blog/`.
// It refuses what it cannot match that way (back-references, look-arounds, very large counts); patternProblem
// says so at the form. The flag only lets the engine be asked for; every other regular expression is untouched.
setFlagsFromString('--enable-experimental-regexp-engine');

/** A scope pattern compiled for the linear-time engine; throws a SyntaxError for one it cannot run. */
export function linearPattern(source: string): RegExp {
  return new RegExp(source, 'l');
}

/**
 * Compiles a scope. Patterns are regular expressions matched anywhere in the URL, in linear time (checked by
 * `patternProblem`; one that slipped past it stops the crawl with its message).
 */
export function scopeTest(scope: Scope): ScopeTest {
  const start = new URL(scope.start);
  const base = start.hostname.replace(/^www\./, '');
  const compile = (patterns: readonly string[]) => patterns.map((p, i) => {
    const problem = problemOf(p, i);
    if (problem) throw new Error(problem);
    return linearPattern(p);
  });
  const include = compile(scope.include);
  const exclude = compile(scope.exclude);
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

/** What the include and exclude fields say of their patterns. */
export const PATTERN_HELP =
  'Matched anywhere in the URL, in time proportional to its length so no pattern can stall the server: back-references, look-arounds and counts above a few hundred are refused.';

/** Splits a textarea of patterns, one a line, blank lines ignored. */
export function patternLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

/**
 * A message for the first pattern that is not a regular expression the linear-time engine can run, naming its
 * line: not valid at all, or needing backtracking (back-references, look-arounds, counts above a few hundred).
 */
export function patternProblem(text: string): string | undefined {
  return patternLines(text).map(problemOf).find(Boolean);
}

function problemOf(pattern: string, index: number): string | undefined {
  try {
    new RegExp(pattern);
  } catch (err) {
    return `Pattern ${index + 1} ("${pattern}") is not a valid regular expression: ${(err as Error).message.replace(/^Invalid regular expression: /, '')}.`;
  }
  try {
    linearPattern(pattern);
  } catch {
    return `Pattern ${index + 1} ("${pattern}") cannot be matched in time proportional to the URL's length: back-references (\\1), look-arounds ((?=…), (?!…), (?<=…), (?<!…)) and counts above a few hundred ({1000}) are not supported, so that no pattern can stall the server.`;
  }
  return undefined;
}
