// Downloading a speech model (Settings → Transcription): the rows offered, what each button says,
// how far a download is in words and as a bar, and the download itself, kept outside the screen so
// one that runs on while Settings is closed is still shown (and not started twice) on return.
import { toBackendError, type Backend, type BackendError, type DownloadProgress, type OfferedModel } from './backend';
import { humanText } from './messages';
import { fillerFidelity } from './transcription';

const BYTES_PER_MB = 1_000_000;
/** Bytes in a MiB over bytes in an MB: whisper.cpp publishes sizes in MiB, Candor shows MB. */
const MB_PER_MIB = 1.048576;

/** Megabytes as the download shows them: whole from 10 MB, else one decimal, never rounded up. */
export function formatMb(mb: number): string {
  if (!Number.isFinite(mb) || mb <= 0) return '0';
  if (mb >= 10) return String(Math.floor(mb));
  return (Math.floor(mb * 10) / 10).toFixed(1).replace(/\.0$/, '');
}

/** A published size in MiB as MB, whole ("149 MB" for 142 MiB), as the other sizes are shown. */
export function offeredSize(mib: number): string {
  return `${Math.round(mib * MB_PER_MIB)} MB`;
}

/** The bytes done, never null or negative. */
function doneOf(p: DownloadProgress): number {
  return Math.max(0, p.done ?? 0);
}

/** The bytes in all, when known (a zero or missing total is not known). */
function totalOf(p: DownloadProgress): number | null {
  const t = p.total ?? null;
  return t !== null && t > 0 ? t : null;
}

/** How far, as a whole percentage 0–100; null when the total is not known. */
export function downloadPercent(p: DownloadProgress | null): number | null {
  if (!p) return 0;
  const total = totalOf(p);
  if (total === null) return null;
  return Math.max(0, Math.min(100, Math.floor((doneOf(p) / total) * 100)));
}

/** Every byte is in: Candor is checking the file (checksum, then that it loads). */
export function downloadChecking(p: DownloadProgress | null): boolean {
  if (!p) return false;
  const total = totalOf(p);
  return total !== null && doneOf(p) >= total;
}

/** How far, in words: "12 of 149 MB", "12 MB so far", or what happens before and after. */
export function downloadText(p: DownloadProgress | null): string {
  if (!p) return 'Connecting…';
  if (downloadChecking(p)) return 'Checking the file…';
  const done = formatMb(doneOf(p) / BYTES_PER_MB);
  const total = totalOf(p);
  return total === null ? `${done} MB so far` : `${done} of ${Math.round(total / BYTES_PER_MB)} MB`;
}

/** The progress bar: its ARIA value and range, how full it is drawn (0–100), and its words. */
export interface DownloadBar {
  /** aria-valuenow: the percentage when the total is known, else the whole MB so far. */
  now: number;
  /** aria-valuemax: 100, or (total unknown) the published size in MB (at least `now`). */
  max: number;
  /** How full the bar is drawn, 0–100. */
  fill: number;
  /** The words beside it (also its aria-valuetext). */
  text: string;
  /** Every byte is in and the file is being checked: it can no longer be stopped. */
  checking: boolean;
}

/** The bar for a download's progress; `publishedMib` sizes it when the server gives no total. */
export function downloadBar(p: DownloadProgress | null, publishedMib: number | null): DownloadBar {
  const text = downloadText(p);
  const checking = downloadChecking(p);
  const percent = downloadPercent(p);
  if (percent !== null) return { now: percent, max: 100, fill: percent, text, checking };
  const mb = doneOf(p!) / BYTES_PER_MB;
  const now = Math.floor(mb);
  const expected = publishedMib !== null && publishedMib > 0 ? Math.round(publishedMib * MB_PER_MIB) : 0;
  const max = Math.max(now, expected);
  const fill = max > 0 ? Math.min(100, Math.floor((mb / max) * 100)) : 0;
  return { now, max, fill, text, checking };
}

/** An interrupted download kept on disk (MB), when there is one to go on from. */
function partial(m: OfferedModel): number | null {
  return m.partial_mb !== null && m.partial_mb > 0 ? m.partial_mb : null;
}

/** The label of an offered model's button: "Download", or "Resume download (N MB so far)". */
export function downloadLabel(m: OfferedModel): string {
  const kept = partial(m);
  return kept === null ? 'Download' : `Resume download (${formatMb(kept)} MB so far)`;
}

/** One offered model as the list shows it. */
export interface OfferedRow {
  file: string;
  title: string;
  /** Its published size, in MB. */
  size: string;
  /** Its published size in MiB (sizes the bar when the server gives no total). */
  mib: number;
  about: string;
  /** How it kept fillers in Candor's own test, when measured (null: not measured). */
  tested: string | null;
  /** The one Candor recommends. */
  recommended: boolean;
  /** In the models folder already: shown as "Added", no button. */
  added: boolean;
  /** Being downloaded now: its progress and Cancel are shown instead of the button. */
  running: boolean;
  /** The button's words, and what a screen reader hears (with the model's name). */
  label: string;
  ariaLabel: string;
  /** Another download is running (one at a time). */
  disabled: boolean;
}

