// Choices for the input picker, kept out of Svelte for testing.
import type { Device } from './backend';

export interface DeviceOption {
  value: string; // '' follows the system default
  label: string;
  missing: boolean;
}

/**
 * A device's name as a person reads it: the sound system's long descriptions shortened
 * ("Playback/recording through the PulseAudio sound server" is "PulseAudio sound server"), its
 * stand-in for the default called what it is ("System default"), one line only.
 */
export function deviceName(raw: string | null | undefined): string {
  const lines = (raw ?? '').split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
  if (lines.length === 0) return 'System default';
  let name = lines.join(' — ');
  if (/^default( audio device)?$/i.test(name)) return 'System default';
  const through = /^playback\/recording through (?:the )?(.*)$/i.exec(name);
  if (through?.[1]) name = through[1];
  if (/^discard all samples/i.test(name)) return 'Silence (a device that records nothing)';
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** The picker's options: the system default first, then every input, and the saved one if it is gone. */
export function deviceOptions(devices: Device[], chosenId: string | null): DeviceOption[] {
  const def = devices.find((d) => d.is_default);
  const defName = def ? deviceName(def.name) : 'System default';
  const named = devices.map((d) => deviceName(d.name));
  const options: DeviceOption[] = [
    { value: '', label: defName === 'System default' ? 'System default' : `System default (${defName})`, missing: false },
    ...devices.map((d, i) => {
      const n = named[i] ?? d.id;
      // The sound system's own "default" input, as opposed to following the system's choice.
      const label = n === 'System default' ? "The sound system's default input" : n;
      // Two inputs with the same name are told apart by their id.
      const twin = named.filter((x) => x === n).length > 1;
      return { value: d.id, label: twin ? `${label} (${d.id})` : label, missing: false };
    }),
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
