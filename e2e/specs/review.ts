// e2e-audio: pulse
// The guided rating: a recorded answer is replayed, marked, rated on every criterion (some from the
// keyboard, some with the mouse), with feelings, red flags and a commitment; the database then
// holds exactly what was entered, the exemplar contrast appears, and reopening shows the values.
import { byTestId, dbQuery, press, ratingCriteria, recordAnswer, screenshot, waitStep, waitWizard } from '../helpers.js';

const player = () =>
  browser.execute((sel: string) => {
    const a = document.querySelector(sel) as HTMLAudioElement;
    return { t: a.currentTime, paused: a.paused, rate: a.playbackRate };
  }, byTestId('review-player'));

let takeId = '';

/** Takes focus out of a field so the window's keys apply. */
async function blur(): Promise<void> {
  await browser.execute(() => (document.activeElement as HTMLElement | null)?.blur());
}

describe('review', () => {
  it('records an answer of about 6 s', async () => {
    await recordAnswer(6);
    takeId = dbQuery<{ id: string }>("SELECT id FROM takes WHERE parent_id IS NULL")[0]!.id;
  });

  it('opens the answer: replay advances, speed changes, M adds a marker that is tagged', async () => {
    await $(byTestId('nav-review')).click();
    const item = await $(byTestId('queue-item'));
    await item.waitForDisplayed({ timeout: 15_000 });
    await item.$('button').click();
    await waitWizard('complexity');
    await $(byTestId('review-play')).click();
    await browser.waitUntil(async () => (await player()).t > 1.0, { timeout: 10_000, timeoutMsg: 'replay did not advance' });
    await $(byTestId('review-speed')).click();
    expect((await player()).rate).toBe(1.25);
    await press('m');
    const note = await $(byTestId('marker-note'));
    await note.waitForDisplayed({ timeout: 5_000 });
    expect(await $(byTestId('marker-tag')).getValue()).toBe('complexity');
    await browser.waitUntil(async () => (await browser.execute(() => document.activeElement?.getAttribute('data-testid'))) === 'marker-note', {
      timeout: 3_000,
      timeoutMsg: 'the marker note was not focused',
    });
    await browser.keys('Framework here');
    await press('Enter');
    await $(byTestId('marker-tag')).selectByAttribute('value', 'gaps');
    await blur();
    expect(Number(await $(byTestId('waveform')).getAttribute('data-markers'))).toBe(1);
    await press(' ');
    await browser.waitUntil(async () => (await player()).paused, { timeout: 5_000, timeoutMsg: 'Space did not pause' });
    await browser.waitUntil(async () => dbQuery("SELECT tag FROM markers WHERE tag = 'gaps'").length === 1, {
      timeout: 5_000,
      timeoutMsg: 'the marker tag was not stored',
    });
  });

  it('rates every criterion, feelings, red flags and the commitment, and saves', async () => {
    // complexity: keys; a 4 without a marker tagged with it prompts for evidence.
    await blur();
    await press('4');
    await $(byTestId('evidence-prompt')).waitForDisplayed({ timeout: 3_000 });
    await $(byTestId('check-complexity-0-yes')).click();
    await $(byTestId('check-complexity-1-partly')).click();
    await $(byTestId('note-complexity')).setValue('Named the tension late');
    await screenshot('review-step-complexity');
    await $(byTestId('wizard-next')).click();
    // gaps: mouse; the marker tagged gaps means no prompt on a 5.
    await waitWizard('gaps');
    expect(await $(byTestId('scored-on')).getText()).toContain('first answer, before any push-back');
    await $(byTestId('score-gaps-5')).click();
    await $(byTestId('check-gaps-2-no')).click();
    expect(await $(byTestId('evidence-prompt')).isExisting()).toBe(false);
    await screenshot('review-step-gaps');
    await press('Enter');
    await waitWizard('second_order');
    await press('2');
    await screenshot('review-step-second_order');
    await press('ArrowRight');
    await waitWizard('honesty');
    expect(await $(byTestId('scored-on')).getText()).toContain('replies to the push-backs');
    await $(byTestId('score-honesty-3')).click();
    await screenshot('review-step-honesty');
    await press('Enter');
    // This question does not ask how the candidate felt: no feeling step, and the feelings step says so.
    expect(await ratingCriteria()).toEqual(['complexity', 'gaps', 'second_order', 'honesty']);
    await waitWizard('feelings');
    expect(await $(byTestId('feeling-not-asked')).isDisplayed()).toBe(true);
    await $(byTestId('feeling-anxious-4')).click();
    await $(byTestId('feeling-curious-2')).click();
    await $(byTestId('feelings-note')).setValue('Tight chest when I guessed.');
    await screenshot('review-step-feelings');
    await $(byTestId('wizard-next')).click();
    await waitWizard('flags');
    await $(byTestId('flag-cliche_lesson')).click();
    await $(byTestId('flag-reaching_for_framework')).click();
    await screenshot('review-step-flags');
    // A long step scrolled to its end: the player and Next are still on screen, uncovered.
    const reachable = await browser.execute((ids: string[]) => {
      window.scrollTo({ top: document.body.scrollHeight, behavior: 'instant' });
      return ids.map((id) => {
        const el = document.querySelector(`[data-testid="${id}"]`);
        const r = el?.getBoundingClientRect();
        if (!el || !r) return `${id}: missing`;
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return `${id}: ${window.scrollY > 0 && r.top >= 0 && r.bottom <= window.innerHeight && !!hit && el.contains(hit) ? 'reachable' : 'hidden'}`;
      });
    }, ['review-play', 'wizard-next']);
    expect(reachable).toEqual(['review-play: reachable', 'wizard-next: reachable']);
    await screenshot('review-step-flags-scrolled');
    await $(byTestId('wizard-next')).click();
    await waitWizard('commitment');
    await $(byTestId('commitment')).setValue('Name the tension in the first minute.');
    await screenshot('review-step-commitment');
    await $(byTestId('wizard-next')).click();
    await waitWizard('save');
    // A draft was saved on the way.
    expect(dbQuery("SELECT step FROM ratings WHERE status = 'draft'")).toEqual([{ step: 7 }]);
    await screenshot('review-step-save');
    await $(byTestId('save-rating')).click();
    await $(byTestId('after-save')).waitForDisplayed({ timeout: 10_000 });
    expect(await $(byTestId('exemplar')).getText()).toContain('Example answers');
    await screenshot('review-step-after-save');
  });

  it('stored exactly what was entered', async () => {
    const ratings = dbQuery(`SELECT id, kind, status, step, feelings_note, commitment FROM ratings WHERE take_id = '${takeId}'`);
    expect(ratings).toHaveLength(1);
    const r = ratings[0] as { id: string };
    expect(ratings[0]).toEqual({
      id: r.id,
      kind: 'reviewed',
      status: 'saved',
      step: 7,
      feelings_note: 'Tight chest when I guessed.',
      commitment: 'Name the tension in the first minute.',
    });
    expect(dbQuery(`SELECT criterion, score, note FROM rating_scores WHERE rating_id = '${r.id}' ORDER BY criterion`)).toEqual([
      { criterion: 'complexity', score: 4, note: 'Named the tension late' },
      { criterion: 'gaps', score: 5, note: '' },
      { criterion: 'honesty', score: 3, note: '' },
      { criterion: 'second_order', score: 2, note: '' },
    ]);
    expect(dbQuery(`SELECT criterion, check_index, answer FROM rating_checks WHERE rating_id = '${r.id}' ORDER BY criterion, check_index`)).toEqual([
      { criterion: 'complexity', check_index: 0, answer: 'yes' },
      { criterion: 'complexity', check_index: 1, answer: 'partly' },
      { criterion: 'gaps', check_index: 2, answer: 'no' },
    ]);
    expect(dbQuery(`SELECT flag FROM rating_flags WHERE rating_id = '${r.id}' ORDER BY flag`)).toEqual([
      { flag: 'cliche_lesson' },
      { flag: 'reaching_for_framework' },
    ]);
    expect(dbQuery(`SELECT feeling, intensity FROM rating_feelings WHERE rating_id = '${r.id}' ORDER BY feeling`)).toEqual([
      { feeling: 'anxious', intensity: 4 },
      { feeling: 'curious', intensity: 2 },
    ]);
    const markers = dbQuery<{ tag: string; note: string; at_s: number }>(`SELECT tag, note, at_s FROM markers WHERE take_id = '${takeId}'`);
    expect(markers.map((m) => [m.tag, m.note])).toEqual([['gaps', 'Framework here']]);
    expect(markers[0]!.at_s).toBeGreaterThan(0.5);
    expect(dbQuery(`SELECT status FROM reviews WHERE take_id = '${takeId}'`)).toEqual([{ status: 'done' }]);
  });

  it('reopening the answer shows the same values', async () => {
    await $('button=← All answers').click();
    await $(byTestId('tab-reviewed')).click();
    await $(byTestId('reviewed-open')).click();
    await $(byTestId('saved-ratings')).waitForDisplayed({ timeout: 10_000 });
    const scores: Record<string, string> = {};
    for (const k of ['complexity', 'gaps', 'second_order', 'honesty']) {
      scores[k] = (await $(byTestId(`saved-reviewed-${k}`)).getText()).trim();
    }
    expect(scores).toEqual({ complexity: '4', gaps: '5', second_order: '2', honesty: '3' });
    expect(await $(byTestId('saved-commitment')).getText()).toContain('Name the tension in the first minute.');
    expect(await $(byTestId('marker-tag')).getValue()).toBe('gaps');
    await screenshot('review-reopened');
  });

  it('shows the commitment at the start of the next practice of that question', async () => {
    const questionId = dbQuery<{ question_id: string }>(`SELECT question_id FROM takes WHERE id = '${takeId}'`)[0]!.question_id;
    await $(byTestId('nav-library')).click();
    const row = await $(`${byTestId('library-row')}[data-question-id="${questionId}"]`);
    await row.waitForDisplayed({ timeout: 15_000 });
    await row.$(byTestId('practice-question')).click();
    const last = await $(byTestId('last-commitment'));
    await last.waitForDisplayed({ timeout: 10_000 });
    expect(await last.getText()).toBe('Last time you decided: Name the tension in the first minute.');
    await screenshot('review-commitment-in-practice');
  });
});
