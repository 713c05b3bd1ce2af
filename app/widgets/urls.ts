/** The URLs of a session's files and of the data routes widgets read from. */
export const fileUrl = (session: string, name: string) => `/s/${session}/files/${name.split('/').map(encodeURIComponent).join('/')}`;

const outputBase = (session: string, step: string, index: number) => `/s/${session}/outputs/${step}/${index}`;
const atQuery = (at: number | undefined, sep: '?' | '&') => (at === undefined ? '' : `${sep}at=${at}`);

export const outputUrls = {
  /** A page of a table's rows as JSON (Tabulator's remote pagination and sorting). */
  rows: (session: string, step: string, index: number, at?: number) => `${outputBase(session, step, index)}/rows${atQuery(at, '?')}`,
  /** All of a table's rows as CSV. */
  csv: (session: string, step: string, index: number, at?: number) => `${outputBase(session, step, index)}/csv${atQuery(at, '?')}`,
  /** The whole tar of a session's files. */
  bundle: (session: string) => `/s/${session}/files.tar`,
};
