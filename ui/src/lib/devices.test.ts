import { describe, expect, it } from 'vitest';
import { deviceName, deviceOptions } from './devices';

const devices = [
  { id: 'alsa:default', name: 'Default Audio Device', is_default: true },
  { id: 'alsa:pulse', name: 'PulseAudio Sound Server', is_default: false },
];

describe('deviceOptions', () => {
  it('puts the system default first, naming it, then every device', () => {
    const o = deviceOptions(devices, null);
    expect(o.map((x) => x.value)).toEqual(['', 'alsa:default', 'alsa:pulse']);
    expect(o.map((x) => x.label)).toEqual(['System default', "The sound system's default input", 'PulseAudio Sound Server']);
  });
  it('keeps a saved device that is not connected, marked missing', () => {
    const o = deviceOptions(devices, 'alsa:usb-mic');
    expect(o.at(-1)).toEqual({ value: 'alsa:usb-mic', label: 'alsa:usb-mic (not connected)', missing: true });
  });
  it('works with no devices at all', () => {
    expect(deviceOptions([], null)).toEqual([{ value: '', label: 'System default', missing: false }]);
  });
});

describe('deviceName', () => {
  it("shortens the sound system's descriptions to one plain name", () => {
    expect(deviceName('Default Audio Device')).toBe('System default');
    expect(deviceName('Playback/recording through the PulseAudio sound server')).toBe('PulseAudio sound server');
    expect(deviceName('HDA Intel PCH, ALC3246 Analog\nFront microphone')).toBe('HDA Intel PCH, ALC3246 Analog — Front microphone');
    expect(deviceName('Discard all samples (playback) or generate zero samples (capture)')).toMatch(/^Silence/);
    expect(deviceName(null)).toBe('System default');
  });
});
