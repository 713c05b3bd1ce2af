// Generated bad input to every route, the fast run (the long one: test/reliability/fuzz.stress.ts, in npm run test:stress).
import { test } from 'node:test';
import { fuzzEveryRoute } from './support/fuzz-requests.ts';

test('1,000 generated malformed requests to every route: no 5xx, no stack trace, nothing written outside the data folder, still up', async (t) => {
  const { requests, statuses } = await fuzzEveryRoute(t, Number(process.env.CARDTRAIL_FUZZ_RUNS ?? 1000));
  t.diagnostic(`${requests} requests, answers by status: ${JSON.stringify(statuses)}`);
});
