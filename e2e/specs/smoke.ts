// e2e-audio: pulse
// Smoke test: record a take from the (fake) microphone, see it listed, replay it, and check
// that the WAV written to disk holds sound.
import path from 'node:path';
import { analyze, byTestId, recordedWavs, screenshot, screenshotRoot, xWindowNames, openPractice } from '../helpers.js';

const RECORD_MS = 3000;

describe('smoke', () => {
  it('starts with the question visible', async () => {
    const prompt = await $(byTestId('question-prompt'));
    await prompt.waitForDisplayed({ timeout: 30_000, timeoutMsg: 'question-prompt never became visible' });
    const text = (await prompt.getText()).trim();
    expect(text.length).toBeGreaterThan(0);
    console.log(`[e2e] question: ${text}`);
    const names = xWindowNames();
    // (a browser under automation may prefix its title with "[Automation] ")
    if (!names.some((n) => /^(\[Automation\] )?Candor$/.test(n))) {
      throw new Error(`no X window titled "Candor"; window names: ${JSON.stringify(names.filter(Boolean))}`);
    }
    await screenshot('smoke-start');
  });

  it('records about 3 s', async () => {
    await openPractice();
    const button = await $(byTestId('record-button'));
    await button.waitForClickable({ timeout: 15_000 });
    expect((await button.getText()).trim()).toBe('Record');
    await button.click();
    const indicator = await $(byTestId('recording-indicator'));
    await indicator.waitForDisplayed({
      timeout: 15_000,
      timeoutMsg: 'recording-indicator did not appear within 15 s of clicking Record',
    });
    expect((await button.getText()).trim()).toBe('Stop');
    await browser.pause(RECORD_MS);
    await screenshot('smoke-recording');
    await button.click();
    await indicator.waitForDisplayed({
      reverse: true,
      timeout: 15_000,
      timeoutMsg: 'recording-indicator still visible 15 s after clicking Stop',
    });
    // The answer is saved: the screen offers Keep or Re-take.
    await $(byTestId('decide')).waitForDisplayed({ timeout: 10_000, timeoutMsg: 'no Keep / Re-take after stopping' });
  });

  it('lists the take with a duration between 2 and 5 s', async () => {
    await browser.waitUntil(async () => (await $$(byTestId('take-item')).length) >= 1, {
      timeout: 15_000,
      timeoutMsg: 'no take-item appeared after recording',
    });
    const takes = await $$(byTestId('take-item'));
    expect(takes.length).toBe(1);
    const duration = await takes[0].$(byTestId('take-duration'));
    await duration.waitForDisplayed();
    const attr = await duration.getAttribute('data-duration-s');
    const seconds = Number(attr);
    const text = (await duration.getText()).trim();
    console.log(`[e2e] take duration: data-duration-s=${attr} text="${text}"`);
    expect(Number.isFinite(seconds)).toBe(true);
    expect(seconds).toBeGreaterThanOrEqual(2);
    expect(seconds).toBeLessThanOrEqual(5);
    expect(text).toMatch(/\d+([.,]\d+)?\s*s\b/);
  });

  it('replays the take and its position advances', async () => {
    const play = await $(byTestId('take-item')).$(byTestId('take-play'));
    await play.waitForClickable({ timeout: 10_000 });
    await play.click();

    type State = { found: boolean; t: number; paused: boolean; ended: boolean; error: number | null; src: string };
    const state = () =>
      browser.execute((sel: string) => {
        const p = document.querySelector(sel) as HTMLAudioElement | null;
        if (!p) return { found: false, t: 0, paused: true, ended: false, error: null, src: '' };
        return {
          found: true,
          t: p.currentTime,
          paused: p.paused,
          ended: p.ended,
          error: p.error ? p.error.code : null,
          src: p.currentSrc || p.src || '',
        };
      }, byTestId('player')) as Promise<State>;

    // Watch currentTime for up to 10 s: it must leave 0 and then grow.
    const seen: number[] = [];
    let last: State | undefined;
    await browser
      .waitUntil(
        async () => {
          last = await state();
          if (last.error !== null) throw new Error(`player error code ${last.error} (src ${last.src})`);
          if (last.found) seen.push(last.t);
          const positive = seen.filter((t) => t > 0);
          return positive.length >= 2 && positive[positive.length - 1] > positive[0];
        },
        { timeout: 10_000, interval: 200 },
      )
      .catch((e: Error) => {
        throw new Error(
          `replay position did not advance: ${e.message}; last player state ${JSON.stringify(last)}; ` +
            `currentTime samples ${JSON.stringify(seen.slice(-10))}`,
        );
      });
    console.log(`[e2e] replay currentTime samples: ${seen.map((t) => t.toFixed(2)).join(' ')}`);
    await screenshot('smoke-after-replay');
    screenshotRoot('window');
  });

  it('wrote a WAV that is not silence', async () => {
    const wavs = recordedWavs();
    expect(wavs.length).toBe(1);
    const a = analyze(wavs[0]);
    console.log(`[e2e] ${path.basename(wavs[0])}: ${JSON.stringify(a)}`);
    expect(a.sample_rate).toBe(16000);
    expect(a.duration_s).toBeGreaterThanOrEqual(2);
    expect(a.duration_s).toBeLessThanOrEqual(5);
    expect(a.rms).toBeGreaterThan(0.01);
  });
});
