import assert from 'node:assert/strict';
import type { Client } from './client.ts';

/** The kitchen sink's first steps given through its forms, up to and including the access step's secret and file. */
export async function throughAccess(client: Client, id: string): Promise<void> {
  await throughLinks(client, id);
  assert.equal((await client.request(`/s/${id}/steps/access`, { method: 'POST', body: accessForm() })).status, 303);
}

/** The access step's form: its secret and its file. */
export function accessForm(): FormData {
  const access = new FormData();
  access.append('token', 'tok_live_9c1b2e7f44a0d13f');
  access.append('keywords', new File(['alpha\nbeta\n'], 'keywords.txt', { type: 'text/plain' }));
  return access;
}

/** The kitchen sink's first steps given through their forms, up to the access step (then open). */
export async function throughLinks(client: Client, id: string): Promise<void> {
  await client.submit(id, 'basics', BASICS);
  await client.submit(id, 'times', TIMES);
  await client.submit(id, 'links', LINKS);
}

export const BASICS = { name: 'Ada', budget: '12.5', depth: '2', level: '7', pace: 'fast', size: 'm', columns: ['id'], agree: 'on' };
export const TIMES = { start: '2026-03-07', at: '09:30', meeting: '2026-03-07T14:00', slot: '1 hour' };
export const LINKS = { site: 'https://example.com/', contact: 'ada@example.com', code: 'ADA-123', config: '{}' };
