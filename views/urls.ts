/** The URLs the pages link and post to, in one place so routes and views agree. */
export const urls = {
  home: () => '/',
  start: (workflow: string) => `/start/${encodeURIComponent(workflow)}`,
  session: (id: string) => `/s/${id}`,
  submit: (id: string, step: string) => `/s/${id}/steps/${step}`,
  revert: (id: string, step: string) => `/s/${id}/steps/${step}/revert`,
  finalize: (id: string) => `/s/${id}/finalize`,
  unfinalize: (id: string) => `/s/${id}/unfinalize`,
};

/** Where a job step's live progress streams from, and where it is cancelled. */
export const jobUrls = {
  events: (id: string, step: string) => `/s/${id}/jobs/${step}/events`,
  cancel: (id: string, step: string) => `/s/${id}/jobs/${step}/cancel`,
};
