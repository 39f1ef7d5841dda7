// e2e-audio: silent
// Library: an import with two errors shows both with their line numbers and imports nothing;
// the fixed file imports and its questions appear. Also: filters, hiding a shipped question,
// adding and deleting one of your own, and export.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { byTestId, dataDir, screenshot } from '../helpers.js';

const FILE_NAME = 'my-questions.toml';

const badToml = `version = 1

[[questions]]
id = "e2e-mine-1"
category = "nope"
reading = "Responsible Scaling Policy"
prompt = "Which ASL-3 safeguard would you test first, and why that one?"
criteria = ["gaps"]
pushbacks = ["What would a failed test look like?", "Who would disagree?"]

[[questions]]
id = "e2e-mine-2"
category = "behavioral"
reading = "Behavioral"
prompt = "Tell me about a time you changed your mind about a plan you had championed."
criteria = ["honesty", "charm"]
pushbacks = ["What did it cost you to say so?"]
`;
const goodToml = badToml.replace('"nope"', '"rsp"').replace(', "charm"', '');

/** 1-based number of the line holding `needle`. */
function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`'${needle}' not in the file`);
  return i + 1;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-library-'));
const filePath = path.join(tmp, FILE_NAME);

const count = async () => {
  const el = await $(byTestId('library-count'));
  return {
    shown: Number(await el.getAttribute('data-shown')),
    total: Number(await el.getAttribute('data-total')),
    text: (await el.getText()).trim(),
  };
};
const row = (id: string) => $(`${byTestId('library-row')}[data-question-id="${id}"]`);

let howFileWasSet = '';

/** Working folders of the app processes of this run (found by their CANDOR_DATA_DIR). */
function appCwds(): string[] {
  const mark = `CANDOR_DATA_DIR=${dataDir()}`;
  const out = new Set<string>();
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const env = fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      if (!env.includes(mark) || !fs.readlinkSync(`/proc/${pid}/exe`).endsWith('/candor')) continue;
      out.add(fs.readlinkSync(`/proc/${pid}/cwd`));
    } catch {
      // gone, or not ours
    }
  }
  return [...out];
}

/** candor-questions*.toml files in `dir` written since `since` (ms). */
function exportedFiles(dir: string, since: number): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => /^candor-questions.*\.toml$/.test(f))
    .map((f) => path.join(dir, f))
    .filter((f) => fs.statSync(f).mtimeMs >= since);
}

/**
 * Choose `file` in the import input, the way that works with this driver (remembered), and wait
 * for `outcome` (a data-testid) to appear.
 */
async function chooseFile(file: string, outcome: 'import-errors' | 'import-result'): Promise<void> {
  const input = await $(byTestId('import-file'));
  await input.waitForExist();
  const ways: Record<string, () => Promise<unknown>> = {
    setValue: () => input.setValue(file),
    addValue: () => input.addValue(file),
    'execute+DataTransfer': () =>
      browser.execute(
        (sel: string, name: string, text: string) => {
          const el = document.querySelector(sel) as HTMLInputElement;
          const dt = new DataTransfer();
          dt.items.add(new File([text], name, { type: 'text/plain' }));
          el.files = dt.files;
          el.dispatchEvent(new Event('change', { bubbles: true }));
        },
        byTestId('import-file'),
        path.basename(file),
        fs.readFileSync(file, 'utf8'),
      ),
  };
  const order = howFileWasSet ? [howFileWasSet] : Object.keys(ways);
  const tried: string[] = [];
  for (const name of order) {
    try {
      await ways[name]!();
    } catch (e) {
      tried.push(`${name}: ${(e as Error).message.split('\n')[0]}`);
      continue;
    }
    const ok = await browser
      .waitUntil(() => $(byTestId(outcome)).isExisting(), { timeout: 8_000 }).catch(() => false);
    if (ok) {
      if (!howFileWasSet) console.log(`[e2e] file input set with ${name} (failed before: ${JSON.stringify(tried)})`);
      howFileWasSet = name;
      return;
    }
    tried.push(`${name}: no import outcome appeared`);
  }
  throw new Error(`could not set the file input: ${tried.join('; ')}`);
}

