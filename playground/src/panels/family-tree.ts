// Figure 9-9 as a clickable SVG: from gradient descent to Adam — step direction (momentum, NAG) and
// step size (Adagrad, RMSprop, Adadelta) meet in Adam — and the newer descendants deltaflow also has.
import { hover } from '../ui.js';
import { onLang, t } from '../i18n.js';
import { family, lineage } from '../lib/family.js';
import { colorOf } from '../draw/colors.js';

const NS = 'http://www.w3.org/2000/svg';
const COL = 112;
const ROW = 52;
const NW = 100;
const NH = 38;

export function familyTree(onPick: (id: string) => void): { node: SVGSVGElement; select(id: string | null): void } {
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', `0 0 ${COL * 6 + NW + 16} ${ROW * 4.1 + NH + 56}`);
  svg.setAttribute('class', 'tree');
  const pos = (id: string) => {
    const n = family.find((f) => f.id === id)!;
    return { x: 8 + n.col * COL, y: 28 + n.row * ROW };
  };
  const mk = <K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, parent: Element = svg) => {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    parent.append(e);
    return e;
  };
  const defs = mk('defs', {});
  const marker = mk('marker', { id: 'arrow', viewBox: '0 0 8 8', refX: 8, refY: 4, markerWidth: 7, markerHeight: 7, markerUnits: 'userSpaceOnUse', orient: 'auto' }, defs);
  mk('path', { d: 'M0,0 L8,4 L0,8 z', fill: '#9ca3af' }, marker);
  const dirLabel = mk('text', { x: 8 + 2 * COL, y: 16, class: 'branch' });
  const sizeLabel = mk('text', { x: 8 + 2 * COL, y: 28 + 4.1 * ROW + NH + 20, class: 'branch' });
  const edges: { from: string; to: string; path: SVGPathElement }[] = [];
  for (const n of family) {
    for (const p of n.parents) {
      const a = pos(p);
      const b = pos(n.id);
      const [x0, y0, x1, y1] = [a.x + NW, a.y + NH / 2, b.x, b.y + NH / 2];
      const path = mk('path', { d: `M${x0},${y0} C${x0 + 24},${y0} ${x1 - 24},${y1} ${x1},${y1}`, class: 'edge', 'marker-end': 'url(#arrow)' });
      edges.push({ from: p, to: n.id, path });
    }
  }
  const groups = new Map<string, { g: SVGGElement; name: SVGTextElement }>();
  for (const n of family) {
    const { x, y } = pos(n.id);
    const g = mk('g', { class: 'node', 'data-id': n.id, tabindex: 0, role: 'button' });
    mk('rect', { x, y, width: NW, height: NH, rx: 7, style: `stroke:${colorOf(n.id)}` }, g);
    const name = mk('text', { x: x + NW / 2, y: y + 16, class: 'name' }, g);
    const sub = mk('text', { x: x + NW / 2, y: y + 31, class: 'sub' }, g);
    sub.textContent = `${n.short} · ${n.year}`;
    g.addEventListener('click', () => onPick(n.id));
    g.addEventListener('keydown', (e) => (e as KeyboardEvent).key === 'Enter' && onPick(n.id));
    groups.set(n.id, { g, name });
  }
  const labels = () => {
    for (const n of family) groups.get(n.id)!.name.textContent = t(n.name);
    dirLabel.textContent = t('tree_direction');
    sizeLabel.textContent = t('tree_size');
  };
  labels();
  onLang(labels);
  hover(svg, (x, y) => {
    const r = svg.getBoundingClientRect();
    const vb = svg.viewBox.baseVal;
    const [u, v] = [(x / r.width) * vb.width, (y / r.height) * vb.height];
    const n = family.find((f) => {
      const p = pos(f.id);
      return u >= p.x && u <= p.x + NW && v >= p.y && v <= p.y + NH;
    });
    return n ? [`${t(n.name)} (${n.short}, ${n.year})`, t(`tree_${n.id}` as 'tree_gd')] : null;
  });
  return {
    node: svg,
    select(id) {
      const on = id ? lineage(id) : null;
      for (const [nid, { g }] of groups) g.setAttribute('class', `node${on ? (on.has(nid) ? ' on' : ' dim') : ''}${nid === id ? ' picked' : ''}`);
      for (const e of edges) e.path.setAttribute('class', `edge${on ? (on.has(e.from) && on.has(e.to) ? ' on' : ' dim') : ''}`);
    },
  };
}
