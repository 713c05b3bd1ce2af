// A steady, random workload against a real Cardtrail server over HTTP: sessions started, steps submitted, notes,
// reverts, finalizes, jobs and imports, several at once. Every write the server acknowledged is remembered, so a
// check after a crash can demand that each one is in the log and on the page.
import { openStep } from '../support/html.ts';

/** A small seeded generator (mulberry32), so a failing run can be repeated with its seed. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What an acknowledged write leaves in a session's log. */
export type Acked =
  | { kind: 'value'; key: string; token: string }
  | { kind: 'note'; token: string }
  | { kind: 'revert' | 'job' }
  /** Finalize and unfinalize answer 303 without writing when the session already is so: at least one is in the log. */
  | { kind: 'finalize' | 'unfinalize' }
  | { kind: 'import'; file: string };

export type Tracked = { id: string; workflow: 'hello' | 'ticker'; acked: Acked[] };

/** An answer that is neither an acknowledgement nor a refusal the workload can cause (a stale step, say). */
export class Unexpected extends Error {}

const REFUSALS = new Set([409, 422]);

export class Workload {
  readonly sessions = new Map<string, Tracked>();
  /** Sessions written to since the last check: those get the full check (page and history). */
  readonly touched = new Set<string>();
  readonly counts = { requests: 0, acked: 0, refused: 0, cut: 0 };
  private serial = 0;

  constructor(
    private url: string,
    private readonly rand: () => number,
  ) {}

  /** Points the workload at a restarted server. */
  retarget(url: string): void {
    this.url = url;
  }

  /** Runs `workers` loops of random operations until `signal` aborts; errors other than cut connections are thrown. */
  async run(workers: number, signal: AbortSignal): Promise<void> {
    await Promise.all(
      Array.from({ length: workers }, async () => {
        while (!signal.aborted) await this.step(signal);
      }),
    );
  }

  private token(): string {
    return `t${process.pid}x${++this.serial}x${Math.floor(this.rand() * 1e9)}`;
  }

  private pick(): Tracked | undefined {
    const recent = [...this.sessions.values()].slice(-12);
    return recent.length ? recent[Math.floor(this.rand() * recent.length)] : undefined;
  }

  private async step(signal: AbortSignal): Promise<void> {
    try {
      const r = this.rand();
      const s = this.pick();
      if (!s || r < 0.08) return await this.start(this.rand() < 0.7 ? 'hello' : 'ticker', signal);
      if (r < 0.14) return await this.importFrom(s, signal);
      if (r < 0.34) return await this.note(s, signal);
      return await this.advance(s, signal);
    } catch (err) {
      if (err instanceof Unexpected) throw err;
      // The server was killed under the request: nothing was acknowledged, so nothing is expected.
      this.counts.cut++;
    }
  }

  private async request(path: string, signal: AbortSignal, init: RequestInit = {}): Promise<Response> {
    this.counts.requests++;
    const res = await fetch(this.url + path, {
      redirect: 'manual',
      ...init,
      headers: { origin: this.url, 'sec-fetch-site': 'same-origin', ...init.headers },
      signal: AbortSignal.any([signal, AbortSignal.timeout(15_000)]),
    });
    return res;
  }

  /** Posts a form; true when acknowledged (303), false when refused (409/422); anything else is Unexpected. */
  private async post(path: string, form: Record<string, string>, signal: AbortSignal): Promise<Response | undefined> {
    const res = await this.request(path, signal, { method: 'POST', body: new URLSearchParams(form) });
    return this.judge(path, res);
  }

  private async judge(path: string, res: Response): Promise<Response | undefined> {
    if (res.status === 303) {
      this.counts.acked++;
      return res;
    }
    const body = await res.text();
    if (REFUSALS.has(res.status)) {
      this.counts.refused++;
      return undefined;
    }
    throw new Unexpected(`POST ${path} answered ${res.status}: ${body.slice(0, 400)}`);
  }

