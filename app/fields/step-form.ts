import type { Context } from 'hono';
import type { Engine, OpenForm } from '../engine/sessions.ts';
import { currentStep, valuesOf } from '../engine/progress.ts';
import { readForm } from '../routes/respond.tsx';
import { receiveForm, type ReceivedForm } from '../uploads/receive.ts';
import { Incoming } from '../uploads/incoming.ts';
import { uploadsDir } from '../uploads/store.ts';
import { DEFAULT_MAX_SIZE, keepKey, keptUploads } from './kinds/file.tsx';
import { fieldAt } from './paths.ts';
import { editRows, ROW_ACTION } from './rows.ts';
import type { RawForm, Received } from './types.ts';

/**
 * A step's posted form. A multipart one is read as it streams: its files go straight to the session's uploads
 * folder within each file field's limit (waiting there to be claimed: see Incoming), and only while the step is
 * the open one (anything else is refused by the engine anyway, so nothing is stored for it).
 */
export async function readStepForm(c: Context, engine: Engine, id: string, stepId: string): Promise<ReceivedForm> {
  const type = c.req.header('content-type') ?? '';
  // A form without files brings nothing to claim (and its id is checked by the engine, not here).
  if (!type.startsWith('multipart/form-data')) return { raw: await readForm(c), uploads: {}, incoming: new Incoming('') };
  const s = await engine.load(id);
  const folder = uploadsDir(engine.store.sessionDir(id));
  const open = currentStep(s.workflow, s.state);
  const fields = open?.id === stepId && !s.state.finalized ? open.fields : [];
  return receiveForm(type, c.req.raw.body, folder, (path) => {
    const field = fieldAt(fields, path);
    return field?.kind === 'file' ? { label: field.label, maxSize: field.maxSize ?? DEFAULT_MAX_SIZE } : undefined;
  });
}

/**
 * The open step's form after a list's row button (add, remove, move), or undefined when the post is a submit.
 * Files that came with it are kept in the form (claimed from `incoming`), so they need not be chosen again.
 */
export async function rowsEdited(engine: Engine, id: string, stepId: string, raw: RawForm, uploads: Record<string, Received> = {}, incoming?: Incoming): Promise<OpenForm | undefined> {
  if (raw[ROW_ACTION] === undefined) return undefined;
  const s = await engine.load(id);
  const step = currentStep(s.workflow, s.state);
  if (step?.id !== stepId) return undefined;
  const values = valuesOf(s.state, s.workflow);
  const edited = editRows(step.fields, raw, values) ?? raw;
  for (const [path, file] of Object.entries(uploads)) if (!('error' in file)) edited[keepKey(path)] = JSON.stringify(file);
  await incoming?.claim(keptUploads(edited));
  return { step, raw: edited, errors: {}, values };
}
