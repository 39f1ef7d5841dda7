import { describe, expect, it, vi } from 'vitest';
import type { Question, RubricCriterion, Take } from './backend';
import { PracticeSession } from './practice';
import { DESTINATIONS, navKey } from './leave';
import { SHORTCUT_GROUPS, isHelpKey, type Shortcut } from './shortcuts';
import { fakeBackend, sampleTake } from './testing';
import { wizardKey, type Step } from './wizard';

const base = { key: '?', ctrlKey: false, altKey: false, metaKey: false, repeat: false, target: null };

/** The `KeyboardEvent.key` a label on the sheet stands for. */
function eventKey(label: string): string {
  const named: Record<string, string> = { Esc: 'Escape', Space: ' ', '←': 'ArrowLeft', '→': 'ArrowRight' };
  return named[label] ?? (label.length === 1 ? label.toLowerCase() : label);
}

function group(title: string): Shortcut[] {
  const g = SHORTCUT_GROUPS.find((x) => x.title === title);
  if (!g) throw new Error(`no group ${title}`);
  return g.shortcuts;
}

const question: Question = {
  id: 'rsp-1', prompt: 'What breaks first?', category: 'rsp', category_name: 'RSP', category_blurb: '',
  reading: 'Responsible Scaling Policy', criteria: ['complexity'], pushbacks: ['Why that?'],
};

/** A practice session driven by keys to `step` (decide, confirm-retake, pushback or replied). */
async function sessionAt(step: string): Promise<PracticeSession> {
  let n = 0;
  const fb = fakeBackend({
    pushback: vi.fn(async (_q: string, _answer: string, i: number) => {
      const text = ['Why that?', 'And then?'][i];
      return text ? { text, rule: 'question', reason: 'one of the question’s own' } : null;
    }),
    stopRecording: vi.fn(async () => {
      n += 1;
      const t: Take = sampleTake({ id: String(n).padStart(32, '0') });
      return { take: t, problem: null };
    }),
  });
  const s = new PracticeSession(fb.backend, { question, maxPushbacks: 3, thinkTimeS: 0 }, () => {}, () => {});
  await s.key(' ');
  await s.key(' ');
  if (step === 'confirm-retake') await s.key('r');
  if (step === 'pushback' || step === 'replied') await s.key('Enter');
  if (step === 'replied') {
    await s.key(' ');
    await s.key(' ');
  }
  expect(s.step.kind).toBe(step);
  return s;
}

describe('isHelpKey', () => {
  it('opens on ? and F1', () => {
    expect(isHelpKey(base)).toBe(true);
    expect(isHelpKey({ ...base, key: 'F1' })).toBe(true);
  });
  it('leaves other keys, modified keys and auto-repeat alone', () => {
    expect(isHelpKey({ ...base, key: '/' })).toBe(false);
    expect(isHelpKey({ ...base, ctrlKey: true })).toBe(false);
    expect(isHelpKey({ ...base, repeat: true })).toBe(false);
  });
  it('lets a "?" be typed into a field', () => {
    expect(isHelpKey({ ...base, target: document.createElement('input') })).toBe(false);
    expect(isHelpKey({ ...base, target: document.createElement('textarea') })).toBe(false);
  });
});

describe('the shortcuts sheet', () => {
  it('lists every screen with at least one key each, and no row twice', () => {
    for (const g of SHORTCUT_GROUPS) {
      expect(g.shortcuts.length).toBeGreaterThan(0);
      const actions = g.shortcuts.map((s) => s.action);
      expect(new Set(actions).size).toBe(actions.length);
      for (const s of g.shortcuts) expect(s.keys.length).toBeGreaterThan(0);
    }
    expect(SHORTCUT_GROUPS.map((g) => g.title)).toEqual(
      expect.arrayContaining(['Home', 'Practice', 'Review: replay', 'Review: rating']),
    );
  });

  it('lists the rating keys the wizard really takes', () => {
    const criterion = { key: 'complexity' } as RubricCriterion;
    const step: Step = { kind: 'criterion', criterion };
    for (const s of group('Review: rating')) {
      for (const k of s.keys) expect(wizardKey(eventKey(k), step), k).not.toBeNull();
    }
    expect(wizardKey(eventKey('1'), step)).toEqual({ kind: 'score', score: 1 });
    expect(wizardKey(eventKey('←'), step)).toEqual({ kind: 'back' });
  });

  it('lists practice keys that each act in some step of a real practice session', async () => {
    const steps = ['decide', 'confirm-retake', 'pushback', 'replied'];
    for (const s of group('Practice')) {
      for (const label of s.keys) {
        const key = eventKey(label);
        let used = key === ' ';
        for (const step of steps) {
          if (used) break;
          used = await (await sessionAt(step)).key(key);
        }
        expect(used, `${label} (${s.action})`).toBe(true);
      }
    }
  });
});

describe('the navigation keys on the sheet', () => {
  it('run Ctrl+1 to the last screen of the navigation bar, each key going to its screen in order', () => {
    const row = group('Anywhere').find((s) => s.range && s.keys[0]?.startsWith('Ctrl+'));
    expect(row?.keys).toEqual(['Ctrl+1', 'Ctrl+7']);
    const first = Number(row?.keys[0]?.slice(5));
    const last = Number(row?.keys[1]?.slice(5));
    const reached = [];
    for (let k = first; k <= last; k++) {
      reached.push(navKey({ key: String(k), ctrlKey: true, altKey: false, metaKey: false, shiftKey: false, repeat: false }));
    }
    expect(reached).toEqual(DESTINATIONS.map((d) => d.name));
    expect(reached).toContain('positions');
  });

  it('names every screen of the navigation bar', () => {
    const row = group('Anywhere').find((s) => s.range);
    for (const d of DESTINATIONS) expect(row?.action).toContain(d.label);
  });
});
