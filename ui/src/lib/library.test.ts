import { describe, expect, it } from 'vitest';
import type { Category, LibraryEntry, Question } from './backend';
import {
  countLabel,
  criterionLabel,
  distinctReadings,
  draftProblems,
  emptyFilter,
  filterEntries,
  formFromQuestion,
  formField,
  importedLabel,
  isFiltered,
  matchesFilter,
  newForm,
  parsePushbacks,
  readingAfterCategoryChange,
  toDraft,
  toggleCriterion,
  type DraftForm,
} from './library';

const categories: Category[] = [
  { id: 'rsp', name: 'Responsible Scaling Policy', reading: 'Responsible Scaling Policy', blurb: '', position: true },
  { id: 'disagreeing', name: 'Disagreeing well', reading: 'How to disagree well', blurb: '', position: false },
];

function question(patch: Partial<Question> = {}): Question {
  return {
    id: 'q1',
    prompt: 'What triggers ASL-3?',
    category: 'rsp',
    category_name: 'Responsible Scaling Policy',
    category_blurb: '',
    reading: 'Responsible Scaling Policy',
    criteria: ['gaps'],
    pushbacks: ['Why that one?'],
    ...patch,
  };
}

function entry(patch: Partial<Question> = {}, flags: Partial<Omit<LibraryEntry, 'question'>> = {}): LibraryEntry {
  return { question: question(patch), custom: false, hidden: false, ...flags };
}

const entries: LibraryEntry[] = [
  entry({ id: 'a' }),
  entry(
    {
      id: 'b',
      prompt: 'When did you change your mind?',
      category: 'disagreeing',
      category_name: 'Disagreeing well',
      reading: 'How to disagree well',
      criteria: ['honesty', 'feeling'],
      pushbacks: ['What evidence moved you?'],
    },
    { hidden: true },
  ),
  entry({ id: 'my-c', prompt: 'Where would the evaluation cycle slip?', criteria: ['second_order'] }, { custom: true }),
];

const ids = (list: LibraryEntry[]) => list.map((e) => e.question.id);

describe('filtering', () => {
  it('shows everything with the empty filter', () => {
    expect(ids(filterEntries(entries, emptyFilter))).toEqual(['a', 'b', 'my-c']);
    expect(isFiltered(emptyFilter)).toBe(false);
  });

  it('filters by category, reading and criterion', () => {
    expect(ids(filterEntries(entries, { ...emptyFilter, category: 'rsp' }))).toEqual(['a', 'my-c']);
    expect(ids(filterEntries(entries, { ...emptyFilter, reading: 'How to disagree well' }))).toEqual(['b']);
    expect(ids(filterEntries(entries, { ...emptyFilter, criterion: 'honesty' }))).toEqual(['b']);
    expect(ids(filterEntries(entries, { ...emptyFilter, category: 'rsp', criterion: 'honesty' }))).toEqual([]);
    expect(isFiltered({ ...emptyFilter, criterion: 'gaps' })).toBe(true);
  });

  it('can leave hidden questions out', () => {
    expect(ids(filterEntries(entries, { ...emptyFilter, showHidden: false }))).toEqual(['a', 'my-c']);
    expect(isFiltered({ ...emptyFilter, showHidden: false })).toBe(false);
  });

  it('searches prompt, category, reading and push-backs; every word must match, any case', () => {
    const find = (search: string) => ids(filterEntries(entries, { ...emptyFilter, search }));
    expect(find('  ')).toEqual(['a', 'b', 'my-c']);
    expect(find('asl')).toEqual(['a']);
    expect(find('EVALUATION slip')).toEqual(['my-c']);
    expect(find('evaluation mind')).toEqual([]);
    expect(find('disagreeing')).toEqual(['b']);
    expect(find('evidence')).toEqual(['b']);
    expect(isFiltered({ ...emptyFilter, search: ' x ' })).toBe(true);
  });

  it('checks one entry', () => {
    expect(matchesFilter(entries[1]!, { ...emptyFilter, criterion: 'feeling' })).toBe(true);
    expect(matchesFilter(entries[1]!, { ...emptyFilter, criterion: 'feeling', showHidden: false })).toBe(false);
  });

  it('lists the distinct readings, sorted', () => {
    expect(distinctReadings(entries)).toEqual(['How to disagree well', 'Responsible Scaling Policy']);
    expect(distinctReadings([])).toEqual([]);
  });

  it('counts', () => {
    expect(countLabel(3, 52)).toBe('3 of 52 questions');
    expect(countLabel(1, 1)).toBe('1 of 1 question');
    expect(countLabel(0, 0)).toBe('0 of 0 questions');
  });

  it('labels criteria', () => {
    expect(criterionLabel('gaps')).toBe('Knowledge gaps');
    expect(criterionLabel('second_order')).toBe('Second-order effects');
    expect(criterionLabel('honesty')).toBe('Honesty under push-back');
    expect(criterionLabel('feeling')).toBe('Feelings check');
    expect(criterionLabel('complexity')).toBe('Complexity');
    expect(criterionLabel('charm')).toBe('charm');
  });
});

