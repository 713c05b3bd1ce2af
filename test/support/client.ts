// The real app driven in-process through app.request(), on a fresh temp data folder, for the route and history
// tests: requests as a browser or htmx sends them, the session log as it is on disk, and a few log readers.
import assert from 'node:assert/strict';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { LogEvent } from '../../app/log/events.ts';
import type { Cardtrail } from '../../app/server.ts';
import { tempDir, testApp } from './app.ts';

export type Form = Record<string, string | string[]>;
export type Headers = Record<string, string>;

export const HTMX: Headers = { 'HX-Request': 'true' };
/** How a change is sent: by a plain form post, or by htmx (which wants the trail back as a fragment). */
export const MODES: { mode: string; headers: Headers }[] = [
  { mode: 'plain', headers: {} },
  { mode: 'htmx', headers: HTMX },
];

/**
 * The real app on a fresh temp data folder (and optionally another workflows folder), closed and removed when the
 * test ends; reopenable on the same folders.
 */
export class Client {
  private constructor(
    public ct: Cardtrail,
    readonly dir: string,
    private readonly workflowsDir: string | undefined,
  ) {}

  /** `workflowsDir` replaces the project's workflows folder. */
  static async open(t: TestContext, opts: { workflowsDir?: string } = {}): Promise<Client> {
    const { dir, cleanup } = await tempDir();
    const client = new Client(await testApp({ dataDir: dir, workflowsDir: opts.workflowsDir }), dir, opts.workflowsDir);
    t.after(async () => {
      client.ct.close();
      await cleanup();
    });
    return client;
  }

  /** The real app on a data folder the test made (a tmpfs, say); closed, but not removed, when the test ends. */
  static async on(t: TestContext, dir: string): Promise<Client> {
    const client = new Client(await testApp({ dataDir: dir }), dir, undefined);
    t.after(() => client.ct.close());
    return client;
  }

  /**
   * Closes the app (dropping every memory cache) and builds a new one on the same data and workflows folders,
   * optionally without its catalog, and after `beforeOpen` has run (to change files while the app is closed).
   */
  async reopen(opts: { deleteCatalog?: boolean; beforeOpen?: () => Promise<void> } = {}): Promise<void> {
    this.ct.close();
    if (opts.deleteCatalog)
      for (const suffix of ['', '-wal', '-shm']) await rm(join(this.dir, `catalog.sqlite${suffix}`), { force: true });
    await opts.beforeOpen?.();
    this.ct = await testApp({ dataDir: this.dir, workflowsDir: this.workflowsDir });
  }

  /** The app's own entry point, as a server adapter calls it. */
  fetch(req: Request): Promise<Response> {
    return Promise.resolve(this.ct.app.fetch(req));
  }

  request(path: string, init?: RequestInit): Promise<Response> {
    return Promise.resolve(this.ct.app.request(path, init));
  }

  get(path: string, headers: Headers = {}): Promise<Response> {
    return this.request(path, { headers });
  }

  post(path: string, form: Form = {}, headers: Headers = {}): Promise<Response> {
    const body = new URLSearchParams();
    for (const [key, value] of Object.entries(form)) for (const one of [value].flat()) body.append(key, one);
    return this.request(path, { method: 'POST', headers, body });
  }

  /** Uploads a file as the home page's import form does (multipart, field "log"). */
  upload(bytes: Buffer | string, name: string): Promise<Response> {
    const form = new FormData();
    form.append('log', new File([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)], name, { type: 'application/x-ndjson' }));
    return this.request('/import', { method: 'POST', body: form });
  }

  /** Starts a session and returns its id. */
  async start(workflow: string): Promise<string> {
    return sessionOf(await this.post(`/start/${workflow}`));
  }

  /** Submits a step the plain way and expects it to be accepted (a 303 back to the session). */
  async submit(id: string, step: string, form: Form): Promise<void> {
    const res = await this.post(`/s/${id}/steps/${step}`, form);
    assert.equal(res.status, 303, `submitting ${step}: ${res.status} ${await res.clone().text()}`);
    assert.equal(res.headers.get('location'), `/s/${id}`);
  }

  /** Posts an action (revert, finalize, a note, ...) the plain way and expects it to be accepted (a 303). */
  async act(path: string, form: Form = {}): Promise<Response> {
    const res = await this.post(path, form);
    assert.equal(res.status, 303, `${path}: ${res.status} ${await res.clone().text()}`);
    return res;
  }

  /** A page's HTML; it must answer 200. */
  async html(path: string): Promise<string> {
    const res = await this.get(path);
    assert.equal(res.status, 200, `GET ${path}`);
    return res.text();
  }

  /** A session's page. */
  page(id: string): Promise<string> {
    return this.html(`/s/${id}`);
  }

  logPath(id: string): string {
    return join(this.dir, 'sessions', id, 'log.jsonl');
  }

  logBytes(id: string): Promise<Buffer> {
    return readFile(this.logPath(id));
  }

  async events(id: string): Promise<LogEvent[]> {
    return parseLog(await this.logBytes(id));
  }

  /** The ids of the session folders, sorted. */
  async sessionIds(): Promise<string[]> {
    return (await readdir(join(this.dir, 'sessions'))).sort();
  }

  /** The version of a workflow as the app loaded it. */
  version(workflow: string): string {
    return this.ct.engine.workflows.get(workflow)!.version;
  }

  /** How many sessions the catalog holds. */
  catalogCount(): number {
    this.ct.engine.catalog.flush(); // queued rows are written a moment later, or before the catalog's own reads
    return (this.ct.engine.catalog.db.prepare('SELECT COUNT(*) AS n FROM sessions').get() as { n: number }).n;
  }
}

/** The session a 303 leads to. */
export function sessionOf(res: Response): string {
  assert.equal(res.status, 303);
  const match = /^\/s\/([A-Za-z0-9_-]{21})$/.exec(res.headers.get('location') ?? '');
  assert.ok(match, `redirected to a session: ${res.headers.get('location')}`);
  return match[1];
}

/** A log's lines as events. */
export const parseLog = (bytes: Buffer | string): LogEvent[] =>
  String(bytes)
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as LogEvent);

/** An event without what the log adds to it (seq, time, hash). */
export const withoutPlace = ({ seq: _s, at: _a, hash: _h, ...event }: LogEvent) => event;

/** The values of a session's param.set events for one key, oldest first, with their source. */
export const paramsSet = (events: LogEvent[], key: string) =>
  events.flatMap((e) => (e.type === 'param.set' && e.key === key ? [{ value: e.value, source: e.source }] : []));

/** A hello session with its name given, and its greeting too when one is passed (null: accept the suggestion). */
export async function hello(client: Client, name: string, greeting?: string | null): Promise<string> {
  const id = await client.start('hello');
  await client.submit(id, 'name', { name });
  if (greeting !== undefined) await client.submit(id, 'greeting', { greeting: greeting ?? `Hello ${name}!` });
  return id;
}
