import { describe, expect, it } from 'vitest';
import { addPage, emptyPaged, moreLabel, notShown, type Paged } from './paging';

const rows = (...ids: string[]) => ids.map((id) => ({ id }));

describe('paged lists', () => {
  it('says how many are not shown, by page', () => {
    const list: Paged<{ id: string }> = { items: rows('a', 'b'), total: 130 };
    expect(notShown(list)).toBe(128);
    expect(moreLabel(list, 50)).toBe('Show 50 more (128 not shown)');
    expect(moreLabel({ items: rows('a'), total: 3 }, 50)).toBe('Show the other 2');
    expect(moreLabel({ items: rows('a'), total: 1 }, 50)).toBeNull();
    expect(moreLabel(emptyPaged(), 50)).toBeNull();
  });

  it('adds a page without duplicates and takes the newer total', () => {
    const list = { items: rows('a', 'b'), total: 4 };
    const next = addPage(list, rows('b', 'c'), 5);
    expect(next.items.map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect(next.total).toBe(5);
    // A stale lower total never hides loaded rows.
    expect(addPage(list, rows('c', 'd', 'e'), 2).total).toBe(5);
  });

  it('tells rows apart by the key it is given', () => {
    const list = { items: [{ take: { id: 'a' } }], total: 2 };
    const next = addPage(list, [{ take: { id: 'a' } }, { take: { id: 'b' } }], 2, (r) => r.take.id);
    expect(next.items.map((r) => r.take.id)).toEqual(['a', 'b']);
  });

  it('an empty page ends the list', () => {
    const next = addPage({ items: rows('a'), total: 9 }, [], 9);
    expect(next.total).toBe(1);
    expect(moreLabel(next, 50)).toBeNull();
  });
});
