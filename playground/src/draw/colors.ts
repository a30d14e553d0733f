// Colours: one per optimizer and per activation (stable across panels), and the two-class diverging map.

export const palette = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#db2777', '#65a30d', '#7c3aed', '#ca8a04', '#0f766e', '#be123c', '#4b5563', '#1d4ed8', '#b45309'];

export const optimizerColors: Record<string, string> = {
  gd: '#111827',
  sgd: '#6b7280',
  momentum: '#2563eb',
  nesterov: '#0891b2',
  adagrad: '#16a34a',
  rmsprop: '#65a30d',
  adadelta: '#ca8a04',
  adam: '#dc2626',
  amsgrad: '#db2777',
  adamax: '#ea580c',
  nadam: '#9333ea',
  adamw: '#be123c',
  lion: '#7c3aed',
};

export const colorOf = (name: string, i = 0) => optimizerColors[name] ?? palette[i % palette.length];

/** Class 0 → orange, class 1 → blue (as TensorFlow Playground), p in [0, 1]; returns [r, g, b]. */
export function diverging(p: number): [number, number, number] {
  const a: [number, number, number] = [245, 147, 34];
  const b: [number, number, number] = [8, 119, 189];
  const w: [number, number, number] = [232, 234, 235];
  const t = Math.max(0, Math.min(1, p));
  const [from, to, s] = t < 0.5 ? [a, w, t * 2] : [w, b, (t - 0.5) * 2];
  return [0, 1, 2].map((i) => Math.round(from[i] + (to[i] - from[i]) * s)) as [number, number, number];
}

/** A perceptually ordered ramp for loss surfaces (dark = low). t in [0, 1]. */
export function ramp(t: number): [number, number, number] {
  const stops: [number, number, number][] = [
    [30, 41, 89],
    [49, 104, 142],
    [53, 183, 121],
    [186, 222, 40],
    [253, 245, 200],
  ];
  const x = Math.max(0, Math.min(1, t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  return [0, 1, 2].map((k) => Math.round(stops[i][k] + (stops[i + 1][k] - stops[i][k]) * f)) as [number, number, number];
}
