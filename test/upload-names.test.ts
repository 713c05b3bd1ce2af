// A file name sent in UTF-8, as browsers send it, through the real app onto its disk: kept as it was written.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client } from './support/client.ts';
import { throughLinks } from './support/kitchen-sink.ts';

test('a file name sent in UTF-8, as a browser sends it, is recorded and shown as it was written', async (t) => {
  const client = await Client.open(t);
  const id = await client.start('kitchen-sink');
  await throughLinks(client, id);
  const name = 'résumé 日本.txt';
  // As Chromium writes it: the name's UTF-8 bytes in the quoted filename, no filename* parameter.
  const body = Buffer.concat([
    Buffer.from('------cardtrail\r\nContent-Disposition: form-data; name="token"\r\n\r\ntok_live_9c1b2e7f44a0d13f\r\n'),
    Buffer.from(`------cardtrail\r\nContent-Disposition: form-data; name="keywords"; filename="${name}"\r\nContent-Type: text/plain\r\n\r\nalpha\n\r\n`, 'utf8'),
    Buffer.from('------cardtrail--\r\n'),
  ]);
  const res = await client.request(`/s/${id}/steps/access`, { method: 'POST', body, headers: { 'content-type': 'multipart/form-data; boundary=----cardtrail' } });
  assert.equal(res.status, 303);
  const set = (await client.events(id)).find((e) => e.type === 'param.set' && e.key === 'keywords');
  assert.equal((set as unknown as { value: { name: string } }).value.name, name);
  assert.match(await (await client.get(`/s/${id}`)).text(), /résumé 日本\.txt/);
});
