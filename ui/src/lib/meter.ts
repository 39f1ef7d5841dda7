/** Lowest level the meter shows, in dBFS; quieter reads as empty. */
const METER_FLOOR_DB = -60;

/** Maps a level in thousandths of full scale to a 0..100 bar width on a dB scale. */
export function levelToPercent(milli: number): number {
  if (!(milli > 0)) return 0;
  const db = 20 * Math.log10(Math.min(milli, 1000) / 1000);
  const pct = ((db - METER_FLOOR_DB) / -METER_FLOOR_DB) * 100;
  return Math.max(0, Math.min(100, pct));
}

/** Where the elapsed time sits against the soft target: before, within, or past it. */
export type TargetZone = 'short' | 'on-target' | 'long';

/** Classifies elapsed time against a soft target range (never a hard stop). */
export function targetZone(elapsedMs: number, minS: number, maxS: number): TargetZone {
  if (elapsedMs < minS * 1000) return 'short';
  if (elapsedMs <= maxS * 1000) return 'on-target';
  return 'long';
}

/** "2–3 minute" or "30–90 second": the target range as words. */
export function targetWords(minS: number, maxS: number): string {
  if (minS >= 60 && maxS >= 60 && minS % 60 === 0 && maxS % 60 === 0) return `${minS / 60}–${maxS / 60} minute`;
  return `${minS}–${maxS} second`;
}

/**
 * What the screen says when a take stops: its length as on the clock, and how it sits against
 * the soft target ("Recorded 0:05 — well under your 2–3 minute target").
 */
export function recordedLine(durationMs: number, minS: number, maxS: number): string {
  const total = Math.max(0, Math.round(durationMs / 1000));
  const clock = `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
  const target = `your ${targetWords(minS, maxS)} target`;
  const zone = targetZone(durationMs, minS, maxS);
  if (zone === 'on-target') return `Recorded ${clock} — within ${target}.`;
  if (zone === 'long') return `Recorded ${clock} — over ${target}; the interviewer may cut in sooner.`;
  return durationMs < minS * 500
    ? `Recorded ${clock} — well under ${target}.`
    : `Recorded ${clock} — a little under ${target}.`;
}