/**
 * The models offered, in the order Candor lists them: each not added with its Download (or
 * Resume) button, disabled while another downloads; the one downloading marked; those added as
 * "Added".
 */
export function offeredRows(list: readonly OfferedModel[], running: string | null): OfferedRow[] {
  return list.map((m) => {
    const o = m.offered;
    const label = downloadLabel(m);
    const kept = partial(m);
    return {
      file: o.name,
      title: o.title,
      size: offeredSize(o.mib),
      mib: o.mib,
      about: o.about,
      tested: o.tested ? fillerFidelity(o.tested) : null,
      recommended: o.default,
      added: m.added,
      running: !m.added && running === o.name,
      label,
      ariaLabel: kept === null ? `Download ${o.title} (${offeredSize(o.mib)})` : `${label} of ${o.title}`,
      disabled: running !== null,
    };
  });
}

/** Where the models come from ("huggingface.co"), for the sentence above the list. */
export function sourceHosts(list: readonly OfferedModel[]): string[] {
  const hosts = list.map((m) => /^[a-z]+:\/\/([^/?#]+)/i.exec(m.offered.url)?.[1] ?? '').filter((h) => h !== '');
  return [...new Set(hosts)];
}

/** The sentences above the list: the one time Candor goes online, from where, and the check. */
export function downloadIntro(list: readonly OfferedModel[]): string {
  const hosts = sourceHosts(list);
  const where = hosts.length ? ` (${hosts.join(', ')})` : '';
  return (
    'This is the only time Candor connects to the internet, and only when you press Download: the model comes from ' +
    `the address whisper.cpp publishes it at${where}. Candor checks the file against whisper.cpp's published checksum, ` +
    'and that it loads, before using it.'
  );
}

/** What the download is doing. */
export type DownloadState =
  | { kind: 'idle' }
  | { kind: 'running'; file: string; mib: number | null; progress: DownloadProgress | null; cancelling: boolean }
  /** Added to the models folder under `file`. */
  | { kind: 'added'; file: string }
  /** The user stopped it: a quiet note, what was downloaded is kept. */
  | { kind: 'stopped'; file: string; text: string }
  /** It failed: the error, for the banner. */
  | { kind: 'failed'; file: string; error: BackendError };

/**
 * The one model download: `start` runs it (one at a time), `cancel` stops it; subscribers hear
 * every change (each progress message too: Rust already sends at most ~30 a second).
 */
export class ModelDownloads {
  #state: DownloadState = { kind: 'idle' };
  readonly #listeners = new Set<(now: DownloadState, before: DownloadState) => void>();

  get state(): DownloadState {
    return this.#state;
  }

  #set(next: DownloadState): void {
    const before = this.#state;
    this.#state = next;
    for (const f of [...this.#listeners]) f(next, before);
  }

  /** Calls `f` with the state now (as both now and before), then at every change. */
  subscribe(f: (now: DownloadState, before: DownloadState) => void): () => void {
    this.#listeners.add(f);
    f(this.#state, this.#state);
    return () => this.#listeners.delete(f);
  }

  /** A finished download's note (added, stopped or failed) put away; a running one stays. */
  dismiss(): void {
    if (this.#state.kind !== 'running' && this.#state.kind !== 'idle') this.#set({ kind: 'idle' });
  }

  /**
   * Downloads `file` (published size `mib`, for the bar); resolves with how it ended and never
   * throws. While one runs, another is not started: the running state comes back.
   */
  async start(backend: Pick<Backend, 'downloadModel'>, file: string, mib: number | null = null): Promise<DownloadState> {
    if (this.#state.kind === 'running') return this.#state;
    this.#set({ kind: 'running', file, mib, progress: null, cancelling: false });
    let end: DownloadState;
    try {
      const added = await backend.downloadModel(file, (p) => {
        const s = this.#state;
        if (s.kind === 'running' && s.file === file) this.#set({ ...s, progress: p });
      });
      end = { kind: 'added', file: added };
    } catch (e) {
      const error = toBackendError(e);
      end = error.code === 'Cancelled' ? { kind: 'stopped', file, text: humanText(error) } : { kind: 'failed', file, error };
    }
    this.#set(end);
    return end;
  }

  /** Asks the running download to stop (it then ends as stopped); an error of the call is thrown. */
  async cancel(backend: Pick<Backend, 'cancelDownload'>): Promise<void> {
    const s = this.#state;
    if (s.kind !== 'running' || s.cancelling) return;
    this.#set({ ...s, cancelling: true });
    try {
      await backend.cancelDownload();
    } catch (e) {
      const now = this.#state;
      if (now.kind === 'running' && now.file === s.file) this.#set({ ...now, cancelling: false });
      throw toBackendError(e);
    }
  }
}

/** The window's one download, shared by every Settings screen opened. */
export const modelDownloads = new ModelDownloads();
