import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { applySingleKeys, loadSingleKeys } from './lib/keys';
import { applyAppearance, loadAppearance } from './lib/theme';

// Light, dark or the system's, before the first paint.
applyAppearance(loadAppearance());
// Single-key shortcuts, unless turned off in Settings (the key hints follow).
applySingleKeys(loadSingleKeys());

const target = document.getElementById('app');
if (!target) throw new Error('missing #app');
export default mount(App, { target });