describe('library', () => {
  let before = { shown: 0, total: 0, text: '' };

  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('opens the Library with the shipped questions', async () => {
    const nav = await $(byTestId('nav-library'));
    await nav.waitForClickable({ timeout: 30_000, timeoutMsg: 'nav-library never became clickable' });
    await nav.click();
    await $(byTestId('library')).waitForDisplayed();
    await browser.waitUntil(async () => (await count()).total > 0, {
      timeoutMsg: 'library-count never showed any question',
    });
    before = await count();
    console.log(`[e2e] library count: "${before.text}"`);
    await browser.pause(300);
    expect(before.shown).toBe(before.total);
    expect(before.text).toBe(`${before.total} of ${before.total} questions`);
    expect(await $$(byTestId('library-row')).length).toBe(before.total);
    await screenshot('library-start');
  });

  it('filters by criterion and search', async () => {
    await $(byTestId('filter-criterion')).selectByAttribute('value', 'honesty');
    await browser.waitUntil(async () => (await count()).shown < before.total, {
      timeoutMsg: 'the criterion filter did not narrow the list',
    });
    const c = await count();
    expect(c.shown).toBeGreaterThan(0);
    expect(await $$(byTestId('library-row')).length).toBe(c.shown);
    await $(byTestId('clear-filters')).click();
    await $(byTestId('filter-search')).setValue('zzzz-no-such-words');
    await browser.waitUntil(async () => (await count()).shown === 0);
    await $(byTestId('library-empty')).waitForDisplayed();
    await $(byTestId('clear-filters')).click();
    await browser.waitUntil(async () => (await count()).shown === before.total, {
      timeoutMsg: 'clearing the filters did not bring every question back',
    });
  });

  it('an import with two errors shows both with their lines, in plain words, and imports nothing', async () => {
    fs.writeFileSync(filePath, badToml);
    const categoryLine = lineOf(badToml, '"nope"');
    const criterionLine = lineOf(badToml, '"charm"');
    expect([categoryLine, criterionLine]).toEqual([5, 16]);
    await chooseFile(filePath, 'import-errors');

    const list = await $(byTestId('import-errors'));
    await list.waitForDisplayed({ timeoutMsg: 'import-errors did not appear' });
    const items = await list.$$('li');
    const texts: string[] = [];
    for (const li of items) texts.push((await li.getText()).trim());
    console.log(`[e2e] import errors:\n  ${texts.join('\n  ')}`);
    expect(texts.length).toBe(2);
    expect(texts[0]).toContain(`Line ${categoryLine}`);
    expect(texts[0]).toContain('The category “nope” is not one of Candor');
    expect(texts[1]).toContain(`Line ${criterionLine}`);
    expect(texts[1]).toContain('“charm” is not one of the five criteria');
    // The parser's own wording stays in the log.
    for (const t of texts) expect(t).not.toMatch(/unknown (category|criterion) '/);
    const failure = (await $(byTestId('import-failure')).getText()).trim();
    expect(failure).toMatch(/nothing was imported/i);
    expect(await $(byTestId('import-result')).isExisting()).toBe(false);

    const after = await count();
    expect(after.total).toBe(before.total);
    expect(await row('e2e-mine-1').isExisting()).toBe(false);
    expect(await row('e2e-mine-2').isExisting()).toBe(false);
    await screenshot('library-import-errors');
  });

  it('the fixed file imports and its questions appear', async () => {
    fs.writeFileSync(filePath, goodToml);
    await chooseFile(filePath, 'import-result');
    const result = await $(byTestId('import-result'));
    await result.waitForDisplayed({ timeoutMsg: 'import-result did not appear' });
    expect((await result.getText()).trim()).toContain('Imported 2 questions');
    expect(await $(byTestId('import-errors')).isExisting()).toBe(false);
    await browser.waitUntil(async () => (await count()).total === before.total + 2, {
      timeoutMsg: 'library-count did not grow by 2',
    });
    for (const id of ['e2e-mine-1', 'e2e-mine-2']) {
      const r = await row(id);
      await r.waitForExist({ timeoutMsg: `no library-row for ${id}` });
      expect(await r.getAttribute('data-custom')).toBe('true');
    }
    expect(await (await row('e2e-mine-2')).$(byTestId('library-prompt')).getText()).toContain(
      'changed your mind',
    );
    await (await row('e2e-mine-1')).scrollIntoView({ block: 'center' });
    await screenshot('library-imported');
  });

  it('hides a shipped question and shows it again', async () => {
    const shipped = await $(`${byTestId('library-row')}[data-custom="false"][data-hidden="false"]`);
    const id = (await shipped.getAttribute('data-question-id')) ?? '';
    expect(id).not.toBe('');
    const r = await row(id);
    await r.scrollIntoView({ block: 'center' });
    await r.$(byTestId('toggle-hidden')).click();
    await browser.waitUntil(async () => (await r.getAttribute('data-hidden')) === 'true', {
      timeoutMsg: `row ${id} was not marked hidden`,
    });
    await r.$(byTestId('hidden-badge')).waitForDisplayed();
    expect((await r.$(byTestId('toggle-hidden')).getText()).trim()).toBe('Show');
    await screenshot('library-hidden');
    // Leaving hidden questions out of the list.
    await $(byTestId('show-hidden')).click();
    await browser.waitUntil(async () => !(await row(id).isExisting()), { timeoutMsg: 'hidden row still listed' });
    expect((await count()).shown).toBe(before.total + 2 - 1);
    await $(byTestId('show-hidden')).click();
    await row(id).waitForExist();
    await row(id).$(byTestId('toggle-hidden')).click();
    await browser.waitUntil(async () => (await row(id).getAttribute('data-hidden')) === 'false', {
      timeoutMsg: `row ${id} was not shown again`,
    });
  });

  it('adds a question of your own, then deletes it after confirming', async () => {
    await $(byTestId('add-question')).click();
    const form = await $(byTestId('question-form'));
    await form.waitForDisplayed();
    // Saving an empty form lists what is missing.
    await form.$(byTestId('form-save')).click();
    const problems = await form.$(byTestId('form-problems'));
    await problems.waitForDisplayed();
    expect(await problems.getText()).toContain('Write the question.');
    await form.$(byTestId('form-prompt')).setValue('What is the strongest argument against your own view?');
    await form.$(byTestId('form-criterion-honesty')).click();
    // (WebDriver types a new line with the Enter key, U+E007)
    await form.$(byTestId('form-pushbacks')).setValue('Say more.\uE007\uE007And if you are wrong?');
    await screenshot('library-add-form');
    await form.$(byTestId('form-save')).click();
    await form.waitForExist({ reverse: true, timeoutMsg: 'the form did not close after saving' });
    await browser.waitUntil(async () => (await count()).total === before.total + 3, {
      timeoutMsg: 'the new question was not listed',
    });
    const mine = await $(`${byTestId('library-row')}[data-question-id^="my-"]`);
    await mine.waitForExist();
    await mine.scrollIntoView({ block: 'center' });
    const id = (await mine.getAttribute('data-question-id')) ?? '';
    expect(id).not.toBe('');
    expect(await mine.$(byTestId('library-prompt')).getText()).toContain('strongest argument');

    // Edit it: the form holds what was saved (blank push-back lines dropped).
    await mine.$(byTestId('edit-question')).click();
    const edit = await $(byTestId('question-form'));
    await edit.waitForDisplayed();
    expect(await edit.$(byTestId('form-pushbacks')).getValue()).toBe('Say more.\nAnd if you are wrong?');
    expect(await edit.$(byTestId('form-criterion-honesty')).isSelected()).toBe(true);
    await edit.$(byTestId('form-prompt')).setValue('What is the best argument against your own view?');
    await edit.$(byTestId('form-save')).click();
    await edit.waitForExist({ reverse: true, timeoutMsg: 'the edit form did not close after saving' });
    await browser.waitUntil(
      async () => (await row(id).$(byTestId('library-prompt')).getText()).includes('best argument'),
      { timeoutMsg: 'the edited prompt was not shown' },
    );

    const again = await row(id);
    await again.$(byTestId('delete-question')).click();
    await again.$(byTestId('delete-confirm')).waitForDisplayed();
    await screenshot('library-delete-confirm');
    await again.$(byTestId('confirm-delete')).click();
    await browser.waitUntil(async () => !(await row(id).isExisting()), {
      timeoutMsg: 'the deleted question is still listed',
    });
    expect((await count()).total).toBe(before.total + 2);
  });

  it('exports your questions', async () => {
    const started = Date.now() - 1000;
    await $(byTestId('export-questions')).click();
    const panel = await $(byTestId('export-result'));
    await panel.waitForDisplayed({ timeoutMsg: 'export-result did not appear' });
    expect(await panel.getText()).toContain('Exported 2 questions');
    // Candor sends downloads to the user's Downloads folder (created if missing), never over a file.
    const downloads = path.join(path.dirname(dataDir()), 'home', 'Downloads');
    let found: string[] = [];
    await browser.waitUntil(
      () => {
        found = exportedFiles(downloads, started);
        return found.length > 0;
      },
      { timeout: 10_000, timeoutMsg: `no exported file appeared in ${downloads}` },
    );
    console.log(`[e2e] export download: ${found.join(', ')}`);
    try {
      expect(found.length).toBe(1);
      for (const f of found) expect(fs.readFileSync(f, 'utf8')).toContain('id = "e2e-mine-1"');
      expect(appCwds().flatMap((d) => exportedFiles(d, started))).toEqual([]);
    } finally {
      for (const f of found) fs.rmSync(f, { force: true });
    }
    await screenshot('library-export');
  });

});
