import type { Context, Hono } from 'hono';
import type { Engine, OpenForm } from '../engine/sessions.ts';
import { EngineError } from '../engine/errors.ts';
import { SessionPage, Trail } from '../../views/session.tsx';
import { urls } from '../../views/urls.ts';
import { fromHtmx, readForm } from './respond.tsx';
import { explain } from './explain.ts';
import type { RawForm } from '../engine/fields.ts';
import { ConfirmPage } from '../../views/confirm.tsx';
import { join } from 'node:path';
import { POSITION_FIELD, positionOf } from '../engine/stale.ts';
import { recentEntries } from '../engine/recent.ts';
import { ACTIVITY_FIRST } from '../../views/activity.tsx';
import { runningMilestones } from '../jobs/milestones.ts';
import { readStepForm, rowsEdited } from '../fields/step-form.ts';
import { IntegrityNotice } from '../../views/integrity.tsx';

/** The session page and every change made on it. Each change answers with the whole trail, re-folded. */
export function sessionRoutes(app: Hono, engine: Engine, dataDir: string): void {
  /** Renders the session as it now is: the trail for htmx, else a redirect after a change or the page. */
  async function show(c: Context, opts: { status?: 200 | 409 | 422 | 503 | 507; form?: OpenForm; message?: string; changed?: boolean; typed?: RawForm } = {}) {
    const id = c.req.param('id')!;
    const status = opts.status ?? 200;
    // A change made without htmx answers with where to look, so the session is not read again for it.
    if (!fromHtmx(c) && opts.changed && status === 200) return c.redirect(urls.session(id), 303);
    const session = await engine.load(id);
    const open = opts.form ?? engine.openForm(session);
    // A write the disk refused gives the form back as it was typed, so nothing typed is lost.
    const form = open && opts.typed && open.step.id === c.req.param('step') ? { ...open, raw: opts.typed } : open;
    const props = { session, form, message: opts.message, live: form && engine.jobs.snapshot(id, form.step.id) };
    if (fromHtmx(c)) return c.html(<Trail {...props} />, status);
    const milestones = runningMilestones(engine.jobs, session.id, Object.keys(session.state.jobs));
    const activity = await recentEntries(engine.store.sessionDir(id), session.state.lastSeq, Math.max(0, ACTIVITY_FIRST - milestones.length));
    // What is known of the hash chain costs a stat; when nothing is, the page asks for it once it is shown.
    const integrity = (await engine.lines.known(id)) ?? 'ask';
    return c.html(<SessionPage {...props} activity={activity} milestones={milestones} integrity={integrity} />, status);
  }

  /** Runs a change; a refusal (stale tab, locked session, empty note) shows the current trail with the reason. */
  async function change(c: Context, act: () => Promise<OpenForm | undefined>, typed?: RawForm) {
    try {
      const form = await act();
      return await show(c, form ? { status: 422, form } : { changed: true });
    } catch (err) {
      if (err instanceof EngineError && (err.status === 409 || err.status === 422)) return show(c, { status: err.status, message: err.message });
      const disk = explain(err);
      if (disk.status !== 503 && disk.status !== 507) throw err;
      console.error(`[cardtrail] ${c.req.method} ${c.req.path}: ${disk.terminal}`);
      return show(c, { status: disk.status, message: disk.message, typed });
    }
  }

  app.get('/s/:id', (c) => show(c));
  // The log's hash chain, verified whole unless a line index or a remembered verdict already says (the page's
  // placeholder asks for it): the warning, or an empty notice.
  app.get('/s/:id/integrity', async (c) => {
    const { id, stop } = await engine.loadLog(c.req.param('id'));
    const integrity = stop ? { ok: true as const } : ((await engine.lines.check(id)) ?? { ok: true as const });
    return c.html(<IntegrityNotice id={id} integrity={integrity} />);
  });

  app.post('/s/:id/steps/:step', async (c) => {
    const { raw, uploads, incoming } = await readStepForm(c, engine, c.req.param('id'), c.req.param('step'));
    // Whatever the answer, a file nothing claimed (refused for its type, or sent with a form that recorded
    // nothing) is removed once it is given: no entry names it and no form carries it.
    try {
      const edited = await rowsEdited(engine, c.req.param('id'), c.req.param('step'), raw, uploads, incoming);
      if (edited) return await show(c, { form: edited });
      return await change(
        c,
        async () => {
          const result = await engine.submit(c.req.param('id'), c.req.param('step'), raw, uploads, incoming);
          return result.ok ? undefined : result.form;
        },
        raw,
      );
    } finally {
      await incoming.dropRest();
    }
  });
  app.post('/s/:id/steps/:step/revert', (c) =>
    change(c, async () => void (await engine.revert(c.req.param('id'), c.req.param('step'), positionOf((await readForm(c))[POSITION_FIELD])))),
  );
  app.post('/s/:id/jobs/:step/cancel', (c) => change(c, async () => void (await engine.cancel(c.req.param('id'), c.req.param('step')))));
  app.post('/s/:id/notes', (c) =>
    change(c, async () => {
      const form = await readForm(c);
      const step = typeof form.step === 'string' && form.step ? form.step : null;
      await engine.note(c.req.param('id'), step, typeof form.text === 'string' ? form.text : '');
      return undefined;
    }),
  );
  app.post('/s/:id/finalize', (c) => change(c, async () => void (await engine.finalize(c.req.param('id'), positionOf((await readForm(c))[POSITION_FIELD])))));
  app.post('/s/:id/unfinalize', (c) => change(c, async () => void (await engine.unfinalize(c.req.param('id')))));

  // Actions that leave the trail answer with a redirect to a whole page.
  app.post('/s/:id/fork', async (c) => {
    const form = await readForm(c);
    const step = typeof form.step === 'string' && form.step ? form.step : undefined;
    const seq = typeof form.seq === 'string' && form.seq ? Number(form.seq) : undefined;
    if (seq !== undefined && !(Number.isInteger(seq) && seq > 0)) throw new EngineError(400, 'The entry to fork from is not a number.');
    return c.redirect(urls.session(await engine.fork(c.req.param('id'), step, seq)), 303);
  });
  app.post('/s/:id/migrate', async (c) => {
    await engine.migrate(c.req.param('id'));
    return c.redirect(urls.session(c.req.param('id')), 303);
  });
  for (const archived of [true, false])
    app.post(archived ? '/s/:id/archive' : '/s/:id/unarchive', async (c) => {
      await engine.setArchived(c.req.param('id'), archived);
      const back = (await readForm(c)).back === 'home';
      return c.redirect(back ? `/?notice=${archived ? 'archived' : 'unarchived'}` : urls.session(c.req.param('id')), 303);
    });
  app.get('/s/:id/delete', async (c) => {
    const { id, logged } = await engine.loadAny(c.req.param('id'));
    const workflow = logged?.state.workflow;
    const title = (workflow && engine.workflows.get(workflow)?.title) ?? workflow ?? 'unreadable';
    return c.html(
      <ConfirmPage
        title="Delete this session?"
        message={`The ${title} session ${id} will leave the list. Its folder (log and files) moves to ${join(dataDir, 'trash')}, where it can be recovered; nothing is erased.`}
        action={urls.remove(id)}
        label="Delete"
        back={urls.session(id)}
      />,
    );
  });
  app.post('/s/:id/delete', async (c) => {
    await engine.trash(c.req.param('id'), join(dataDir, 'trash'));
    return c.redirect('/?notice=deleted', 303);
  });
}
