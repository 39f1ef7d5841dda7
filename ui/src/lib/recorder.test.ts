import { describe, expect, it, vi } from 'vitest';
import type { RecordingStarted } from './backend';
import { Recorder, type RecorderView } from './recorder';
import { fakeBackend, sampleTake } from './testing';

const take = sampleTake();
const req = { question_id: 'q' };

describe('Recorder', () => {
  it('goes idle -> recording -> idle and reports the stored take', async () => {
    const { backend, emit } = fakeBackend();
    const views: RecorderView[] = [];
    const stopped = vi.fn();
    const r = new Recorder(backend, (v) => views.push(v), stopped, vi.fn());
    await r.toggle(req);
    expect(r.phase).toBe('recording');
    expect(backend.startRecording).toHaveBeenCalledWith(req, expect.any(Function));
    emit({ elapsed_ms: 1500, peak_milli: 400 });
    expect(views.at(-1)?.elapsedMs).toBe(1500);
    expect(views.at(-1)?.deviceName).toBe('Mic');
    await r.toggle(req);
    expect(r.phase).toBe('idle');
    expect(stopped).toHaveBeenCalledWith({ take, problem: null }, false);
  });

  it('returns to idle and reports a start error such as no microphone', async () => {
    const { backend } = fakeBackend({
      startRecording: vi.fn(async () => {
        throw { code: 'NoInputDevice', message: 'No microphone is available.' };
      }),
    });
    const onError = vi.fn();
    const r = new Recorder(backend, vi.fn(), vi.fn(), onError);
    await r.toggle(req);
    expect(r.phase).toBe('idle');
    expect(onError.mock.calls[0]?.[0].code).toBe('NoInputDevice');
  });

  it('collects the take when capture ends by itself', async () => {
    const { backend, emit } = fakeBackend();
    const stopped = vi.fn();
    const r = new Recorder(backend, vi.fn(), stopped, vi.fn());
    await r.start(req);
    emit({ ended: true });
    await vi.waitFor(() => expect(stopped).toHaveBeenCalled());
    // Not the speaker's silence: the device or a limit ended it.
    expect(stopped.mock.calls[0]?.[1]).toBe(false);
    expect(backend.stopRecording).toHaveBeenCalledTimes(1);
  });

  it('stops the take once Rust hears the answer has ended (the silence set in Settings)', async () => {
    const { backend, emit } = fakeBackend();
    const stopped = vi.fn();
    const r = new Recorder(backend, vi.fn(), stopped, vi.fn());
    await r.start(req);
    emit({ elapsed_ms: 3000 });
    expect(backend.stopRecording).not.toHaveBeenCalled();
    emit({ answer_ended: true, elapsed_ms: 9000 });
    await vi.waitFor(() => expect(stopped).toHaveBeenCalled());
    expect(stopped.mock.calls[0]?.[1]).toBe(true);
    emit({ answer_ended: true, elapsed_ms: 9030 });
    expect(backend.stopRecording).toHaveBeenCalledTimes(1);
  });

  it('ignores toggles while starting', async () => {
    let release: () => void = () => {};
    const { backend } = fakeBackend({
      startRecording: vi.fn(
        () =>
          new Promise<RecordingStarted>((res) => {
            release = () => res({ take_id: take.id, device_name: 'Mic', fell_back: false });
          }),
      ),
    });
    const r = new Recorder(backend, vi.fn(), vi.fn(), vi.fn());
    const first = r.toggle(req);
    await r.toggle(req);
    expect(backend.startRecording).toHaveBeenCalledTimes(1);
    release();
    await first;
    expect(r.phase).toBe('recording');
  });
});
