// Tiny DOM helpers: el() builds elements; text bound to an i18n key is re-rendered on a language switch.
import { t, type Key } from './i18n.js';

type Attrs = Record<string, string | number | boolean | EventListener | undefined>;
type Child = Node | string | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
    else if (k === 'i18n') {
      node.dataset.i18n = String(v);
      node.textContent = t(v as Key);
    } else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) node.append(c);
  return node;
}

/** A span whose text is the i18n string `key`, kept current across language switches. */
export const tr = (key: Key, tag: keyof HTMLElementTagNameMap = 'span') => el(tag, { i18n: key });

/** Re-renders every [data-i18n] (text) and [data-i18n-title] (tooltip) under root. */
export function applyI18n(root: ParentNode = document): void {
  root.querySelectorAll<HTMLElement>('[data-i18n]').forEach((n) => (n.textContent = t(n.dataset.i18n as Key)));
  root.querySelectorAll<HTMLElement>('[data-i18n-title]').forEach((n) => (n.title = t(n.dataset.i18nTitle as Key)));
}

export const fmt = (v: number, digits = 4) =>
  Number.isNaN(v) ? '—' : !Number.isFinite(v) ? String(v) : v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5) ? v.toExponential(2) : v.toFixed(digits);
