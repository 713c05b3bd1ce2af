/** The URLs the pages link and post to, in one place so routes and views agree. */
export const urls = {
  home: () => '/',
  start: (workflow: string) => `/start/${encodeURIComponent(workflow)}`,
  session: (id: string) => `/s/${id}`,
  submit: (id: string, step: string) => `/s/${id}/steps/${step}`,
  revert: (id: string, step: string) => `/s/${id}/steps/${step}/revert`,
  finalize: (id: string) => `/s/${id}/finalize`,
  unfinalize: (id: string) => `/s/${id}/unfinalize`,
  notes: (id: string) => `/s/${id}/notes`,
  fork: (id: string) => `/s/${id}/fork`,
  migrate: (id: string) => `/s/${id}/migrate`,
  archive: (id: string) => `/s/${id}/archive`,
  unarchive: (id: string) => `/s/${id}/unarchive`,
  remove: (id: string) => `/s/${id}/delete`,
  history: (id: string, before?: number) => `/s/${id}/history${before ? `?before=${before}` : ''}`,
  at: (id: string, seq: number) => `/s/${id}/at/${seq}`,
  integrity: (id: string) => `/s/${id}/integrity`,
  log: (id: string) => `/s/${id}/log.jsonl`,
  summary: (id: string) => `/s/${id}/summary.json`,
  importLog: () => '/import',
  title: (id: string) => `/s/${id}/title`,
};

/** Where a job step's live progress streams from, and where it is cancelled. */
export const jobUrls = {
  events: (id: string, step: string) => `/s/${id}/jobs/${step}/events`,
  cancel: (id: string, step: string) => `/s/${id}/jobs/${step}/cancel`,
};
