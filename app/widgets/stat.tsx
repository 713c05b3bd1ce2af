import type { WidgetModule } from './types.ts';
import { formatNumber } from './html.ts';

export type StatItem = { label: string; value: number | string };
export type StatOutput = { widget: 'stat'; items: StatItem[] };

/** A few headline numbers: "528 pages · 16,006 links · 1 broken". */
export const stat = (items: readonly StatItem[]): StatOutput => ({ widget: 'stat', items: items.map(({ label, value }) => ({ label, value })) });

export const statWidget: WidgetModule<StatOutput> = {
  assets: [],
  render: ({ items }) => (
    <p class="stats">
      {items.map((item, i) => (
        <>
          {i ? <span aria-hidden="true"> · </span> : null}
          <span class="stat">
            <strong>{formatNumber(item.value)}</strong> {item.label}
          </span>
        </>
      ))}
    </p>
  ),
};
