import { createHmac, timingSafeEqual } from 'node:crypto';

/** Raised whenever the fold's output changes shape, so snapshots written by older code are not trusted. */
export const SNAPSHOT_VERSION = 2;

/**
 * A saved state's text (a snapshot, a past state): its fields, its version `v`, and `mac`, an HMAC-SHA256 of
 * both keyed by the data folder's snapshot key (snapshot-key.ts), so a file written by anything but this
 * server is not believed. Pure.
 */
export function seal(key: Buffer, body: Record<string, unknown>): string {
  const signed = { ...body, v: SNAPSHOT_VERSION };
  return JSON.stringify({ ...signed, mac: macOf(key, signed) });
}

/**
 * The fields of a sealed text, or undefined when it is not one this server wrote for this data folder: not
 * JSON, another version, or a mac that does not match. Pure; the caller still checks the fields' shape.
 */
export function unseal(key: Buffer, text: string): Record<string, unknown> | undefined {
  let saved: unknown;
  try {
    saved = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof saved !== 'object' || saved === null || Array.isArray(saved)) return undefined;
  const { mac, ...signed } = saved as Record<string, unknown>;
  if (signed.v !== SNAPSHOT_VERSION || typeof mac !== 'string') return undefined;
  const expected = Buffer.from(macOf(key, signed));
  const given = Buffer.from(mac);
  return given.length === expected.length && timingSafeEqual(given, expected) ? signed : undefined;
}

function macOf(key: Buffer, signed: Record<string, unknown>): string {
  return createHmac('sha256', key).update(JSON.stringify(signed)).digest('hex');
}
