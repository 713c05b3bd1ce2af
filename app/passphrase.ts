import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSafelySync } from './log/disk.ts';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { getConnInfo } from '@hono/node-server/conninfo';
import { writePrivate } from './files/private-file.ts';
import { Throttle } from './throttle.ts';

/** The shortest passphrase accepted: a guard for a server other machines can reach. */
export const MIN_PASSPHRASE = 12;
/** The sign-in cookie: HttpOnly, SameSite=Strict, for this server's paths. */
export const COOKIE = 'cardtrail_signin';
/** How long a sign-in lasts without being used. */
const IDLE_MS = 12 * 60 * 60_000;
/** How often, at most, a sign-in's last use is written to the sign-ins file. */
const TOUCH_WRITE_MS = 60_000;

/** Why a passphrase may not guard the server, or undefined when it may. */
export function passphraseProblem(passphrase: string): string | undefined {
  const length = [...passphrase].length;
  return length < MIN_PASSPHRASE ? `CARDTRAIL_PASSPHRASE must be at least ${MIN_PASSPHRASE} characters long (it has ${length}).` : undefined;
}

/**
 * Passphrase mode: who has signed in, and how often each client got the passphrase wrong. A sign-in is a random
 * token in the cookie; the server keeps only a keyed hash of it (HMAC with the passphrase's digest) and when it
 * was last used, in memory and, when `file` is given, in the data folder's `sign-ins.json` (0600), so a restart
 * keeps everyone signed in. The file holds nothing a cookie could be made from, and a changed passphrase
 * matches none of it: everyone signs in again.
 */
export class SignIns {
  readonly throttle: Throttle;
  private readonly digest: Buffer;
  private readonly tokens: Map<string, number>;
  private touched: NodeJS.Timeout | undefined;

  constructor(
    passphrase: string,
    private readonly now: () => number = Date.now,
    private readonly file?: string,
  ) {
    const problem = passphraseProblem(passphrase);
    if (problem) throw new Error(problem);
    this.digest = sha256(passphrase);
    this.throttle = new Throttle(now);
    this.tokens = file ? readSignIns(file) : new Map();
  }

  /** Compares in constant time (of the digests), so the answer's timing says nothing about the passphrase. */
  matches(given: string): boolean {
    return timingSafeEqual(sha256(given), this.digest);
  }

  /** A new sign-in's token, for the cookie. */
  issue(): string {
    const token = randomBytes(32).toString('base64url');
    this.tokens.set(this.keyOf(token), this.now());
    this.save();
    return token;
  }

  /** Whether a cookie's token is a live sign-in; using it keeps it alive. */
  valid(token: string | undefined): boolean {
    const key = token === undefined ? undefined : this.keyOf(token);
    const last = key === undefined ? undefined : this.tokens.get(key);
    if (last === undefined) return false;
    if (this.now() - last > IDLE_MS) {
      this.tokens.delete(key!);
      this.save();
      return false;
    }
    this.tokens.set(key!, this.now());
    this.saveSoon();
    return true;
  }

  revoke(token: string | undefined): void {
    if (token !== undefined && this.tokens.delete(this.keyOf(token))) this.save();
  }

  private keyOf(token: string): string {
    return createHmac('sha256', this.digest).update(token).digest('hex');
  }

  /** Writes the sign-ins now (a sign-in or sign-out is rare; it must survive a restart). */
  private save(): void {
    clearTimeout(this.touched);
    this.touched = undefined;
    if (!this.file) return;
    const live = [...this.tokens].filter(([, last]) => this.now() - last <= IDLE_MS);
    try {
      writePrivate(this.file, `${JSON.stringify({ v: 1, signIns: Object.fromEntries(live) })}\n`);
    } catch (err) {
      console.error(`[cardtrail] sign-ins not written to ${this.file} (${(err as Error).message}): a restart will ask to sign in again.`);
    }
  }

  /** A use keeps a sign-in alive: written within TOUCH_WRITE_MS, not on every request. */
  private saveSoon(): void {
    if (!this.file || this.touched) return;
    this.touched = setTimeout(() => this.save(), TOUCH_WRITE_MS);
    this.touched.unref();
  }
}

/** The sign-ins a file holds: none when it is missing, a link, or not what this version writes. */
function readSignIns(file: string): Map<string, number> {
  try {
    const saved = JSON.parse(readFileSafelySync(file)) as { v?: unknown; signIns?: unknown };
    if (saved.v !== 1 || typeof saved.signIns !== 'object' || saved.signIns === null) return new Map();
    return new Map(Object.entries(saved.signIns).filter((e): e is [string, number] => /^[0-9a-f]{64}$/.test(e[0]) && Number.isFinite(e[1])));
  } catch {
    return new Map();
  }
}

/** The client a guess is counted against: its address as the socket says (not a header it could forge). */
export function clientOf(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Pages open without signing in: the sign-in page itself and the fixed list of styles and scripts. */
function open(path: string): boolean {
  return path === '/login' || path.startsWith('/assets/');
}

/**
 * Lets through only requests with a live sign-in cookie. A page asked for without one leads to the sign-in
 * page (and back afterwards); anything else (a form post, an htmx swap, an event stream) gets 401.
 */
export function requireSignIn(signIns: SignIns): MiddlewareHandler {
  return async (c, next) => {
    if (open(c.req.path) || signIns.valid(getCookie(c, COOKIE))) {
      c.set('signedIn', !open(c.req.path));
      return next();
    }
    const page = (c.req.method === 'GET' || c.req.method === 'HEAD') && c.req.header('hx-request') !== 'true';
    if (page && !c.req.header('accept')?.includes('text/event-stream')) {
      const back = c.req.path + new URL(c.req.url).search;
      return c.redirect(back === '/' ? '/login' : `/login?next=${encodeURIComponent(back)}`, 303);
    }
    return c.html(
      '<section id="trail"><article class="error-page" role="alert"><strong>Sign in first.</strong> ' +
        'This server asks for its passphrase: <a href="/login">sign in</a>.</article></section>',
      401,
    );
  };
}

/**
 * Who the page being rendered is for: `anyone` without a passphrase; with one, `signed-in`, or `signed-out` on
 * the pages open without a sign-in (the sign-in page, a missing asset's error page), which show nothing of the
 * app beyond its name: no menu, no workflow.
 */
export type Visitor = 'anyone' | 'signed-in' | 'signed-out';

export function visitorOf(c: Context | undefined): Visitor {
  const signedIn: unknown = c?.get('signedIn');
  return signedIn === true ? 'signed-in' : signedIn === false ? 'signed-out' : 'anyone';
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
