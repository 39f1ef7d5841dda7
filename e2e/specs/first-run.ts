// e2e-audio: pulse
// A first run, with an empty data folder: Home welcomes (what the round scores, how a session goes,
// where the readings are), the welcome is dismissed and comes back from the "?" sheet; after a
// practice "Review it now" opens that very answer; the last rating step's "Save & next" (Enter)
// saves and opens the next answer waiting.
import { byTestId, dbQuery, press, recordAnswer, screenshot, waitWizard, ratingCriteria } from '../helpers.js';

const answerIds = (): string[] =>
  dbQuery<{ id: string }>('SELECT id FROM takes WHERE parent_id IS NULL ORDER BY started_at').map((r) => r.id);

async function openedTake(): Promise<string> {
  const review = await $(byTestId('review'));
  await browser.waitUntil(async () => ((await review.getAttribute('data-take-id')) ?? '') !== '', {
    timeout: 15_000,
    timeoutMsg: 'Review opened no answer',
  });
  return (await review.getAttribute('data-take-id')) ?? '';
}

describe('first-run', () => {
  it('welcomes a new user on Home with the criteria, the session and the readings', async () => {
    const welcome = await $(byTestId('welcome'));
    await welcome.waitForDisplayed({ timeout: 30_000, timeoutMsg: 'no welcome on the first Home' });
    expect(await welcome.getText()).toContain('Everything stays on this computer');
    await $(byTestId('welcome-tab-scores')).click();
    await browser.waitUntil(async () => (await $$(byTestId('welcome-criterion')).length) === 5, {
      timeout: 10_000,
      timeoutMsg: 'the welcome does not list the four criteria and the feelings check',
    });
    // A criterion says what a 1, a 3 and a 5 sound like.
    expect(await $(`${byTestId('welcome-criterion')} dl`).getText()).toMatch(/^1[\s\S]*3[\s\S]*5/);
    await screenshot('first-run-welcome-scores');
    await $(byTestId('welcome-tab-readings')).click();
    await browser.waitUntil(async () => (await $$(byTestId('welcome-reading')).length) > 3, { timeout: 10_000 });
    expect(await welcome.getText()).toContain('Core Views on AI Safety');
  });

  it('is dismissed, stays dismissed, and comes back from the ? sheet', async () => {
    await $(byTestId('welcome-dismiss')).click();
    await $(byTestId('welcome')).waitForExist({ reverse: true, timeout: 5_000 });
    await browser.refresh();
    await $(byTestId('practice-suggested')).waitForDisplayed({ timeout: 30_000 });
    expect(await $(byTestId('welcome')).isExisting()).toBe(false);
    await $(byTestId('open-shortcuts')).click();
    await $(byTestId('shortcuts')).waitForDisplayed({ timeout: 5_000 });
    await $(byTestId('open-welcome')).click();
    await $(byTestId('welcome-sheet')).waitForDisplayed({ timeout: 5_000, timeoutMsg: 'the ? sheet did not reopen the welcome' });
    await screenshot('first-run-welcome-again');
    await press('Escape');
    await $(byTestId('welcome-sheet')).waitForExist({ reverse: true, timeout: 5_000 });
  });

  it('after a practice, Review it now opens that answer', async () => {
    await recordAnswer(2);
    const [first] = answerIds();
    expect(first).toBeDefined();
    await $(byTestId('review-now')).click();
    expect(await openedTake()).toBe(first);
    await waitWizard('complexity');
    await screenshot('first-run-review-it-now');
  });

  it('Save & next with Enter saves the rating and opens the next answer waiting', async () => {
    // A second answer, so one waits after the first is rated.
    await $(byTestId('nav-home')).click();
    await recordAnswer(2);
    const [first, second] = answerIds();
    await $(byTestId('review-now')).click();
    expect(await openedTake()).toBe(second);
    await waitWizard('complexity');
    for (const step of await ratingCriteria()) {
      await waitWizard(step);
      await press('3', 'Enter');
    }
    for (const step of ['feelings', 'flags', 'commitment']) {
      await waitWizard(step);
      await press('Enter');
    }
    await waitWizard('save');
    await screenshot('first-run-save-step');
    await press('Enter');
    await browser.waitUntil(async () => (await $(byTestId('review')).getAttribute('data-take-id')) === first, {
      timeout: 15_000,
      timeoutMsg: 'Save & next did not open the next answer waiting',
    });
    await waitWizard('complexity');
    await $(byTestId('saved-note')).waitForDisplayed({ timeout: 5_000 });
    expect(dbQuery(`SELECT status FROM ratings WHERE take_id = '${second}' AND kind = 'reviewed'`)).toEqual([{ status: 'saved' }]);
    expect(await $(byTestId('error-message')).isExisting()).toBe(false);
    await screenshot('first-run-save-and-next');
  });
});
