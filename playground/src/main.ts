// The page: a header with the language toggle, one tab per panel, each panel built when first opened.
import { applyI18n, el, tr } from './dom.js';
import { getLang, onLang, setLang } from './i18n.js';
import { backpropPanel } from './panels/backprop.js';
import { vanishingPanel } from './panels/vanishing.js';
import { rnnGradientPanel } from './panels/rnn-gradient.js';
import { activationsPanel } from './panels/activations.js';
import { optimizersPanel } from './panels/optimizers.js';
import { boundaryPanel } from './panels/boundary.js';
import { digitsPanel } from './panels/digits.js';
import type { Panel } from './panels/panel.js';

const panels: Panel[] = [backpropPanel, vanishingPanel, rnnGradientPanel, activationsPanel, optimizersPanel, boundaryPanel, digitsPanel];
const mounted = new Set<string>();

const langButton = el('button', { class: 'lang', 'data-role': 'lang', i18n: 'lang_toggle' });
langButton.addEventListener('click', () => setLang(getLang() === 'ko' ? 'en' : 'ko'));
const nav = el('nav', { class: 'tabs' });
const main = el('main');
document.body.append(
  el('header', {}, el('div', {}, tr('title', 'h1'), tr('subtitle', 'p')), langButton),
  nav,
  main,
  el('footer', {}, el('a', { href: 'https://github.com/' }, 'deltaflow'), ' · TypeScript + AssemblyScript → WebAssembly SIMD'),
);

for (const p of panels) {
  const tab = el('button', { class: 'tab', 'data-tab': p.id, i18n: p.title });
  tab.addEventListener('click', () => (location.hash = p.id));
  nav.append(tab);
  const figures = p.figures.length ? el('ul', { class: 'figures' }, ...p.figures.map((f) => tr(f, 'li'))) : null;
  main.append(el('section', { id: `panel-${p.id}`, class: 'panel', 'data-panel': p.id, hidden: true }, tr(p.title, 'h2'), figures, tr(p.intro, 'p')));
}

function show(id: string): void {
  const panel = panels.find((p) => p.id === id) ?? panels[0];
  for (const p of panels) {
    const section = document.getElementById(`panel-${p.id}`)!;
    section.hidden = p !== panel;
    nav.querySelector(`[data-tab="${p.id}"]`)!.classList.toggle('on', p === panel);
  }
  if (!mounted.has(panel.id)) {
    mounted.add(panel.id);
    const section = document.getElementById(`panel-${panel.id}`)!;
    panel.mount(section);
    section.dataset.mounted = 'true';
  }
}

onLang(() => {
  document.documentElement.lang = getLang();
  applyI18n();
});
document.documentElement.lang = getLang();
addEventListener('hashchange', () => show(location.hash.slice(1)));
show(location.hash.slice(1));
