import { describe, expect, it, vi } from 'vitest';
import { followPlayhead, seekBy, seekTo, seekWhenReady, setSpeed, spokenDuration, timePair, togglePlay, waveformKey, waveformText, wavBlobUrl, type Media } from './player';

describe('wavBlobUrl', () => {
  it('wraps the bytes as an audio/wav blob', () => {
    let seen: Blob | null = null;
    const url = wavBlobUrl(new Uint8Array([82, 73, 70, 70]).buffer, (b) => {
      seen = b;
      return 'blob:x';
    });
    expect(url).toBe('blob:x');
    expect((seen as Blob | null)?.type).toBe('audio/wav');
    expect((seen as Blob | null)?.size).toBe(4);
  });
});

/** A stand-in for an <audio> element: playing or paused, a playhead, a rate. */
function media(currentTime = 0): Media & { readonly plays: number } {
  let paused = true;
  let plays = 0;
  return {
    currentTime,
    playbackRate: 1,
    preservesPitch: false,
    get paused() {
      return paused;
    },
    get plays() {
      return plays;
    },
    async play() {
      paused = false;
      plays += 1;
    },
    pause() {
      paused = true;
    },
  };
}

describe('replay controls', () => {
  it('toggles between playing and paused', () => {
    const m = media();
    togglePlay(m);
    expect(m.paused).toBe(false);
    togglePlay(m);
    expect(m.paused).toBe(true);
    expect(m.plays).toBe(1);
  });

  it('seeks by five seconds without leaving the take, and keeps playing or paused as it was', () => {
    const m = media(3);
    seekBy(m, -5, 20);
    expect(m.currentTime).toBe(0);
    seekBy(m, 5, 20);
    expect(m.currentTime).toBe(5);
    m.currentTime = 18;
    seekBy(m, 5, 20);
    expect(m.currentTime).toBe(20);
    expect(m.plays).toBe(0);
  });

  it('jumps to a moment (a marker, a long pause) and plays from there', () => {
    const m = media();
    seekTo(m, 12.5, 20);
    expect(m.currentTime).toBe(12.5);
    expect(m.paused).toBe(false);
    seekTo(m, 99, 20);
    expect(m.currentTime).toBe(20);
  });

  it('changes the speed keeping the pitch', () => {
    const m = media();
    setSpeed(m, 1.25);
    expect(m.playbackRate).toBe(1.25);
    expect(m.preservesPitch).toBe(true);
  });
});

describe('timePair', () => {
  it('shows the playhead and the length as m:ss', () => {
    expect(timePair(7.9, 63.2)).toBe('0:07 / 1:03');
    expect(timePair(0, 0)).toBe('0:00 / 0:00');
    expect(timePair(Number.NaN, Number.POSITIVE_INFINITY)).toBe('0:00 / 0:00');
  });
});

describe('seekWhenReady', () => {
  it('seeks at once when the audio has loaded, else once its length is known', () => {
    const loaded = { currentTime: 0, readyState: 4, addEventListener: vi.fn() };
    seekWhenReady(loaded, 7.5);
    expect(loaded.currentTime).toBe(7.5);
    expect(loaded.addEventListener).not.toHaveBeenCalled();

    let later: () => void = () => {};
    const loading = {
      currentTime: 0,
      readyState: 0,
      addEventListener: vi.fn((_: 'loadedmetadata', f: () => void) => void (later = f)),
    };
    seekWhenReady(loading, -3);
    expect(loading.currentTime).toBe(0);
    seekWhenReady(loading, 12);
    later();
    expect(loading.currentTime).toBe(12);
  });
});

describe('followPlayhead', () => {
  /** An <audio> stand-in whose events are fired by hand, and frames run by hand. */
  function rig(paused = true) {
    const listeners = new Map<string, Set<() => void>>();
    const media = {
      currentTime: 1,
      paused,
      addEventListener: (t: string, f: () => void) => void (listeners.get(t) ?? listeners.set(t, new Set()).get(t)!).add(f),
      removeEventListener: (t: string, f: () => void) => void listeners.get(t)?.delete(f),
      fire: (t: string) => listeners.get(t)?.forEach((f) => f()),
      count: () => [...listeners.values()].reduce((n, s) => n + s.size, 0),
    };
    let queued: (() => void) | null = null;
    const frames = { request: vi.fn((f: () => void) => ((queued = f), 1)), cancel: vi.fn(() => void (queued = null)) };
    const runFrame = () => {
      const f = queued;
      queued = null;
      f?.();
    };
    return { media, frames, runFrame };
  }

  it('reads the playhead now, at each seek, and every frame while playing', () => {
    const { media, frames, runFrame } = rig();
    const seen: number[] = [];
    const stop = followPlayhead(media, (t) => seen.push(t), frames);
    expect(seen).toEqual([1]);
    media.currentTime = 4;
    media.fire('seeked');
    expect(seen).toEqual([1, 4]);
    media.paused = false;
    media.fire('play');
    media.currentTime = 4.02;
    runFrame();
    media.currentTime = 4.04;
    runFrame();
    expect(seen).toEqual([1, 4, 4.02, 4.04]);
    media.paused = true;
    runFrame();
    expect(frames.request).toHaveBeenCalledTimes(3);
    stop();
    expect(media.count()).toBe(0);
  });

  it('starts following at once when the audio already plays', () => {
    const { media, frames } = rig(false);
    followPlayhead(media, () => {}, frames);
    expect(frames.request).toHaveBeenCalledTimes(1);
  });
});

describe('the waveform for a screen reader', () => {
  it('says the position in words, with what is drawn on it', () => {
    expect(waveformText(7.9, 63.2, 4, 1, 2)).toBe('7 seconds of 1 minute 3 seconds; 4 pauses, 1 long; 2 markers');
    expect(waveformText(60, 120, 1, 0, 1)).toBe('1 minute of 2 minutes; 1 pause; 1 marker');
    expect(waveformText(0, 1, 0, 0, 0)).toBe('0 seconds of 1 second');
    expect(spokenDuration(Number.NaN)).toBe('0 seconds');
  });

  it('moves the playhead with the keys a slider takes, kept inside the take', () => {
    expect(waveformKey('ArrowRight', 10, 63)).toBe(15);
    expect(waveformKey('ArrowUp', 60, 63)).toBe(63);
    expect(waveformKey('ArrowLeft', 3, 63)).toBe(0);
    expect(waveformKey('PageUp', 10, 63)).toBe(40);
    expect(waveformKey('PageDown', 10, 63)).toBe(0);
    expect(waveformKey('Home', 30, 63)).toBe(0);
    expect(waveformKey('End', 30, 63)).toBe(63);
    expect(waveformKey(' ', 30, 63)).toBeNull();
    expect(waveformKey('m', 30, 63)).toBeNull();
  });
});
