import { describe, expect, it, vi } from 'vitest';
import type { Backend, LevelUpdate } from './backend';
import { MicChecker, type MicCheckView } from './micCheck';

function fake(overrides: Partial<Backend> = {}) {
  let onLevel: ((u: LevelUpdate) => void) | null = null;
  const backend = {
    startMicCheck: vi.fn(async (cb: (u: LevelUpdate) => void) => {
      onLevel = cb;
      return { device_name: 'Fake mic', fell_back: false };
    }),
    stopMicCheck: vi.fn(async () => {}),
    ...overrides,
  } as unknown as Backend;
  const emit = (u: Partial<LevelUpdate>) =>
    onLevel?.({ peak_milli: 0, rms_milli: 0, elapsed_ms: 0, silent: false, ended: false, answer_ended: false, ...u });
  return { backend, emit };
}

describe('MicChecker', () => {
  it('shows live levels and the silence warning, then stops', async () => {
    const { backend, emit } = fake();
    let view: MicCheckView | null = null;
    const m = new MicChecker(backend, (v) => (view = v), vi.fn());
    await m.toggle();
    expect(m.checking).toBe(true);
    emit({ peak_milli: 420, rms_milli: 120 });
    expect(view!.peakMilli).toBe(420);
    emit({ silent: true });
    expect(view!.silent).toBe(true);
    await m.toggle();
    expect(m.checking).toBe(false);
    expect(backend.stopMicCheck).toHaveBeenCalledTimes(1);
  });

  it('reports a device error and stays idle', async () => {
    const { backend } = fake({
      startMicCheck: vi.fn(async () => {
        throw { code: 'NoInputDevice', message: 'No microphone is available.' };
      }),
    });
    const onError = vi.fn();
    const m = new MicChecker(backend, vi.fn(), onError);
    await m.start();
    expect(m.checking).toBe(false);
    expect(onError.mock.calls[0]?.[0].code).toBe('NoInputDevice');
  });

  it('ends by itself when capture ends (device lost), surfacing the error', async () => {
    const { backend, emit } = fake({
      stopMicCheck: vi.fn(async () => {
        throw { code: 'DeviceLost', message: 'The microphone stopped sending audio.' };
      }),
    });
    const onError = vi.fn();
    const m = new MicChecker(backend, vi.fn(), onError);
    await m.start();
    emit({ ended: true });
    await vi.waitFor(() => expect(onError).toHaveBeenCalled());
    expect(m.checking).toBe(false);
  });
});
