// e2e-audio: none
// No sound server and no capture device at all: the app must start, explain on Record that no
// microphone is available and what to do, write nothing, and keep running.
import { byTestId, recordedWavs, screenshot, screenshotRoot, openPractice } from '../helpers.js';

describe('no-microphone', () => {
  it('starts with the question visible', async () => {
    const prompt = await $(byTestId('question-prompt'));
    await prompt.waitForDisplayed({ timeout: 30_000, timeoutMsg: 'question-prompt never became visible' });
    expect((await prompt.getText()).trim().length).toBeGreaterThan(0);
    await openPractice();
  });

  it('Record shows a clear "no microphone" message', async () => {
    const button = await $(byTestId('record-button'));
    await button.waitForClickable({ timeout: 15_000 });
    await button.click();
    const banner = await $(byTestId('error-message'));
    await banner.waitForDisplayed({
      timeout: 15_000,
      timeoutMsg: 'no error-message appeared within 15 s of clicking Record without a microphone',
    });
    const code = await banner.getAttribute('data-code');
    const text = (await banner.getText()).trim();
    console.log(`[e2e] error-message data-code=${code} text="${text}"`);
    await screenshot('no-microphone-message');
    screenshotRoot('no-microphone-window');
    expect(code).toBe('NoInputDevice');
    // Says that no microphone is available...
    expect(text).toMatch(/microphone/i);
    expect(text).toMatch(/\b(no|not|cannot|can't|unable|couldn't|could not)\b/i);
    // ...and what to do about it.
    expect(text).toMatch(/\b(connect|plug|check|select|choose|enable|allow|settings?|try)\b/i);
  });

  it('is not recording and wrote nothing', async () => {
    await browser.pause(1000);
    const indicator = await $(byTestId('recording-indicator'));
    expect(await indicator.isDisplayed()).toBe(false);
    expect((await $(byTestId('record-button')).getText()).trim()).toBe('Record');
    expect(await $$(byTestId('take-item')).length).toBe(0);
    expect(recordedWavs()).toEqual([]);
  });

  it('is still alive and responsive', async () => {
    // A second attempt gives the same message instead of crashing.
    await $(byTestId('record-button')).click();
    const banner = await $(byTestId('error-message'));
    await banner.waitForDisplayed({ timeout: 15_000 });
    expect(await banner.getAttribute('data-code')).toBe('NoInputDevice');
    expect(await $(byTestId('question-prompt')).isDisplayed()).toBe(true);
    expect(await browser.execute(() => 1 + 1)).toBe(2);
    expect(recordedWavs()).toEqual([]);
  });
});
