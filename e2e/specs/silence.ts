// e2e-audio: silent
// A microphone that delivers only silence: the mic check and a take both say so after 3 s.
import { byTestId, screenshot, openPractice } from '../helpers.js';

describe('silence', () => {
  it('the mic check warns that Candor hears only silence', async () => {
    await openPractice();
    // The hint reads as a sentence, its single-key part included (Svelte drops a space at a tag's edge).
    expect(await $(byTestId('record-hint')).getText()).toContain('Press Space or the button to record');
    const button = await $(byTestId('mic-check-button'));
    await button.waitForClickable({ timeout: 30_000 });
    await button.click();
    await $(byTestId('mic-check')).waitForDisplayed({ timeout: 15_000 });
    const warning = await $(byTestId('silence-warning'));
    await warning.waitForDisplayed({ timeout: 8_000, timeoutMsg: 'no silence warning within 8 s of silence' });
    expect(await warning.getText()).toContain('Candor hears only silence');
    await screenshot('silence-mic-check');
    await button.click();
  });

  it('a take on a silent microphone warns too, and the take is still kept', async () => {
    const record = await $(byTestId('record-button'));
    await record.click();
    await $(byTestId('recording-indicator')).waitForDisplayed({ timeout: 15_000 });
    const warning = await $(byTestId('silence-warning'));
    await warning.waitForDisplayed({ timeout: 8_000, timeoutMsg: 'no silence warning while recording silence' });
    await screenshot('silence-recording');
    await record.click();
    await browser.waitUntil(async () => (await $$(byTestId('take-item')).length) === 1, { timeout: 15_000 });
  });
});
