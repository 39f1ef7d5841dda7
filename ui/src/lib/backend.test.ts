// The seam to Rust: every generated command is reachable, data comes back, errors are thrown typed.
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('@tauri-apps/api/core', () => ({
  invoke: vi.fn(),
  Channel: class {
    onmessage: (m: unknown) => void = () => {};
  },
}));

import { invoke } from '@tauri-apps/api/core';
import { commands } from './bindings';
import { BackendError, backendCalls, tauriBackend } from './backend';

const invokeMock = vi.mocked(invoke);

describe('tauriBackend', () => {
  beforeEach(() => invokeMock.mockReset());

  it('offers every generated command, and the raw audio call', () => {
    for (const name of Object.keys(commands)) expect(backendCalls).toContain(name);
    expect(backendCalls).toContain('takeAudio');
    for (const name of backendCalls) expect(typeof tauriBackend[name], name).toBe('function');
  });

  it('returns a command’s data, with its arguments passed by name', async () => {
    invokeMock.mockResolvedValueOnce([{ id: 't' }]);
    await expect(tauriBackend.questionTakes('q-1')).resolves.toEqual([{ id: 't' }]);
    expect(invokeMock).toHaveBeenCalledWith('question_takes', { questionId: 'q-1' });
  });

  it('throws the AppError Rust sent as a BackendError with its code and problems', async () => {
    invokeMock.mockRejectedValueOnce({ code: 'BadBank', message: 'bad.toml: 1 problem', problems: [{ line: 2, column: 1, message: 'x' }] });
    const e = await tauriBackend.importQuestions('bad.toml', 'x').catch((err: unknown) => err);
    expect(e).toBeInstanceOf(BackendError);
    expect((e as BackendError).code).toBe('BadBank');
    expect((e as BackendError).problems).toEqual([{ line: 2, column: 1, message: 'x' }]);
  });

  it('turns a failure of the bridge itself into an Unexpected error a person can read', async () => {
    invokeMock.mockRejectedValueOnce(new Error('ipc gone'));
    const e = await tauriBackend.home().catch((err: unknown) => err);
    expect((e as BackendError).code).toBe('Unexpected');
    expect((e as BackendError).message).toBe('Something went wrong: ipc gone');
  });

  it('passes a command that cannot fail straight through, even a value with a status field', async () => {
    invokeMock.mockResolvedValueOnce({ recovered: [], data_error: null });
    await expect(tauriBackend.startup()).resolves.toEqual({ recovered: [], data_error: null });
    invokeMock.mockResolvedValueOnce({ status: 'saved', id: 'r' });
    await expect(tauriBackend.previousRating('t')).resolves.toEqual({ status: 'saved', id: 'r' });
  });

  it('hands a callback a Channel’s messages', async () => {
    invokeMock.mockResolvedValueOnce({ device_name: 'Mic', fell_back: false });
    const seen: number[] = [];
    await tauriBackend.startMicCheck((u) => seen.push(u.peak_milli));
    const args = invokeMock.mock.calls[0]?.[1] as { levels: { onmessage: (m: unknown) => void } };
    args.levels.onmessage({ peak_milli: 7 });
    expect(seen).toEqual([7]);
  });

  it('hands each answer file dropped on the window to the callback', async () => {
    invokeMock.mockResolvedValueOnce(null);
    const seen: string[] = [];
    await tauriBackend.watchDroppedOpinions((d) => seen.push(d.imported?.rater ?? d.error?.code ?? ''));
    expect(invokeMock.mock.calls[0]?.[0]).toBe('watch_dropped_opinions');
    const args = invokeMock.mock.calls[0]?.[1] as { onDrop: { onmessage: (m: unknown) => void } };
    args.onDrop.onmessage({ file_name: 'sam.json', imported: { rater: 'Sam', take_ids: ['t'] }, error: null });
    args.onDrop.onmessage({ file_name: 'x.json', imported: null, error: { code: 'BadOpinion', message: 'No.', problems: [], fields: [] } });
    expect(seen).toEqual(['Sam', 'BadOpinion']);
  });
});
