// Marching squares: iso-lines of a field sampled on an nx × ny grid, as segments in grid coordinates.

export function isoSegments(f: ArrayLike<number>, nx: number, ny: number, level: number): number[] {
  const out: number[] = [];
  const at = (i: number, j: number) => f[j * nx + i];
  const lerp = (a: number, b: number) => (level - a) / (b - a);
  for (let j = 0; j < ny - 1; j++) {
    for (let i = 0; i < nx - 1; i++) {
      const a = at(i, j);
      const b = at(i + 1, j);
      const c = at(i + 1, j + 1);
      const d = at(i, j + 1);
      const code = (a > level ? 1 : 0) | (b > level ? 2 : 0) | (c > level ? 4 : 0) | (d > level ? 8 : 0);
      if (code === 0 || code === 15) continue;
      // Edge crossings: bottom (a-b), right (b-c), top (d-c), left (a-d).
      const e = [
        [i + lerp(a, b), j],
        [i + 1, j + lerp(b, c)],
        [i + lerp(d, c), j + 1],
        [i, j + lerp(a, d)],
      ];
      const seg = (p: number, q: number) => out.push(e[p][0], e[p][1], e[q][0], e[q][1]);
      switch (code) {
        case 1: case 14: seg(3, 0); break;
        case 2: case 13: seg(0, 1); break;
        case 3: case 12: seg(3, 1); break;
        case 4: case 11: seg(1, 2); break;
        case 6: case 9: seg(0, 2); break;
        case 7: case 8: seg(3, 2); break;
        case 5: seg(3, 0); seg(1, 2); break;
        case 10: seg(0, 1); seg(3, 2); break;
      }
    }
  }
  return out;
}

/** Fills a w × h pixel image from a grid field through a colour function (nearest sample, upscaled smoothly). */
export function fieldImage(f: ArrayLike<number>, nx: number, ny: number, color: (v: number) => [number, number, number]): HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.width = nx;
  c.height = ny;
  const ctx = c.getContext('2d')!;
  const img = ctx.createImageData(nx, ny);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      // Row 0 of the grid is the bottom (smallest y); images start at the top.
      const [r, g, b] = color(f[j * nx + i]);
      const k = ((ny - 1 - j) * nx + i) * 4;
      img.data[k] = r;
      img.data[k + 1] = g;
      img.data[k + 2] = b;
      img.data[k + 3] = 255;
    }
  }
  ctx.putImageData(img, 0, 0);
  return c;
}
