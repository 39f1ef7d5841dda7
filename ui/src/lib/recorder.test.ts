import { describe, expect, it, vi } from 'vitest';
import type { Backend, LevelUpdate, RecordingStarted, RecordingStopped } from './backend';
import { Recorder, type RecorderView } from './recorder';

const take = {
  id: 'a'.repeat(32), question_id: 'q', parent_id: null, status: 'complete' as const,
  started_at: '2026-11-26T10:00:00Z', duration_ms: 3000, device_name: 'Mic', error: null,
};

function fakeBackend(overrides: Partial<Backend> = {}): { backend: Backend; emit: (u: Partial<LevelUpdate>) => void } {
  let onLevel: ((u: LevelUpdate) => void) | null = null;
  const backend: Backend = {
    startup: vi.fn(),
    nextQuestion: vi.fn(),
    listTakes: vi.fn(),
    takeAudio: vi.fn(),
    listDevices: vi.fn(),
    getSettings: vi.fn(),
    setSettings: vi.fn(),
    startMicCheck: vi.fn(),
    stopMicCheck: vi.fn(),
    startRecording: vi.fn(async (_q, cb) => {
      onLevel = cb;
      return { take_id: take.id, device_name: 'Mic', fell_back: false };
    }),
    stopRecording: vi.fn(async (): Promise<RecordingStopped> => ({ take, problem: null })),
    ...overrides,
  };
  const emit = (u: Partial<LevelUpdate>) =>
    onLevel?.({ peak_milli: 0, rms_milli: 0, elapsed_ms: 0, silent: false, ended: false, ...u });
  return { backend, emit };
}

describe('Recorder', () => {
  it('goes idle -> recording -> idle and reports the stored take', async () => {
    const { backend, emit } = fakeBackend();
    const views: RecorderView[] = [];
    const stopped = vi.fn();
    const r = new Recorder(backend, (v) => views.push(v), stopped, vi.fn());
    await r.toggle('q');
    expect(r.phase).toBe('recording');
    emit({ elapsed_ms: 1500, peak_milli: 400 });
    expect(views.at(-1)?.elapsedMs).toBe(1500);
    expect(views.at(-1)?.deviceName).toBe('Mic');
    await r.toggle('q');
    expect(r.phase).toBe('idle');
    expect(stopped).toHaveBeenCalledWith({ take, problem: null });
  });

  it('returns to idle and reports a start error such as no microphone', async () => {
    const { backend } = fakeBackend({
      startRecording: vi.fn(async () => {
        throw { code: 'NoInputDevice', message: 'No microphone is available.' };
      }),
    });
    const onError = vi.fn();
    const r = new Recorder(backend, vi.fn(), vi.fn(), onError);
    await r.toggle('q');
    expect(r.phase).toBe('idle');
    expect(onError.mock.calls[0]?.[0].code).toBe('NoInputDevice');
  });

  it('collects the take when capture ends by itself', async () => {
    const { backend, emit } = fakeBackend();
    const stopped = vi.fn();
    const r = new Recorder(backend, vi.fn(), stopped, vi.fn());
    await r.start('q');
    emit({ ended: true });
    await vi.waitFor(() => expect(stopped).toHaveBeenCalled());
    expect(backend.stopRecording).toHaveBeenCalledTimes(1);
  });

  it('ignores toggles while starting', async () => {
    let release: () => void = () => {};
    const { backend } = fakeBackend({
      startRecording: vi.fn(() => new Promise<RecordingStarted>((res) => {
        release = () => res({ take_id: take.id, device_name: 'Mic', fell_back: false });
      })),
    });
    const r = new Recorder(backend, vi.fn(), vi.fn(), vi.fn());
    const first = r.toggle('q');
    await r.toggle('q');
    expect(backend.startRecording).toHaveBeenCalledTimes(1);
    release();
    await first;
    expect(r.phase).toBe('recording');
  });
});
