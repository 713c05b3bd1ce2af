// What workflow files import to declare their outputs: one constructor per widget, and the types.
export { markdown } from './markdown.tsx';
export { table } from './table.tsx';
export { code } from './code.tsx';
export { chart } from './chart.tsx';
export { mermaid } from './mermaid.tsx';
export { image } from './image.tsx';
export { download } from './download.tsx';
export { stat } from './stat.tsx';
export { graph } from './graph.tsx';
export type { Output, WidgetName } from './registry.ts';
export type { Row } from './rows.ts';
export type { SessionFiles, FileEntry } from '../files/session-files.ts';
