export const SESSION_STATUSES = ['active', 'open', 'finalized', 'archived', 'all'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

/** Rows on one page of the session list. */
export const PAGE_SIZE = 100;

/**
 * Which sessions the list shows: by workflow, status (`active`, the default, is everything not archived) and
 * search words; `page` counts from 1.
 */
export type SessionFilter = { workflow?: string; status?: SessionStatus; q?: string; page?: number };

/** The searchable text is matched by a trigram index: words shorter than three letters are looked for by a scan. */
const TRIGRAM = 3;

const STATUS_WHERE: Record<SessionStatus, string | undefined> = {
  active: 'archived = 0',
  open: 'archived = 0 AND finalized = 0',
  finalized: 'archived = 0 AND finalized = 1',
  archived: 'archived = 1',
  all: undefined,
};

/**
 * The FROM and WHERE clauses of a filter and its parameters; the same filter always gives the same SQL text. A
 * search walks the sessions newest first and keeps those the text index matched: a page stops after its rows,
 * instead of sorting every match.
 */
export function whereOf(filter: SessionFilter, ordered = true): { sql: string; params: Record<string, string> } {
  const clauses: string[] = [];
  const params: Record<string, string> = {};
  if (filter.workflow) {
    clauses.push('workflow = @workflow');
    params.workflow = filter.workflow;
  }
  const status = STATUS_WHERE[filter.status ?? 'active'];
  if (status) clauses.push(status);
  const words = searchWords(filter.q);
  const long = words.filter((w) => [...w].length >= TRIGRAM);
  // The long words in one MATCH, so the index intersects them itself.
  if (long.length) {
    clauses.push('n IN (SELECT rowid FROM sessions_search WHERE sessions_search MATCH @match)');
    params.match = long.map((w) => `"${w.replaceAll('"', '""')}"`).join(' AND ');
  }
  words
    .filter((w) => !long.includes(w))
    .forEach((word, i) => {
      clauses.push(`n IN (SELECT rowid FROM sessions_search WHERE instr(lower(text), @w${i}) > 0)`);
      params[`w${i}`] = word;
    });
  // Unordered (a count), the matches are looked up by their rowids instead of walking every session.
  const from = words.length && ordered ? 'sessions INDEXED BY sessions_updated' : 'sessions';
  return { sql: `${from}${clauses.length ? ` WHERE ${clauses.join(' AND ')}` : ''}`, params };
}

/**
 * How many sessions match, as one SQL statement with the filter's parameters. The default list (not archived,
 * no workflow, no search) is counted as all the sessions less the archived ones: SQLite counts a whole table
 * from its b-tree at once and the archived are few, where counting the others walks 10,000 index entries.
 */
export function countOf(filter: SessionFilter): { sql: string; params: Record<string, string> } {
  if ((filter.status ?? 'active') === 'active' && !filter.workflow && !searchWords(filter.q).length)
    return { sql: 'SELECT (SELECT COUNT(*) FROM sessions) - (SELECT COUNT(*) FROM sessions WHERE archived = 1) AS n', params: {} };
  const { sql, params } = whereOf(filter, false);
  return { sql: `SELECT COUNT(*) AS n FROM ${sql}`, params };
}

/** The words of a search, lower-cased, at most eight, each at most 100 characters. */
export function searchWords(q: string | undefined): string[] {
  return (q ?? '')
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 8)
    .map((w) => w.slice(0, 100));
}

/** The last page that has rows (at least 1) for a number of matching sessions. */
export function pageCount(total: number): number {
  return Math.max(1, Math.ceil(total / PAGE_SIZE));
}
