// Shared helpers for the Candor end-to-end specs.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..');
export const artifacts = process.env.E2E_ARTIFACTS ?? path.join(here, 'artifacts');
export const candorCli = path.resolve(
  process.env.CANDOR_CLI ?? path.join(repoRoot, 'target', 'debug', 'candor-cli'),
);

/** The app's data folder for this run (run.sh gives each spec a fresh one). */
export function dataDir(): string {
  const d = process.env.CANDOR_DATA_DIR;
  if (!d) throw new Error('CANDOR_DATA_DIR is not set: run the specs through e2e/run.sh');
  return d;
}

/** The .wav files in <data>/recordings (none if the folder does not exist). */
export function recordedWavs(): string[] {
  const dir = path.join(dataDir(), 'recordings');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith('.wav'))
    .map((f) => path.join(dir, f));
}

export interface Analysis {
  duration_s: number;
  sample_rate: number;
  rms: number;
  [k: string]: unknown;
}

/** `candor-cli analyze FILE --json` (the WAV read back by the Rust code). */
export function analyze(file: string): Analysis {
  const out = execFileSync(candorCli, ['analyze', file, '--json'], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  return JSON.parse(out.trim()) as Analysis;
}

/** Save a screenshot of the app's web view into e2e/artifacts/<name>.png. */
export async function screenshot(name: string): Promise<string> {
  fs.mkdirSync(artifacts, { recursive: true });
  const dest = path.join(artifacts, `${name}.png`);
  await browser.saveScreenshot(dest);
  return dest;
}

/** Save the whole X screen (the real window, as a person sees it) into e2e/artifacts/<name>.png. */
export function screenshotRoot(name: string): string | undefined {
  fs.mkdirSync(artifacts, { recursive: true });
  const dest = path.join(artifacts, `${name}.png`);
  try {
    execFileSync('import', ['-window', 'root', dest], { timeout: 20_000, stdio: 'ignore' });
    return dest;
  } catch (e) {
    console.log(`[e2e] could not capture the screen: ${(e as Error).message}`);
    return undefined;
  }
}

/** Names of the top-level X windows (to check the window title). */
export function xWindowNames(): string[] {
  const out = execFileSync('xwininfo', ['-root', '-tree'], { encoding: 'utf8', timeout: 10_000 });
  return [...out.matchAll(/^\s*0x[0-9a-f]+ "([^"]*)"/gim)].map((m) => m[1]);
}

export const byTestId = (id: string) => `[data-testid="${id}"]`;

/** From Home, open the suggested question's practice screen. */
export async function openPractice(): Promise<void> {
  const start = await $(byTestId('practice-suggested'));
  await start.waitForClickable({ timeout: 30_000, timeoutMsg: 'Home never offered a question to practise' });
  await start.click();
  await $(byTestId('practice')).waitForDisplayed({ timeout: 15_000 });
}

/** Rows of a query on the app's SQLite database, read with Python's sqlite3 (read-only). */
export function dbQuery<T = Record<string, unknown>>(sql: string): T[] {
  const db = path.join(dataDir(), 'candor.db');
  const script =
    'import json, sqlite3, sys\n' +
    'c = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)\n' +
    'c.row_factory = sqlite3.Row\n' +
    // BLOB columns (a take's stored waveform) come back as hex text.
    'print(json.dumps([dict(r) for r in c.execute(sys.argv[2])], default=lambda b: b.hex()))\n';
  const out = execFileSync('python3', ['-c', script, db, sql], { encoding: 'utf8', timeout: 20_000 });
  return JSON.parse(out) as T[];
}

/** Sends keys to the window as a person would type them. */
export async function press(...keys: string[]): Promise<void> {
  for (const k of keys) {
    await browser.keys(k);
    await browser.pause(150);
  }
}

/** Waits until the practice screen reaches `step` (its `data-step`). */
export async function waitStep(step: string, timeout = 20_000): Promise<void> {
  await browser.waitUntil(async () => (await $(byTestId('practice')).getAttribute('data-step')) === step, {
    timeout,
    timeoutMsg: `never reached step "${step}"`,
  });
}

/** Waits until the rating wizard shows `step`. */
export async function waitWizard(step: string): Promise<void> {
  await browser.waitUntil(async () => (await $(byTestId('wizard')).getAttribute('data-step')) === step, {
    timeout: 10_000,
    timeoutMsg: `the rating never reached step "${step}"`,
  });
}

/** The criteria the open rating scores, in order (the feeling check only when the question asks for it). */
export async function ratingCriteria(): Promise<string[]> {
  const all = ['complexity', 'gaps', 'second_order', 'honesty', 'feeling'];
  const steps = await browser.execute(() =>
    Array.from(document.querySelectorAll('[data-testid="wizard"] li[data-step]')).map((li) => li.getAttribute('data-step') ?? ''),
  );
  return steps.filter((s) => all.includes(s));
}

/** From Home: practise the suggested question, record about `seconds`, keep it, end the push-backs. */
export async function recordAnswer(seconds: number): Promise<void> {
  if (!(await $(byTestId('practice-suggested')).isExisting())) await $(byTestId('nav-home')).click();
  const start = await $(byTestId('practice-suggested'));
  await start.waitForClickable({ timeout: 30_000 });
  await start.click();
  await waitStep('ready');
  await press(' ');
  await $(byTestId('recording-indicator')).waitForDisplayed({ timeout: 15_000 });
  await browser.pause(seconds * 1000);
  await press(' ');
  await waitStep('decide');
  await press('Enter');
  await waitStep('pushback');
  await press('e');
  await waitStep('done');
}

/** In the rating wizard: scores each criterion the question asks (`scores` in order), passes the
 * other steps with Enter and saves. */
export async function rateAndSave(scores: number[]): Promise<void> {
  await waitWizard('complexity');
  for (const [i, key] of (await ratingCriteria()).entries()) {
    await waitWizard(key);
    await press(String(scores[i]));
    await press('Enter');
  }
  for (const step of ['feelings', 'flags', 'commitment']) {
    await waitWizard(step);
    await press('Enter');
  }
  await waitWizard('save');
  await $(byTestId('save-rating')).click();
  await $(byTestId('after-save')).waitForDisplayed({ timeout: 10_000 });
}

/** What the data folder's lock keeps in it (the lock file, notes of who uses the folder). */
export const LOCK_BOOKKEEPING = ['.candor-lock', '.in-use'];

/**
 * Whether the page was asked for less motion (prefers-reduced-motion, from GTK's animations
 * setting) and whether the recording dot pulses: read while a take records.
 */
export async function recordingMotion(): Promise<{ reduce: boolean; pulsing: boolean }> {
  return browser.execute(() => {
    const dot = document.querySelector('[data-testid="recording-indicator"] .pulse');
    const name = dot ? getComputedStyle(dot).animationName : 'none';
    return { reduce: matchMedia('(prefers-reduced-motion: reduce)').matches, pulsing: name !== 'none' && name !== '' };
  });
}
