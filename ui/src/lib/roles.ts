// The user's role (Settings): the round is the same for every role; Candor only words a few
// questions for the one chosen. The keys are core's (`bank::ROLES`); null is any role.

/** The roles offered, in the select's order ('' stands for any role). */
export const ROLE_CHOICES: readonly { value: string; label: string }[] = [
  { value: '', label: 'Any role' },
  { value: 'pm', label: 'Product manager' },
  { value: 'engineer', label: 'Engineer' },
  { value: 'researcher', label: 'Researcher' },
  { value: 'sales', label: 'Sales' },
];

/** The select's value for a stored role. */
export function roleValue(role: string | null): string {
  return role !== null && ROLE_CHOICES.some((c) => c.value === role) ? role : '';
}

/** The role to store for the select's value (null: any role). */
export function roleFromValue(value: string): string | null {
  return value !== '' && ROLE_CHOICES.some((c) => c.value === value) ? value : null;
}
