// Shared controls: the run / pause / reset bar every panel has, labelled inputs, and the hover tooltip.
import { el, tr } from './dom.js';
import { onLang, t, type Key } from './i18n.js';

export interface RunBar {
  readonly node: HTMLElement;
  /** Reflects the running state on the buttons (and data-state on the bar) without firing callbacks. */
  set(running: boolean): void;
  readonly running: boolean;
}

export function runBar(handlers: { run(): void; pause(): void; reset(): void; step?: () => void }): RunBar {
  let running = false;
  const run = el('button', { class: 'run', 'data-role': 'run' });
  const reset = el('button', { class: 'reset', 'data-role': 'reset', i18n: 'reset' });
  const step = handlers.step ? el('button', { class: 'step', 'data-role': 'step', i18n: 'step' }) : null;
  const node = el('div', { class: 'runbar' }, run, step, reset);
  const label = () => {
    run.textContent = running ? `❚❚ ${t('pause')}` : `▶ ${t('run')}`;
    node.dataset.state = running ? 'running' : 'paused';
  };
  const bar: RunBar = {
    node,
    set(r) {
      running = r;
      label();
    },
    get running() {
      return running;
    },
  };
  run.addEventListener('click', () => {
    bar.set(!running);
    running ? handlers.run() : handlers.pause();
  });
  reset.addEventListener('click', () => {
    bar.set(false);
    handlers.reset();
  });
  step?.addEventListener('click', () => {
    if (running) {
      bar.set(false);
      handlers.pause();
    }
    handlers.step!();
  });
  onLang(label);
  label();
  return bar;
}

export function field(label: Key, input: HTMLElement, out?: HTMLElement): HTMLElement {
  return el('label', { class: 'field' }, tr(label), input, out);
}

export function select(options: readonly (string | [string, Key | string])[], value: string, onChange: (v: string) => void, name?: string): HTMLSelectElement {
  const s = el('select', { 'data-name': name });
  for (const o of options) {
    const [v, key] = Array.isArray(o) ? o : [o, undefined];
    const opt = el('option', { value: v }, v);
    if (key) {
      opt.dataset.i18n = key;
      opt.textContent = safeT(key);
    }
    s.append(opt);
  }
  s.value = value;
  s.addEventListener('change', () => onChange(s.value));
  return s;
}

const safeT = (k: string) => {
  try {
    return t(k as Key);
  } catch {
    return k;
  }
};

/** A range input with a live readout; `map` turns the slider position into the value (e.g. log scales). */
export function slider(
  opts: { min: number; max: number; step: number; value: number; name?: string; map?: (v: number) => number; show?: (v: number) => string },
  onInput: (v: number) => void,
): { input: HTMLInputElement; out: HTMLOutputElement; value(): number; set(position: number): void } {
  const input = el('input', { type: 'range', min: opts.min, max: opts.max, step: opts.step, value: opts.value, 'data-name': opts.name });
  const out = el('output');
  const map = opts.map ?? ((v) => v);
  const show = opts.show ?? ((v) => String(v));
  const update = () => (out.textContent = show(map(Number(input.value))));
  input.addEventListener('input', () => {
    update();
    onInput(map(Number(input.value)));
  });
  update();
  const set = (position: number) => {
    input.value = String(position);
    update();
  };
  return { input, out, value: () => map(Number(input.value)), set };
}

let tip: HTMLDivElement | undefined;

/** Shows the numbers behind the picture: `describe` gets canvas CSS coordinates and returns lines or null. */
export function hover(target: HTMLElement | SVGElement, describe: (x: number, y: number) => string[] | string | null): void {
  tip ??= document.body.appendChild(el('div', { class: 'tooltip', role: 'tooltip' }));
  const box = tip;
  target.addEventListener('mousemove', (e) => {
    const ev = e as MouseEvent;
    const r = target.getBoundingClientRect();
    const lines = describe(ev.clientX - r.left, ev.clientY - r.top);
    if (!lines || (Array.isArray(lines) && lines.length === 0)) return void (box.style.display = 'none');
    box.textContent = '';
    for (const line of Array.isArray(lines) ? lines : [lines]) box.append(el('div', {}, line));
    box.style.display = 'block';
    const x = Math.min(ev.clientX + 14, window.innerWidth - box.offsetWidth - 8);
    const y = Math.min(ev.clientY + 14, window.innerHeight - box.offsetHeight - 8);
    box.style.left = `${x + window.scrollX}px`;
    box.style.top = `${y + window.scrollY}px`;
  });
  target.addEventListener('mouseleave', () => (box.style.display = 'none'));
}

/** Writes the numbers an automated check (and a curious reader) can read off the panel. */
export function expose(section: HTMLElement, values: Record<string, number | string>): void {
  for (const [k, v] of Object.entries(values)) section.dataset[k] = String(v);
}
