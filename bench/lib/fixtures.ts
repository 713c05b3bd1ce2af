import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nanoid } from 'nanoid';
import { chainHash } from '../../app/log/chain.ts';
import type { LogEvent, NewEvent } from '../../app/log/events.ts';
import { discoverWorkflows } from '../../app/engine/discover.ts';
import { ROOT } from '../../test/support/app.ts';

/** The lines of a log of these events, numbered and chained exactly as the log store writes them. */
export function logText(events: readonly NewEvent[], start = Date.UTC(2026, 0, 1)): string {
  let previous = '';
  const lines: string[] = [];
  events.forEach((e, i) => {
    const body = { seq: i + 1, at: new Date(start + i * 1000).toISOString(), ...e } as unknown as LogEvent;
    previous = chainHash(previous, body);
    lines.push(JSON.stringify({ ...body, hash: previous }));
  });
  return lines.join('\n') + '\n';
}

/** The hello workflow's current version, so generated sessions are not held as "changed". */
export async function helloVersion(): Promise<string> {
  const { workflows } = await discoverWorkflows(join(ROOT, 'workflows'));
  return workflows.get('hello')!.version;
}

/** A hello session whose name is set, completed and reverted over and over: a long but ordinary history. */
export function longHistory(version: string, count: number): NewEvent[] {
  const events: NewEvent[] = [{ type: 'session.started', workflow: 'hello', version, forkedFrom: null }];
  for (let i = 0; events.length < count; i++) {
    events.push({ type: 'param.set', step: 'name', key: 'name', value: `Name ${i}`, source: 'user' });
    events.push({ type: 'step.completed', step: 'name' });
    events.push({ type: 'step.reverted', step: 'name' });
  }
  return events.slice(0, count);
}

/** An ordinary short hello session: a name given, the greeting open. */
export function shortSession(version: string, i: number): NewEvent[] {
  return [
    { type: 'session.started', workflow: 'hello', version, forkedFrom: null },
    { type: 'param.set', step: 'name', key: 'name', value: `Person ${i} ${i % 7 ? 'Lovelace' : 'Hopper'}`, source: 'user' },
    { type: 'step.completed', step: 'name' },
  ];
}

/** Writes a session's log into `<data>/sessions/<id>/log.jsonl` and returns the id. */
export function writeSession(data: string, events: readonly NewEvent[], start?: number): string {
  const id = nanoid();
  const dir = join(data, 'sessions', id);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'log.jsonl'), logText(events, start));
  return id;
}

/** `count` short sessions in a fresh data folder; returns their ids. */
export function manySessions(data: string, version: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => writeSession(data, shortSession(version, i), Date.UTC(2026, 0, 1) + i * 60_000));
}
