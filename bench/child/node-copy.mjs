// A plain node script that copies a file: the floor for any command of a Node.js program that writes a copy.
import { copyFileSync } from 'node:fs';

copyFileSync(process.argv[2], process.argv[3]);
