// The entries of a .tar as written: each name with its text, in order, read with tar-stream (not our reader).
import tar from 'tar-stream';

export async function tarEntries(bundle: Buffer): Promise<[name: string, text: string][]> {
  const extract = tar.extract();
  const entries: [string, string][] = [];
  const reading = (async () => {
    for await (const entry of extract) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      entries.push([entry.header.name, Buffer.concat(chunks).toString('utf8')]);
    }
  })();
  extract.end(bundle);
  await reading;
  return entries;
}
