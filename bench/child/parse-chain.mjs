// A plain node script that checks a log the simplest way: parse every line, recompute its chained sha256.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

let previous = '';
let count = 0;
for (const line of readFileSync(process.argv[2], 'utf8').split('\n')) {
  if (!line) continue;
  const { hash, ...rest } = JSON.parse(line);
  if (createHash('sha256').update(previous).update('\n').update(JSON.stringify(rest)).digest('hex') !== hash) {
    console.log(`altered at ${count + 1}`);
    process.exit(1);
  }
  previous = hash;
  count++;
}
console.log(`intact: ${count}`);
