// The spoken specs' tools: the app's environment (its sound server), speech written for the test
// with espeak-ng, played into the fake microphone, and a checkbox set in Settings.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { byTestId } from './helpers.js';

/** The run folder e2e/run.sh made for this spec. */
export const runDir = process.env.E2E_RUN_DIR ?? '';

/** The app's environment (its PulseAudio, its runtime folder). */
export const appEnv: Record<string, string> = Object.fromEntries(
  fs
    .readFileSync(process.env.E2E_APP_ENV ?? '', 'utf8')
    .split('\n')
    .filter((l) => l.includes('='))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
);

/** espeak-ng speech of `text` as a WAV in the run folder. */
export function speech(name: string, text: string): string {
  const file = path.join(runDir, `${name}.wav`);
  execFileSync('espeak-ng', ['-s', '150', '-w', file, text], { env: appEnv, timeout: 20_000 });
  return file;
}

/** Plays a WAV into the microphone (the sound server's sink, whose monitor the app records). */
export function playIntoMic(file: string): void {
  execFileSync('paplay', ['--device=vsink', file], { env: appEnv, timeout: 60_000 });
}

/** Words of a text that a transcript would show, lower case, without punctuation. */
export const words = (t: string): string[] =>
  t.toLowerCase().replace(/[^a-z' ]/g, ' ').split(/\s+/).filter(Boolean);

/** Ticks or clears a Settings checkbox. */
export async function settingsCheck(testId: string, on: boolean): Promise<void> {
  const box = await $(byTestId(testId));
  await box.waitForExist({ timeout: 10_000 });
  if ((await box.isSelected()) !== on) await box.click();
}

/** Types a number into a Settings field. */
export async function settingsNumber(testId: string, value: number): Promise<void> {
  const input = await $(byTestId(testId));
  await input.waitForDisplayed({ timeout: 15_000 });
  await input.clearValue();
  await input.setValue(String(value));
}
