import { describe, expect, it } from 'vitest';
import { deviceOptions } from './devices';

const devices = [
  { id: 'alsa:default', name: 'Default Audio Device', is_default: true },
  { id: 'alsa:pulse', name: 'PulseAudio Sound Server', is_default: false },
];

describe('deviceOptions', () => {
  it('puts the system default first, naming it, then every device', () => {
    const o = deviceOptions(devices, null);
    expect(o.map((x) => x.value)).toEqual(['', 'alsa:default', 'alsa:pulse']);
    expect(o[0]?.label).toBe('System default (Default Audio Device)');
  });
  it('keeps a saved device that is not connected, marked missing', () => {
    const o = deviceOptions(devices, 'alsa:usb-mic');
    expect(o.at(-1)).toEqual({ value: 'alsa:usb-mic', label: 'alsa:usb-mic (not connected)', missing: true });
  });
  it('works with no devices at all', () => {
    expect(deviceOptions([], null)).toEqual([{ value: '', label: 'System default', missing: false }]);
  });
});
