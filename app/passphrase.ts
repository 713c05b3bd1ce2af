import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { getConnInfo } from '@hono/node-server/conninfo';
import { Throttle } from './throttle.ts';

/** The shortest passphrase accepted: a guard for a server other machines can reach. */
export const MIN_PASSPHRASE = 12;
/** The sign-in cookie: HttpOnly, SameSite=Strict, for this server's paths. */
export const COOKIE = 'cardtrail_signin';
/** How long a sign-in lasts without being used. */
const IDLE_MS = 12 * 60 * 60_000;

/** Why a passphrase may not guard the server, or undefined when it may. */
export function passphraseProblem(passphrase: string): string | undefined {
  const length = [...passphrase].length;
  return length < MIN_PASSPHRASE ? `CARDTRAIL_PASSPHRASE must be at least ${MIN_PASSPHRASE} characters long (it has ${length}).` : undefined;
}

/**
 * Passphrase mode: who has signed in (random tokens held in memory, so a restart signs everyone out) and how
 * often each client got the passphrase wrong.
 */
export class SignIns {
  readonly throttle: Throttle;
  private readonly digest: Buffer;
  private readonly tokens = new Map<string, number>();

  constructor(
    passphrase: string,
    private readonly now: () => number = Date.now,
  ) {
    const problem = passphraseProblem(passphrase);
    if (problem) throw new Error(problem);
    this.digest = sha256(passphrase);
    this.throttle = new Throttle(now);
  }

  /** Compares in constant time (of the digests), so the answer's timing says nothing about the passphrase. */
  matches(given: string): boolean {
    return timingSafeEqual(sha256(given), this.digest);
  }

  /** A new sign-in's token, for the cookie. */
  issue(): string {
    const token = randomBytes(32).toString('base64url');
    this.tokens.set(token, this.now());
    return token;
  }

  /** Whether a cookie's token is a live sign-in; using it keeps it alive. */
  valid(token: string | undefined): boolean {
    const last = token === undefined ? undefined : this.tokens.get(token);
    if (last === undefined) return false;
    if (this.now() - last > IDLE_MS) {
      this.tokens.delete(token!);
      return false;
    }
    this.tokens.set(token!, this.now());
    return true;
  }

  revoke(token: string | undefined): void {
    if (token !== undefined) this.tokens.delete(token);
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

/** Whether the page being rendered was asked for by a signed-in person (passphrase mode only). */
export function signedIn(c: Context | undefined): boolean {
  return c?.get('signedIn') === true;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
