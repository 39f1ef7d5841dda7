// e2e-audio: silent
// My positions: a view written on the Positions page is kept, shown on the question card while
// that reading item's question is practised (not in a mock round), and exported in the JSON.
import fs from 'node:fs';
import path from 'node:path';
import { byTestId, dataDir, dbQuery, screenshot, waitStep } from '../helpers.js';

const downloads = () => path.join(path.dirname(dataDir()), 'home', 'Downloads');
const VIEW = 'The document plans for the intermediate case and hopes for the optimistic one.';

describe('positions', () => {
  let category = '';

  it('writes a position on the reading item of the suggested question', async () => {
    await $(byTestId('practice-suggested')).waitForDisplayed({ timeout: 30_000 });
    // The suggested question's reading item: the first question of the bank, which Home suggests.
    await $(byTestId('nav-positions')).click();
    await $(byTestId('positions')).waitForDisplayed({ timeout: 10_000 });
    category = 'core_views';
    await $(byTestId(`position-view-${category}`)).setValue(VIEW);
    await $(byTestId(`position-change-${category}`)).setValue('Budgets that follow the pessimistic case.');
    await $(byTestId(`position-question-${category}`)).setValue('Which scenario decides next year’s headcount?');
    await $(byTestId(`position-confidence-${category}`)).selectByAttribute('value', '70');
    await browser.waitUntil(
      async () => dbQuery(`SELECT view, confidence FROM positions WHERE category = '${category}'`).length === 1,
      { timeout: 10_000, timeoutMsg: 'the position was not stored' },
    );
    await $(byTestId(`position-saved-${category}`)).waitForDisplayed({ timeout: 10_000 });
    expect(dbQuery(`SELECT view, confidence FROM positions WHERE category = '${category}'`)).toEqual([{ view: VIEW, confidence: 70 }]);
    await screenshot('positions-page');
  });

  it('shows it on the question card while practising that question', async () => {
    await $(byTestId('nav-home')).click();
    await $(byTestId('practice-suggested')).waitForClickable({ timeout: 15_000 });
    await $(byTestId('practice-suggested')).click();
    await waitStep('ready');
    const card = await $(byTestId('card-position'));
    await card.waitForDisplayed({ timeout: 10_000 });
    expect(await card.getText()).toContain(VIEW);
    await screenshot('positions-on-card');
  });

  it('exports it in the JSON', async () => {
    await $(byTestId('nav-data')).click();
    await $(byTestId('export-json')).waitForClickable({ timeout: 10_000 });
    await $(byTestId('export-json')).click();
    const file = path.join(downloads(), 'candor-ratings.json');
    await browser.waitUntil(async () => fs.existsSync(file), { timeout: 10_000, timeoutMsg: 'no JSON export' });
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(json.positions).toHaveLength(1);
    expect(json.positions[0]).toMatchObject({ category, view: VIEW, confidence: 70 });
  });
});
