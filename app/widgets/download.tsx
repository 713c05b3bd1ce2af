import type { WidgetContext, WidgetModule } from './types.ts';
import { formatBytes } from './html.ts';
import { fileUrl } from './urls.ts';

export type DownloadOutput = { widget: 'download'; files: string[] };

/** A link to a file of the session with its size; several files as a list. */
export const download = (file: string | readonly string[]): DownloadOutput => ({ widget: 'download', files: [file].flat() });

function FileLink({ name, ctx }: { name: string; ctx: WidgetContext }) {
  const size = ctx.files.size(name);
  if (size === undefined)
    return (
      <>
        {name} <small>(not there)</small>
      </>
    );
  return (
    <>
      <a href={fileUrl(ctx.session, name)} download>
        {name}
      </a>{' '}
      <small>{formatBytes(size)}</small>
    </>
  );
}

export const downloadWidget: WidgetModule<DownloadOutput> = {
  assets: [],
  render: ({ files }, ctx) =>
    files.length === 1 ? (
      <p class="downloads">
        Download: <FileLink name={files[0]} ctx={ctx} />
      </p>
    ) : (
      <ul class="downloads">
        {files.map((name) => (
          <li>
            <FileLink name={name} ctx={ctx} />
          </li>
        ))}
      </ul>
    ),
};
