/**
 * The session log's events, one JSON object per line (docs/log-format.md). Every type is one entry of
 * EVENT_TABLE (event-table.ts); the types here are derived from it.
 */
import type { EventOf, EventType } from './event-table.ts';

export type { Base, Json, Meta, Origin, Source, EventOf, EventType } from './event-table.ts';

/** Any event this version of Cardtrail knows. */
export type LogEvent = { [T in EventType]: EventOf<T> }[EventType];

/** An event before the log gives it its place: seq, at and hash are assigned on append. */
export type NewEvent = LogEvent extends infer E ? (E extends LogEvent ? Omit<E, 'seq' | 'at' | 'hash'> : never) : never;

export type SessionStarted = EventOf<'session.started'>;
export type ParamSet = EventOf<'param.set'>;
export type Note = EventOf<'note'>;
export type JobEvent = Extract<LogEvent, { type: `job.${string}` }>;
