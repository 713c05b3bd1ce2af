import { momentKind } from '../moments.tsx';
import type { FieldCommon } from '../types.ts';

/** A date and time on this machine's clock, kept as "2026-12-31T14:30". min and max are of the same shape; shown in words on done cards. */
export type DatetimeField = FieldCommon<string> & { kind: 'datetime'; min?: string; max?: string };

export const datetime = momentKind<DatetimeField>('datetime');
