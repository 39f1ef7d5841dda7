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

/** A place in a take where audio is missing: where it starts, and how much is missing. */
export interface LostPlace {
  at_s: number | null;
  lost_s: number | null;
}

/** Audio a take lost while recording, as the backend sends it. */
export interface Lost {
  seconds: number | null;
  places: number;
  spans: LostPlace[];
}

function clockAt(s: number): string {
  const t = Math.max(0, Math.floor(s));
  return `${Math.floor(t / 60)}:${String(t % 60).padStart(2, '0')}`;
}

/**
 * What a take says of audio it lost while recording (the computer could not keep up), or null
 * when nothing was lost: never silent ("1.2 s of audio is missing, at 0:11 and 0:42…").
 */
export function lostLine(lost: Lost | null | undefined): string | null {
  const secs = lost?.seconds ?? 0;
  if (!lost || (secs <= 0 && lost.places === 0)) return null;
  const amount = secs < 0.1 ? 'Under 0.1 s' : `${secs.toFixed(1)} s`;
  const shown = lost.spans.slice(0, 3).map((p) => clockAt(p.at_s ?? 0));
  const more = lost.places > shown.length ? ` and ${lost.places - shown.length} more` : '';
  const where = shown.length ? ` at ${shown.join(', ')}${more}` : '';
  const places = lost.places === 1 ? 'one place' : `${lost.places} places`;
  return `${amount} of audio is missing in ${places}${where}: the computer could not keep up while recording. The rest of the take is kept.`;
}
