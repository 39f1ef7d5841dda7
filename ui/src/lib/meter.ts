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
