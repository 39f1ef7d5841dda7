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

/** The parts of an <audio> element a seek before it has loaded needs (a plain object in tests). */
export interface LoadingMedia {
  currentTime: number;
  readonly readyState: number;
  addEventListener(type: 'loadedmetadata', f: () => void, opts: { once: true }): void;
}

/**
 * Puts the playhead at `t` seconds (at least 0): now when the audio's length is known, else as
 * soon as it is (a take opened at a moment from the search, a reply just loaded).
 */
export function seekWhenReady(media: LoadingMedia, t: number): void {
  const at = Number.isFinite(t) ? Math.max(0, t) : 0;
  if (media.readyState >= 1) media.currentTime = at;
  else media.addEventListener('loadedmetadata', () => (media.currentTime = at), { once: true });
}

/** The parts of an <audio> element following its playhead needs (a plain object in tests). */
export interface PlayheadMedia {
  readonly currentTime: number;
  readonly paused: boolean;
  addEventListener(type: 'play' | 'timeupdate' | 'seeked', f: () => void): void;
  removeEventListener(type: 'play' | 'timeupdate' | 'seeked', f: () => void): void;
}

/** Animation frames (the window's, or a stand-in in tests). */
export interface Frames {
  request(f: () => void): number;
  cancel(id: number): void;
}

const windowFrames: Frames = {
  request: (f) => requestAnimationFrame(f),
  cancel: (id) => cancelAnimationFrame(id),
};

/**
 * Calls `ontime` with the playhead now, at every frame while playing (a word lights up when it
 * is said, not up to a quarter second later), and at every seek; returns the function that stops.
 */
export function followPlayhead(media: PlayheadMedia, ontime: (t: number) => void, frames: Frames = windowFrames): () => void {
  let frame = 0;
  const read = (): void => ontime(media.currentTime);
  const step = (): void => {
    read();
    frame = media.paused ? 0 : frames.request(step);
  };
  const onplay = (): void => {
    frames.cancel(frame);
    frame = frames.request(step);
  };
  read();
  media.addEventListener('play', onplay);
  media.addEventListener('timeupdate', read);
  media.addEventListener('seeked', read);
  if (!media.paused) onplay();
  return () => {
    frames.cancel(frame);
    media.removeEventListener('play', onplay);
    media.removeEventListener('timeupdate', read);
    media.removeEventListener('seeked', read);
  };
}

/** "1 minute 3 seconds": a length as a screen reader should say it. */
export function spokenDuration(s: number): string {
  const t = Number.isFinite(s) && s > 0 ? Math.floor(s) : 0;
  const m = Math.floor(t / 60);
  const sec = t % 60;
  const part = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (m === 0) return part(sec, 'second');
  return sec === 0 ? part(m, 'minute') : `${part(m, 'minute')} ${part(sec, 'second')}`;
}

/**
 * What the waveform says to a screen reader as its value: where the playhead is, of how long,
 * and what is drawn on it that a sighted person sees at a glance (pauses, markers).
 */
export function waveformText(currentS: number, durationS: number, pauses: number, longPauses: number, markers: number): string {
  const parts = [`${spokenDuration(currentS)} of ${spokenDuration(durationS)}`];
  if (pauses > 0) parts.push(`${pauses} pause${pauses === 1 ? '' : 's'}${longPauses > 0 ? `, ${longPauses} long` : ''}`);
  if (markers > 0) parts.push(`${markers} marker${markers === 1 ? '' : 's'}`);
  return parts.join('; ');
}

/** A key pressed on the waveform, as a seek: the new playhead, or null for other keys. */
export function waveformKey(key: string, currentS: number, durationS: number): number | null {
  const to = (t: number): number => clampTime(t, durationS);
  switch (key) {
    case 'ArrowLeft':
    case 'ArrowDown':
      return to(currentS - 5);
    case 'ArrowRight':
    case 'ArrowUp':
      return to(currentS + 5);
    case 'PageDown':
      return to(currentS - 30);
    case 'PageUp':
      return to(currentS + 30);
    case 'Home':
      return 0;
    case 'End':
      return to(durationS);
    default:
      return null;
  }
}
