import { setFlagsFromString } from 'node:v8';

/** V8's own growth factor for the young generation (Node 20's V8 and later). */
const GROWTH = 2;

/**
 * Holds V8's young generation at the size it has now until the function returned is called: around the server's
 * start. The catalog's scan of every log (10,000 sessions) allocates in bursts whose survivors made V8 grow its
 * young generation (new space) from 4 MB to 8 MB, and an idle server kept those pages until V8's memory reducer ran
 * some 8 s later: about 3.5 MB of RSS. Held, the scan takes a few more scavenges (7–20 ms more GC at 10,000
 * sessions, by --trace-gc). Once started the young generation may grow under load, as before.
 * `--max-semi-space-size=1` would hold it for good, but node reads that flag only when it starts (a re-exec: a
 * second process and a second start), while this factor is read at each growth.
 */
export function holdYoungGeneration(): () => void {
  setFlagsFromString('--semi-space-growth-factor=1');
  return () => setFlagsFromString(`--semi-space-growth-factor=${GROWTH}`);
}
