import { describe, expect, it } from 'vitest';
import { dataProblem, isDamagedTake } from './faults';

describe('dataProblem', () => {
  it('explains a database from a newer Candor in its own words (the schema numbers go to the log)', () => {
    const p = dataProblem({ code: 'NewerDatabase', message: 'This data was written by a newer version of Candor (schema 9).' });
    expect(p?.kind).toBe('newer');
    expect(p?.text).toContain('newer version of Candor');
    expect(p?.text).not.toContain('schema');
    expect(p?.steps.join(' ')).toMatch(/latest Candor/);
    expect(p?.steps.join(' ')).toMatch(/backup/);
  });
  it('explains a damaged file and says the recordings are separate', () => {
    const p = dataProblem({ code: 'CorruptDatabase', message: 'Your Candor data file is damaged.' });
    expect(p?.kind).toBe('corrupt');
    expect(p?.steps.join(' ')).toMatch(/recordings/);
  });
  it('leaves every other error to the ordinary banner', () => {
    expect(dataProblem({ code: 'BadBank', message: 'x' })).toBeNull();
    expect(dataProblem({ code: 'Database', message: 'x' })).toBeNull();
    expect(dataProblem(null)).toBeNull();
    expect(dataProblem(undefined)).toBeNull();
  });
});

describe('isDamagedTake', () => {
  it('is true only for a damaged recording', () => {
    expect(isDamagedTake({ code: 'DamagedTake', message: 'x' })).toBe(true);
    expect(isDamagedTake({ code: 'NotFound', message: 'x' })).toBe(false);
    expect(isDamagedTake(null)).toBe(false);
  });
});
