/** Sizes of the run: the full figures, or BENCH_SMALL=1 for a run of seconds (the smoke test in npm test). */
const small = process.env.BENCH_SMALL === '1';

export const SIZES = {
  small,
  sessions: small ? 300 : 10_000,
  longLog: small ? 2_000 : 100_000,
  sessionPages: small ? [100, 1_000] : [100, 1_000, 10_000, 100_000],
  runs: small ? 5 : 30,
  submits: small ? 40 : 400,
  watchers: small ? 10 : 100,
  updates: small ? 30 : 200,
  ticks: small ? 20 : 200,
  soak: small ? 100 : 10_000,
  cliRuns: small ? 1 : 3,
};

/** One line of the table: Cardtrail's figure beside a baseline measured in the same run. */
export type Row = { where: string; cardtrail: number; baseline: number; baselineName: string; unit: 'ms' | 's' | 'MB' | '% CPU' };

export const n = (x: number) => x.toLocaleString('en-US');
