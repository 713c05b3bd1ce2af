import type { ChartOutput } from './chart.tsx';
import { chartWidget } from './chart.tsx';
import { codeWidget, type CodeOutput } from './code.tsx';
import { downloadWidget, type DownloadOutput } from './download.tsx';
import { graphWidget, type GraphOutput } from './graph.tsx';
import { imageWidget, type ImageOutput } from './image.tsx';
import { markdownWidget, type MarkdownOutput } from './markdown.tsx';
import { mermaidWidget, type MermaidOutput } from './mermaid.tsx';
import { statWidget, type StatOutput } from './stat.tsx';
import { tableWidget, type TableOutput } from './table.tsx';
import type { WidgetAsset, WidgetModule } from './types.ts';

/**
 * Everything a step's `show` may return: plain data naming its widget. Adding a widget is one module file
 * (its Output type, constructor and WidgetModule) plus its member here and its line in WIDGETS below; the
 * compiler refuses a widget name without a module.
 */
export type Output = MarkdownOutput | TableOutput | CodeOutput | ChartOutput | MermaidOutput | ImageOutput | DownloadOutput | StatOutput | GraphOutput;
export type WidgetName = Output['widget'];

/** Each widget's module, by name. */
export const WIDGETS: { [K in WidgetName]: WidgetModule<Extract<Output, { widget: K }>> } = {
  markdown: markdownWidget,
  table: tableWidget,
  code: codeWidget,
  chart: chartWidget,
  mermaid: mermaidWidget,
  image: imageWidget,
  download: downloadWidget,
  stat: statWidget,
  graph: graphWidget,
};

/** The module of a widget name from author code (checked at run time: show() is plain JavaScript too). */
export function widgetOf(name: unknown): WidgetModule<Output> | undefined {
  return typeof name === 'string' && Object.hasOwn(WIDGETS, name) ? (WIDGETS[name as WidgetName] as WidgetModule<Output>) : undefined;
}

/** Every browser file of every widget, for the asset table (served only by name, never by path). */
export function allWidgetAssets(): WidgetAsset[] {
  const seen = new Map<string, WidgetAsset>();
  for (const module of Object.values(WIDGETS) as WidgetModule<Output>[]) for (const a of module.assets) seen.set(a.name, a);
  return [...seen.values()];
}

/** The asset names the given outputs need, each once, in order. Pure. */
export function assetsFor(outputs: readonly Output[]): string[] {
  const names: string[] = [];
  for (const o of outputs) for (const a of widgetOf(o.widget)?.assets ?? []) if (!names.includes(a.name)) names.push(a.name);
  return names;
}
