// Replay through a Blob URL of WAV bytes fetched over IPC (WebKitGTK cannot play Tauri's asset URLs),
// and the player's controls: play/pause, seek, speed.
import { clampTime } from './metrics';

/** Wraps WAV bytes in an object URL; the caller revokes it when done. */
export function wavBlobUrl(bytes: ArrayBuffer, create: (b: Blob) => string = URL.createObjectURL): string {
  return create(new Blob([bytes], { type: 'audio/wav' }));
}

/** The parts of an <audio> element that replay uses (a plain object in tests). */
export interface Media {
  currentTime: number;
  readonly paused: boolean;
  playbackRate: number;
  preservesPitch: boolean;
  play(): Promise<void>;
  pause(): void;
}

/** Plays when paused, pauses when playing. */
export function togglePlay(media: Media): void {
  if (media.paused) void media.play();
  else media.pause();
}

/** Moves the playhead by `delta` seconds, kept inside the take. */
export function seekBy(media: Media, delta: number, duration: number): void {
  media.currentTime = clampTime(media.currentTime + delta, duration);
}

/** Jumps to `t` seconds (kept inside the take) and plays from there. */
export function seekTo(media: Media, t: number, duration: number): void {
  media.currentTime = clampTime(t, duration);
  void media.play();
}

/** Plays at `speed`, keeping the voice's pitch. */
export function setSpeed(media: Media, speed: number): void {
  media.preservesPitch = true;
  media.playbackRate = speed;
}

/** "0:07 / 1:03": the playhead and the length, as the players show them. */
export function timePair(currentS: number, durationS: number): string {
  const clock = (s: number): string => {
    const t = Number.isFinite(s) && s > 0 ? Math.floor(s) : 0;
    return `${Math.floor(t / 60)}:${String(t % 60).padStart(2, '0')}`;
  };
  return `${clock(currentS)} / ${clock(durationS)}`;
}
