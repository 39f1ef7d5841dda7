import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BackendError, type DownloadProgress } from './backend';
import {
  downloadBar,
  downloadIntro,
  downloadLabel,
  downloadPercent,
  downloadText,
  formatMb,
  ModelDownloads,
  offeredRows,
  offeredSize,
  sourceHosts,
  type DownloadState,
} from './modelDownload';
import { fakeBackend, sampleOffered } from './testing';

const MB = 1_000_000;

beforeEach(() => {
  vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterEach(() => vi.restoreAllMocks());

describe('how far a download is', () => {
  it('says MB done of MB in all, and the percentage', () => {
    const p = { done: 12.4 * MB, total: 142 * MB };
    expect(downloadText(p)).toBe('12 of 142 MB');
    expect(downloadPercent(p)).toBe(8);
    expect(downloadBar(p, 142)).toEqual({ now: 8, max: 100, fill: 8, text: '12 of 142 MB', checking: false });
  });

  it('shows small amounts with one decimal, never rounded up', () => {
    expect(downloadText({ done: 4.29 * MB, total: 79 * MB })).toBe('4.2 of 79 MB');
    expect(downloadText({ done: 0, total: 79 * MB })).toBe('0 of 79 MB');
    expect(formatMb(9.99)).toBe('9.9');
    expect(formatMb(3)).toBe('3');
    expect(formatMb(148.9)).toBe('148');
  });

  it('says MB so far when the server gives no total, the bar sized by the published size', () => {
    const p: DownloadProgress = { done: 30.5 * MB, total: null };
    expect(downloadText(p)).toBe('30 MB so far');
    expect(downloadPercent(p)).toBeNull();
    expect(downloadBar(p, 142)).toEqual({ now: 30, max: 149, fill: 20, text: '30 MB so far', checking: false });
    // More than published: the bar is full, its range grows.
    expect(downloadBar({ done: 200 * MB, total: null }, 142)).toMatchObject({ now: 200, max: 200, fill: 100 });
    // Nothing to size it by.
    expect(downloadBar({ done: 0, total: null }, null)).toMatchObject({ now: 0, max: 0, fill: 0 });
  });

  it('says what happens before the first bytes and once all are in', () => {
    expect(downloadText(null)).toBe('Connecting…');
    expect(downloadBar(null, 142)).toEqual({ now: 0, max: 100, fill: 0, text: 'Connecting…', checking: false });
    expect(downloadBar({ done: 142 * MB, total: 142 * MB }, 142)).toEqual({
      now: 100,
      max: 100,
      fill: 100,
      text: 'Checking the file…',
      checking: true,
    });
  });

  it('takes a missing or zero total as unknown and a null done as none', () => {
    expect(downloadPercent({ done: 5 * MB, total: 0 })).toBeNull();
    expect(downloadText({ done: null, total: 10 * MB })).toBe('0 of 10 MB');
    expect(downloadPercent({ done: 20 * MB, total: 10 * MB })).toBe(100);
  });
});

describe('the models offered', () => {
  const base = sampleOffered();
  const en = sampleOffered({ name: 'ggml-base.en.bin', title: 'Base, English only', default: false, about: 'English alone.' }, { partial_mb: 37.6 });
  const tiny = sampleOffered({ name: 'ggml-tiny.en.bin', title: 'Tiny, English only', mib: 75, default: false }, { added: true });

  it('labels the button Download, or Resume with what was kept', () => {
    expect(downloadLabel(base)).toBe('Download');
    expect(downloadLabel(en)).toBe('Resume download (37 MB so far)');
    expect(downloadLabel(sampleOffered({}, { partial_mb: 0.4 }))).toBe('Resume download (0.4 MB so far)');
    expect(downloadLabel(sampleOffered({}, { partial_mb: 0 }))).toBe('Download');
  });

  it('lists every model offered in order: recommended marked, added ones without a button', () => {
    const rows = offeredRows([base, en, tiny], null);
    expect(rows.map((r) => [r.file, r.recommended, r.added, r.label, r.disabled, r.running])).toEqual([
      ['ggml-base.bin', true, false, 'Download', false, false],
      ['ggml-base.en.bin', false, false, 'Resume download (37 MB so far)', false, false],
      ['ggml-tiny.en.bin', false, true, 'Download', false, false],
    ]);
    expect(rows[0]).toMatchObject({ title: 'Base', size: '149 MB', mib: 142, about: 'The one Candor recommends.', ariaLabel: 'Download Base (149 MB)' });
    expect(rows[1]?.ariaLabel).toBe('Resume download (37 MB so far) of Base, English only');
    expect(rows[2]?.size).toBe('79 MB');
    expect(rows[0]?.tested).toBeNull();
    const measured = offeredRows([sampleOffered({ tested: { fillers_kept: 6, fillers_said: 7, word_error: 9.6 } })], null);
    expect(measured[0]?.tested).toBe("kept 6 of 7 fillers in Candor's test, 9.6 % of words wrong");
  });

  it('allows one download at a time: the one running marked, every button disabled', () => {
    const rows = offeredRows([base, en, tiny], 'ggml-base.en.bin');
    expect(rows.map((r) => r.running)).toEqual([false, true, false]);
    expect(rows.every((r) => r.disabled)).toBe(true);
  });

  it('says where the models come from', () => {
    expect(sourceHosts([base, en, tiny])).toEqual(['huggingface.co']);
    expect(sourceHosts([sampleOffered({ url: 'not an address' })])).toEqual([]);
    const intro = downloadIntro([base]);
    expect(intro).toContain('only time Candor connects to the internet');
    expect(intro).toContain('only when you press Download');
    expect(intro).toContain('whisper.cpp publishes it at (huggingface.co)');
    expect(intro).toContain('checks the file');
    expect(offeredSize(142)).toBe('149 MB');
  });
});

describe('the download', () => {
  function deferred(): { promise: Promise<string>; resolve: (s: string) => void; reject: (e: unknown) => void } {
    let resolve!: (s: string) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<string>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  }

  it('streams progress to subscribers and ends added', async () => {
    const d = deferred();
    let onProgress: ((p: DownloadProgress) => void) | null = null;
    const { backend } = fakeBackend({
      downloadModel: async (_file, cb) => {
        onProgress = cb;
        return d.promise;
      },
    });
    const downloads = new ModelDownloads();
    const seen: DownloadState[] = [];
    downloads.subscribe((s) => seen.push(s));
    const ended = downloads.start(backend, 'ggml-base.bin', 142);
    expect(downloads.state).toMatchObject({ kind: 'running', file: 'ggml-base.bin', mib: 142, progress: null });
    await vi.waitFor(() => expect(onProgress).not.toBeNull());
    onProgress!({ done: 12 * MB, total: 142 * MB });
    expect(downloads.state).toMatchObject({ kind: 'running', progress: { done: 12 * MB } });
    d.resolve('ggml-base.bin');
    expect(await ended).toEqual({ kind: 'added', file: 'ggml-base.bin' });
    expect(seen.map((s) => s.kind)).toEqual(['idle', 'running', 'running', 'added']);
    expect(backend.downloadModel).toHaveBeenCalledTimes(1);
  });

  it('starts no second download while one runs', async () => {
    const d = deferred();
    const { backend } = fakeBackend({ downloadModel: () => d.promise });
    const downloads = new ModelDownloads();
    const first = downloads.start(backend, 'ggml-base.bin');
    const second = await downloads.start(backend, 'ggml-tiny.en.bin');
    expect(second).toMatchObject({ kind: 'running', file: 'ggml-base.bin' });
    expect(backend.downloadModel).toHaveBeenCalledTimes(1);
    d.resolve('ggml-base.bin');
    await first;
  });

  it('ends stopped, with a quiet note, when cancelled', async () => {
    const d = deferred();
    const { backend } = fakeBackend({
      downloadModel: () => d.promise,
      cancelDownload: async () => {
        d.reject({ code: 'Cancelled', message: 'The download was stopped; what was downloaded is kept and it goes on from there next time.' });
      },
    });
    const downloads = new ModelDownloads();
    const ended = downloads.start(backend, 'ggml-base.bin');
    await downloads.cancel(backend);
    expect(await ended).toEqual({
      kind: 'stopped',
      file: 'ggml-base.bin',
      text: 'The download was stopped; what was downloaded is kept and it goes on from there next time.',
    });
    expect(backend.cancelDownload).toHaveBeenCalledTimes(1);
    // Nothing runs: cancelling again asks nothing.
    await downloads.cancel(backend);
    expect(backend.cancelDownload).toHaveBeenCalledTimes(1);
  });

  it('marks the download as stopping until it ends, and asks once', async () => {
    const d = deferred();
    const { backend } = fakeBackend({ downloadModel: () => d.promise });
    const downloads = new ModelDownloads();
    const ended = downloads.start(backend, 'ggml-base.bin');
    await downloads.cancel(backend);
    await downloads.cancel(backend);
    expect(downloads.state).toMatchObject({ kind: 'running', cancelling: true });
    expect(backend.cancelDownload).toHaveBeenCalledTimes(1);
    d.reject(new BackendError({ code: 'Cancelled', message: 'Stopped.' }));
    expect((await ended).kind).toBe('stopped');
  });

  it('ends failed with the error (for the banner) on a network, checksum or disk problem', async () => {
    for (const code of ['Network', 'BadModel', 'DiskFull'] as const) {
      const { backend } = fakeBackend({
        downloadModel: async () => {
          throw { code, message: 'huggingface.co could not be reached.' };
        },
      });
      const downloads = new ModelDownloads();
      const ended = await downloads.start(backend, 'ggml-base.bin');
      expect(ended.kind).toBe('failed');
      expect(ended.kind === 'failed' && ended.error).toBeInstanceOf(BackendError);
      expect(ended.kind === 'failed' && ended.error.code).toBe(code);
      // Another may be started.
      expect(downloads.state.kind).toBe('failed');
    }
  });

  it('puts a finished note away, never a running download', async () => {
    const d = deferred();
    const { backend } = fakeBackend({ downloadModel: () => d.promise });
    const downloads = new ModelDownloads();
    const ended = downloads.start(backend, 'ggml-base.bin');
    downloads.dismiss();
    expect(downloads.state.kind).toBe('running');
    d.resolve('ggml-base.bin');
    await ended;
    downloads.dismiss();
    expect(downloads.state.kind).toBe('idle');
  });

  it('restores the Cancel button when the cancel call fails', async () => {
    const d = deferred();
    const { backend } = fakeBackend({
      downloadModel: () => d.promise,
      cancelDownload: async () => {
        throw { code: 'Internal', message: 'x' };
      },
    });
    const downloads = new ModelDownloads();
    const ended = downloads.start(backend, 'ggml-base.bin');
    await expect(downloads.cancel(backend)).rejects.toBeInstanceOf(BackendError);
    expect(downloads.state).toMatchObject({ kind: 'running', cancelling: false });
    d.resolve('ggml-base.bin');
    await ended;
  });
});