describe('the add/edit form', () => {
  const good: DraftForm = {
    category: 'rsp',
    reading: '  Responsible Scaling Policy ',
    prompt: '  What would you measure first?\n',
    criteria: ['gaps'],
    pushbacksText: 'Why that?\n\n   \r\n  And then?  \n',
  };

  it('parses push-backs one per line, trimmed, blank lines dropped', () => {
    expect(parsePushbacks('')).toEqual([]);
    expect(parsePushbacks('\n  \n')).toEqual([]);
    expect(parsePushbacks(' one \r\ntwo\n\nthree ')).toEqual(['one', 'two', 'three']);
  });

  it('makes a trimmed draft', () => {
    expect(toDraft(good)).toEqual({
      category: 'rsp',
      reading: 'Responsible Scaling Policy',
      prompt: 'What would you measure first?',
      criteria: ['gaps'],
      pushbacks: ['Why that?', 'And then?'],
    });
    expect(draftProblems(good)).toEqual([]);
  });

  it('lists every problem of an incomplete form', () => {
    const problems = draftProblems({ category: '', reading: ' ', prompt: '\n', criteria: [], pushbacksText: ' \n ' });
    expect(problems).toEqual([
      { field: 'category', text: 'Choose a category.' },
      { field: 'prompt', text: 'Write the question.' },
      { field: 'criteria', text: 'Tick at least one criterion.' },
      { field: 'pushbacksText', text: 'Write at least one push-back.' },
    ]);
    expect(draftProblems({ ...good, prompt: 'x'.repeat(2001) }).map((p) => p.text)).toEqual(['Keep the question under 2000 characters.']);
    expect(
      draftProblems({ ...good, pushbacksText: Array.from({ length: 21 }, (_, i) => `p${i}`).join('\n') }).map((p) => p.field),
    ).toEqual(['pushbacksText']);
  });

  it('starts a new question with the category reading filled in', () => {
    expect(newForm(categories)).toEqual({
      category: 'rsp',
      reading: 'Responsible Scaling Policy',
      prompt: '',
      criteria: [],
      pushbacksText: '',
    });
    expect(newForm(categories, 'disagreeing').reading).toBe('How to disagree well');
    expect(newForm(categories, 'nope').category).toBe('rsp');
    expect(newForm([]).category).toBe('');
  });

  it('fills the form from a question and back', () => {
    const q = question({ pushbacks: ['One', 'Two'], criteria: ['gaps', 'honesty'] });
    const form = formFromQuestion(q);
    expect(form.pushbacksText).toBe('One\nTwo');
    expect(toDraft(form)).toEqual({
      category: q.category,
      reading: q.reading,
      prompt: q.prompt,
      criteria: q.criteria,
      pushbacks: q.pushbacks,
    });
    form.criteria.push('feeling');
    expect(q.criteria).toEqual(['gaps', 'honesty']);
  });

  it('follows the category reading unless the user typed their own', () => {
    expect(readingAfterCategoryChange(categories, 'Responsible Scaling Policy', 'rsp', 'disagreeing')).toBe(
      'How to disagree well',
    );
    expect(readingAfterCategoryChange(categories, '', 'rsp', 'disagreeing')).toBe('How to disagree well');
    expect(readingAfterCategoryChange(categories, 'My own notes', 'rsp', 'disagreeing')).toBe('My own notes');
  });

  it('toggles criteria in the bank order', () => {
    const all = ['complexity', 'gaps', 'second_order', 'honesty', 'feeling'];
    expect(toggleCriterion(['honesty'], 'gaps', true, all)).toEqual(['gaps', 'honesty']);
    expect(toggleCriterion(['gaps', 'honesty'], 'gaps', false, all)).toEqual(['honesty']);
    expect(toggleCriterion(['gaps'], 'gaps', true, all)).toEqual(['gaps']);
    expect(toggleCriterion(['odd'], 'feeling', true, all)).toEqual(['feeling', 'odd']);
  });

  it('names the form field a problem from Candor is about', () => {
    expect(formField('pushbacks')).toBe('pushbacksText');
    expect(formField('prompt')).toBe('prompt');
    expect(formField('id')).toBeNull();
    expect(formField(undefined)).toBeNull();
  });
});

describe('import', () => {
  it('says how many were imported', () => {
    expect(importedLabel(2)).toBe('Imported 2 questions');
    expect(importedLabel(1)).toBe('Imported 1 question');
  });
});
