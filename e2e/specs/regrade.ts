// e2e-audio: pulse
// Calibration: a quick score right after the take, then a blind re-grade: an answer reviewed once is rated again with the earlier scores hidden; both
// ratings are kept in the database and shown side by side.
import { byTestId, dbQuery, press, rateAndSave, screenshot, waitStep, waitWizard } from '../helpers.js';

/** Rates every criterion the question asks from the keyboard and saves. */
const rateAll = rateAndSave;

describe('regrade', () => {
  it('records and reviews an answer', async () => {
    await $(byTestId('practice-suggested')).waitForClickable({ timeout: 30_000 });
    await press('Enter');
    await waitStep('ready');
    await press(' ');
    await $(byTestId('recording-indicator')).waitForDisplayed({ timeout: 15_000 });
    await browser.pause(4000);
    await press(' ');
    await waitStep('decide');
    // The optional quick score right after the take.
    await $(byTestId('quick-complexity-3')).click();
    await $(byTestId('quick-gaps-4')).click();
    await screenshot('regrade-quick-score');
    await press('Enter');
    await waitStep('pushback');
    await press('e');
    await waitStep('done');
    await $(byTestId('nav-review')).click();
    const item = await $(byTestId('queue-item'));
    await item.waitForDisplayed({ timeout: 15_000 });
    await item.$('button').click();
    // Leave the review half-way: it is a draft, resumed at the same step with the same values.
    await waitWizard('complexity');
    await press('2', 'Enter', '2', 'Enter');
    await waitWizard('second_order');
    await $('button=← All answers').click();
    await $(byTestId('queue-item')).$('button').click();
    await waitWizard('second_order');
    await press('ArrowLeft', 'ArrowLeft');
    await waitWizard('complexity');
    expect(await $(byTestId('score-complexity-2')).getAttribute('aria-checked')).toBe('true');
    await rateAll([2, 2, 2, 2, 2]);
  });

  it('re-grades it blind from the Reviewed list', async () => {
    await $('button=← All answers').click();
    await $(byTestId('tab-reviewed')).click();
    await $(byTestId('reviewed-open')).click();
    await $(byTestId('regrade')).click();
    await waitWizard('complexity');
    // The earlier scores are hidden: nothing is selected.
    const selected = await browser.execute(() => document.querySelectorAll('[data-testid^="score-"][aria-checked="true"]').length);
    expect(selected).toBe(0);
    await screenshot('regrade-blind');
    await rateAll([4, 3, 3, 4, 3]);
  });

  it('keeps both ratings', async () => {
    const rows = dbQuery<{ kind: string; scores: string }>(
      `SELECT r.kind, group_concat(s.score, ',') AS scores FROM ratings r
         JOIN (SELECT * FROM rating_scores ORDER BY CASE criterion WHEN 'complexity' THEN 0 WHEN 'gaps' THEN 1
               WHEN 'second_order' THEN 2 WHEN 'honesty' THEN 3 ELSE 4 END) s ON s.rating_id = r.id
       WHERE r.status = 'saved' GROUP BY r.id ORDER BY r.saved_at`,
    );
    // The suggested question does not ask how the candidate felt: four criteria, no feeling score.
    expect(dbQuery("SELECT count(*) AS n FROM rating_scores WHERE criterion = 'feeling'")).toEqual([{ n: 0 }]);
    expect(rows).toEqual([
      { kind: 'immediate', scores: '3,4' },
      { kind: 'reviewed', scores: '2,2,2,2' },
      { kind: 'regrade', scores: '4,3,3,4' },
    ]);
    await $('button=← All answers').click();
    await $(byTestId('tab-reviewed')).click();
    await $(byTestId('reviewed-open')).click();
    await $(byTestId('saved-ratings')).waitForDisplayed({ timeout: 10_000 });
    expect(await $(byTestId('saved-reviewed-complexity')).getText()).toBe('2');
    expect(await $(byTestId('saved-regrade-complexity')).getText()).toBe('4');
    expect(await $(byTestId('saved-immediate-complexity')).getText()).toBe('3');
    await screenshot('regrade-both');
  });
});
