import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** The command that opens a URL in the default browser here: macOS, WSL or another Linux. */
function opener(): [string, string[]] {
  if (process.platform === 'darwin') return ['open', []];
  if (process.platform === 'win32') return ['cmd.exe', ['/c', 'start', '']];
  const wsl = (() => {
    try {
      return /microsoft/i.test(readFileSync('/proc/version', 'utf8'));
    } catch {
      return false;
    }
  })();
  return wsl ? ['cmd.exe', ['/c', 'start', '']] : ['xdg-open', []];
}

/** Opens the URL in the default browser; a missing opener only costs a hint, never the server. */
export function openBrowser(url: string): void {
  const [cmd, args] = opener();
  const child = spawn(cmd, [...args, url], { stdio: 'ignore', detached: true });
  child.on('error', () => console.log(`(Could not open a browser with ${cmd}; visit ${url} yourself.)`));
  child.unref();
}
