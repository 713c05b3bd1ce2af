import { momentKind } from '../moments.tsx';
import type { FieldCommon } from '../types.ts';

/** A calendar date, kept as "2026-12-31". min and max are of the same shape; shown in words on done cards. */
export type DateField = FieldCommon<string> & { kind: 'date'; min?: string; max?: string };

export const date = momentKind<DateField>('date');
