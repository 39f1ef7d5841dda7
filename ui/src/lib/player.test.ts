import { describe, expect, it } from 'vitest';
import { seekBy, seekTo, setSpeed, timePair, togglePlay, wavBlobUrl, type Media } from './player';

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
