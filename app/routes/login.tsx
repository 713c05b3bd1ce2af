import type { Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { LoginPage } from '../../views/login.tsx';
import { clientOf, COOKIE, type SignIns } from '../passphrase.ts';
import { sameOriginPath } from '../security.ts';
import { readForm } from './respond.tsx';

/** Sign in with the passphrase (slowed down per client after a few wrong ones), and sign out. */
export function loginRoutes(app: Hono, signIns: SignIns): void {
  app.get('/login', (c) => {
    const out = c.req.query('out') === '1';
    return c.html(<LoginPage next={nextOf(c, c.req.query('next'))} message={out ? 'You are signed out.' : undefined} good={out} />);
  });

  app.post('/login', async (c) => {
    const client = clientOf(c);
    const form = await readForm(c);
    const next = nextOf(c, form.next);
    const waiting = signIns.throttle.wait(client);
    if (waiting)
      return c.html(<LoginPage next={next} message={`Too many wrong passphrases: wait ${seconds(waiting)} and try again.`} />, 429, {
        'retry-after': String(Math.ceil(waiting / 1000)),
      });
    if (!signIns.matches(typeof form.passphrase === 'string' ? form.passphrase : '')) {
      const wait = signIns.throttle.failed(client);
      const message = `That is not the passphrase.${wait ? ` Wait ${seconds(wait)} before the next try.` : ''}`;
      return c.html(<LoginPage next={next} message={message} />, 401);
    }
    signIns.throttle.succeeded(client);
    setCookie(c, COOKIE, signIns.issue(), { httpOnly: true, sameSite: 'Strict', path: '/' });
    return c.redirect(next, 303);
  });

  app.post('/logout', (c) => {
    signIns.revoke(getCookie(c, COOKIE));
    deleteCookie(c, COOKIE, { path: '/', httpOnly: true, sameSite: 'Strict' });
    return c.redirect('/login?out=1', 303);
  });
}

/** Where to go after signing in: a page of this server (never the sign-in page), else home. */
function nextOf(c: Context, value: string | string[] | undefined): string {
  const path = sameOriginPath(typeof value === 'string' ? value : undefined, new URL(c.req.url).origin);
  return path && !path.startsWith('/login') ? path : '/';
}

function seconds(ms: number): string {
  const s = Math.ceil(ms / 1000);
  return s === 1 ? '1 second' : `${s} seconds`;
}
