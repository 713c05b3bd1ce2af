import { momentKind } from '../moments.tsx';
import type { FieldCommon } from '../types.ts';

/** A time of day, kept as "14:30" (or "14:30:05"). min and max are of the same shape; shown in words on done cards. */
export type TimeField = FieldCommon<string> & { kind: 'time'; min?: string; max?: string };

export const time = momentKind<TimeField>('time');