  private record(s: Tracked, acked: Acked): void {
    s.acked.push(acked);
    this.touched.add(s.id);
  }

  private async start(workflow: 'hello' | 'ticker', signal: AbortSignal): Promise<void> {
    const res = await this.post(`/start/${workflow}`, {}, signal);
    if (!res) throw new Unexpected(`starting ${workflow} was refused`);
    const id = sessionIn(res);
    this.sessions.set(id, { id, workflow, acked: [] });
    this.touched.add(id);
  }

  private async note(s: Tracked, signal: AbortSignal): Promise<void> {
    const token = this.token();
    const step = s.workflow === 'hello' ? 'name' : 'simulate';
    if (await this.post(`/s/${s.id}/notes`, { step, text: token }, signal)) this.record(s, { kind: 'note', token });
  }

  private async importFrom(s: Tracked, signal: AbortSignal): Promise<void> {
    const log = await this.request(`/s/${s.id}/log.jsonl`, signal);
    if (log.status !== 200) throw new Unexpected(`GET log.jsonl of ${s.id} answered ${log.status}`);
    const file = `${s.id}.jsonl`;
    const form = new FormData();
    form.append('log', new File([await log.arrayBuffer()], file, { type: 'application/x-ndjson' }));
    const res = await this.judge('/import', await this.request('/import', signal, { method: 'POST', body: form }));
    if (!res) return;
    const id = sessionIn(res);
    const tracked: Tracked = { id, workflow: s.workflow, acked: [] };
    this.sessions.set(id, tracked);
    this.record(tracked, { kind: 'import', file });
  }

  /** Does what the session's page offers next: submit the open step, or revert, or finalize. */
  private async advance(s: Tracked, signal: AbortSignal): Promise<void> {
    const page = await this.request(`/s/${s.id}`, signal);
    if (page.status !== 200) throw new Unexpected(`GET /s/${s.id} answered ${page.status}`);
    const html = await page.text();
    const open = openStep(html);
    const finalized = html.includes('/unfinalize');
    if (finalized) {
      if (await this.post(`/s/${s.id}/unfinalize`, {}, signal)) this.record(s, { kind: 'unfinalize' });
      return;
    }
    if (!open || this.rand() < 0.2) {
      const done = [...html.matchAll(/action="\/s\/[^/]+\/steps\/([^/]+)\/revert"/g)].map((m) => m[1]);
      if (!open && this.rand() < 0.5) {
        if (await this.post(`/s/${s.id}/finalize`, {}, signal)) this.record(s, { kind: 'finalize' });
        return;
      }
      const step = done[Math.floor(this.rand() * done.length)];
      if (step && (await this.post(`/s/${s.id}/steps/${step}/revert`, {}, signal))) this.record(s, { kind: 'revert' });
      return;
    }
    if (html.includes('class="job-progress"')) return; // a job is running: let it
    const token = this.token();
    const forms: Record<string, Record<string, string>> = {
      name: { name: token },
      greeting: { greeting: `Hello ${token}` },
      simulate: { ticks: String(2 + Math.floor(this.rand() * 4)), interval: '20', failAt: '' },
      review: { verdict: token },
    };
    const form = forms[open];
    if (!form) throw new Unexpected(`no form for step ${open}`);
    if (!(await this.post(`/s/${s.id}/steps/${open}`, form, signal))) return;
    if (open === 'simulate') this.record(s, { kind: 'job' });
    else this.record(s, { kind: 'value', key: Object.keys(form)[0], token: form[Object.keys(form)[0]] });
  }
}

function sessionIn(res: Response): string {
  const match = /^\/s\/([A-Za-z0-9_-]{21})$/.exec(res.headers.get('location') ?? '');
  if (!match) throw new Unexpected(`a redirect to ${res.headers.get('location')}, not to a session`);
  return match[1];
}
