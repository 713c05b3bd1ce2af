// The raw baselines, plain node:http with no framework (run with plain node, no TypeScript loader):
//   get            answers a fixed 2 KB page
//   file <file>    answers the contents of <file> (read once at start) as a page
//   append <file>  appends one line to <file> with fsync, then answers a small template with the line's number
//   sse            GET streams events; POST /go?count=N&spacing=MS sends N stamped frames to every watcher
// Prints "ready <port>".
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';

const [mode, file] = process.argv.slice(2);
const page = `<!doctype html><title>bare</title><main>${'<p>Lorem ipsum dolor sit amet.</p>'.repeat(58)}</main>`;
const watchers = new Set();
const same = mode === 'file' ? readFileSync(file, 'utf8') : '';
let lines = 0;

const handlers = {
  file: (req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(same);
  },
  get: (req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page);
  },
  append: (req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', async () => {
      const handle = await open(file, 'a');
      await handle.writeFile(JSON.stringify({ n: ++lines, at: new Date().toISOString(), body }) + '\n');
      await handle.sync();
      await handle.close();
      res.writeHead(303, { location: '/', 'content-type': 'text/html; charset=utf-8' });
      res.end(`<p>Recorded line ${lines}.</p>`);
    });
  },
  sse: (req, res) => {
    if (req.method === 'POST') {
      const url = new URL(req.url, 'http://x');
      const count = Number(url.searchParams.get('count'));
      const spacing = Number(url.searchParams.get('spacing'));
      const bytes = Number(url.searchParams.get('bytes') ?? 200);
      res.end('ok');
      let i = 0;
      const tick = () => {
        if (++i > count) {
          for (const w of watchers) w.end('event: jobend\ndata: finished\n\n');
          return;
        }
        const head = `t=${(performance.timeOrigin + performance.now()).toFixed(3)};`;
        const frame = `data: ${head}${'x'.repeat(Math.max(0, bytes - head.length))}\n\n`;
        for (const w of watchers) w.write(frame);
        setTimeout(tick, spacing);
      };
      tick();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.write('data: connected\n\n');
    watchers.add(res);
    req.on('close', () => watchers.delete(res));
  },
};

const server = createServer(handlers[mode]);
server.listen(0, '127.0.0.1', () => console.log(`ready ${server.address().port}`));
