// Generated bad input to every route, the long run (npm run test:stress). CARDTRAIL_FUZZ_RUNS sets the size
// (default 20,000); CARDTRAIL_FUZZ_SEED replays a run.
import { test } from 'node:test';
import { fuzzEveryRoute } from '../support/fuzz-requests.ts';

test('generated malformed requests to every route, at length: no 5xx, no stack trace, nothing written outside the data folder, still up', async (t) => {
  const runs = Number(process.env.CARDTRAIL_FUZZ_RUNS ?? 20_000);
  const seed = process.env.CARDTRAIL_FUZZ_SEED ? Number(process.env.CARDTRAIL_FUZZ_SEED) : undefined;
  const { requests, statuses } = await fuzzEveryRoute(t, runs, seed);
  t.diagnostic(`${requests} requests, answers by status: ${JSON.stringify(statuses)}`);
});
