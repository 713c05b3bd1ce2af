import type { Child } from 'hono/jsx';
import type { SessionFiles } from '../files/session-files.ts';

/** Where an output is drawn: what a widget needs to read the session's files and to name its data routes. */
export type WidgetContext = {
  session: string;
  step: string;
  /** The output's place in the list the step's `show` returned. */
  index: number;
  /** Set when the page shows the session as it was right after entry `at` (time travel). */
  at?: number;
  files: SessionFiles;
};

/** A browser file a widget needs, served at `/assets/<name>` from `file` (relative to the project folder). */
export type WidgetAsset = { name: string; file: string };

/**
 * One output widget. `render` turns the plain-data output into server HTML; it may throw an Error whose message
 * is a sentence for the person (a missing file, a bad shape), shown in the output's place. `assets` are the
 * browser files a page showing this widget loads, in order: scripts run in that order, `.css` files become
 * stylesheets. A widget with browser code registers `window.cardtrailWidgets[<widget>] = (element) => …` in
 * its script; it is called for each `[data-widget]` element of that widget when it appears (page load or swap).
 */
export type WidgetModule<O extends { widget: string }> = {
  render: (output: O, ctx: WidgetContext) => Child;
  assets: readonly WidgetAsset[];
};
