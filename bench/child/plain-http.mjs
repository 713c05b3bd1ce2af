// Plain node:http with one answer: the floor for any server's start-up.
import { createServer } from 'node:http';
const server = createServer((req, res) => res.end('<p>plain</p>'));
server.listen(0, '127.0.0.1', () => console.log(`ready ${server.address().port}`));
