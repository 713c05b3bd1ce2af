import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { localClock, localDate, localDay } from '../app/dates.ts';
// Before moments.tsx: this loads the field registry, which moments.tsx needs loaded first.
import { formatStamp, formatTime } from '../views/format.ts';
import { showMoment } from '../app/fields/moments.tsx';

// The pages write dates by hand; these hold every form to what ICU prints for en-GB, in zones with odd offsets
// and daylight saving, over the years a session's stamps can carry.
const ZONES = ['UTC', 'Europe/London', 'America/St_Johns', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Kiritimati'];
const moments = fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2200-12-31T23:59:59Z'), noInvalidDate: true });

function inZone<T>(zone: string, run: () => T): T {
  const before = process.env.TZ;
  process.env.TZ = zone; // node drops its cached zone when TZ is assigned
  try {
    return run();
  } finally {
    if (before === undefined) delete process.env.TZ;
    else process.env.TZ = before;
  }
}

test('local dates and clocks read as ICU writes them for en-GB, in any zone', () => {
  for (const zone of ZONES)
    inZone(zone, () => {
      const long = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
      const day = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short' });
      const date = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
      const clock = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false });
      const withSeconds = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
      fc.assert(
        fc.property(moments, (d) => {
          assert.equal(localDay(d), day.format(d), zone);
          assert.equal(localDate(d), date.format(d), zone);
          assert.equal(localClock(d), clock.format(d), zone);
          assert.equal(localClock(d, true), withSeconds.format(d), zone);
          assert.equal(formatTime(d.toISOString()), long.format(d), zone);
          assert.equal(formatStamp(d.toISOString(), true), `${day.format(d)}, ${withSeconds.format(d)}`, zone);
        }),
        { numRuns: 300 },
      );
    });
});

test('every month is named as ICU names it, September as "Sept"', () => {
  const names = new Intl.DateTimeFormat('en-GB', { month: 'short', timeZone: 'UTC' });
  for (let month = 0; month < 12; month++) {
    const d = new Date(Date.UTC(2026, month, 15, 12));
    assert.equal(inZone('UTC', () => localDay(d)), `15 ${names.format(d)}`);
  }
  assert.equal(inZone('UTC', () => localDay(new Date(Date.UTC(2026, 8, 1)))), '1 Sept');
});

test('a moment field shows its date from its own text, as ICU would in UTC', () => {
  const utc = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  fc.assert(
    fc.property(fc.date({ min: new Date('1000-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }), (d) => {
      const text = d.toISOString().slice(0, 10);
      assert.equal(showMoment('date', text), utc.format(d));
      assert.equal(showMoment('datetime', `${text}T09:05`), `${utc.format(d)}, 09:05`);
    }),
  );
  assert.equal(showMoment('date', '2026-02-30'), '2026-02-30', 'not a date: shown as written');
});

test('a stamp that is not a time is shown as written', () => {
  assert.equal(formatTime('yesterday'), 'yesterday');
  assert.equal(formatStamp('soon'), 'soon');
});
