// Choices for the input picker, kept out of Svelte for testing.
import type { Device } from './backend';

export interface DeviceOption {
  value: string; // '' follows the system default
  label: string;
  missing: boolean;
}

/** The picker's options: the system default first, then every input, and the saved one if it is gone. */
export function deviceOptions(devices: Device[], chosenId: string | null): DeviceOption[] {
  const def = devices.find((d) => d.is_default);
  const options: DeviceOption[] = [
    { value: '', label: def ? `System default (${def.name})` : 'System default', missing: false },
    ...devices.map((d) => ({ value: d.id, label: d.name === d.id ? d.id : `${d.name} — ${d.id}`, missing: false })),
  ];
  if (chosenId && !devices.some((d) => d.id === chosenId)) {
    options.push({ value: chosenId, label: `${chosenId} (not connected)`, missing: true });
  }
  return options;
}

/** Recording rates offered, with what they cost on disk. */
export const RATE_OPTIONS = [
  { value: 16000, label: '16 kHz — speech (≈1.9 MB a minute)' },
  { value: 24000, label: '24 kHz (≈2.9 MB a minute)' },
  { value: 48000, label: '48 kHz — studio (≈5.8 MB a minute)' },
] as const;
