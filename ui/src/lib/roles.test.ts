import { describe, expect, it } from 'vitest';
import { ROLE_CHOICES, roleFromValue, roleValue } from './roles';

describe('the role setting', () => {
  it('offers any role, then the four roles Candor words questions for', () => {
    expect(ROLE_CHOICES.map((r) => r.value)).toEqual(['', 'pm', 'engineer', 'researcher', 'sales']);
    expect(ROLE_CHOICES[0]?.label).toBe('Any role');
  });
  it('stores null for any role, and a known key as it is', () => {
    expect(roleFromValue('')).toBeNull();
    expect(roleFromValue('engineer')).toBe('engineer');
    expect(roleFromValue('astronaut')).toBeNull();
    expect(roleValue(null)).toBe('');
    expect(roleValue('sales')).toBe('sales');
    expect(roleValue('astronaut')).toBe('');
  });
});
