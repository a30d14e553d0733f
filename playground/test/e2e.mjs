// End-to-end test of the playground in headless Chromium (Debian's chromium driven by playwright-core):
// builds playground/dist, serves it on 127.0.0.1, then checks every panel — no console errors, the loss
// falls while it trains, its canvases hold drawn pixels — the language toggle, the backprop panel's
// agreement with computeGradients, the LSTM's error reaching the first time step where the SimpleRNN's
// fades, MNIST ≥ 0.9 test accuracy within 60 s and a drawn "1" classified.
// Screenshots go to test-results/playground/. `npm run test:playground`; bounded at 170 s.
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, repo } from '../scripts/build.mjs';
import { serve } from '../scripts/serve.mjs';

const LIMIT_S = 170;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const shots = join(repo, 'test-results', 'playground');
const t0 = performance.now();
const since = () => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
const results = [];
let failed = 0;

const watchdog = setTimeout(() => {
  console.error(`\nplayground e2e: over ${LIMIT_S} s, giving up`);
  process.exit(1);
}, LIMIT_S * 1000);

function check(name, ok, detail = '') {
  results.push({ name, ok, detail });
  if (!ok) failed++;
  console.log(`  ${ok ? '✓' : '✗'} ${name}${detail ? `  (${detail})` : ''}`);
}

function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  console.log(`playground e2e: ${CHROMIUM} is missing; installing Debian's chromium with apt-get`);
  const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
  execSync(`${sudo}apt-get update && ${sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium`, { stdio: 'inherit' });
}

ensureChromium();
const { chromium } = await import('playwright-core');
await build({ quiet: true });
console.log(`playground e2e: built (${since()})`);
const { server, url } = await serve(undefined, 0);
const profile = mkdtempSync(join(tmpdir(), 'deltaflow-playground-'));
mkdirSync(shots, { recursive: true });
// A fresh profile directory (playwright passes it as --user-data-dir).
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  viewport: { width: 1360, height: 1000 },
  deviceScaleFactor: 1,
});

const errors = [];
try {
  const page = browser.pages()[0] ?? (await browser.newPage());
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.setDefaultTimeout(20_000);

  const section = (id) => page.locator(`section[data-panel="${id}"]`);
  const data = (id, key) => section(id).getAttribute(`data-${key}`);
  const num = async (id, key) => Number(await data(id, key));
  const open = async (id) => {
    await page.click(`nav [data-tab="${id}"]`);
    await page.waitForSelector(`section[data-panel="${id}"][data-loss], section[data-panel="${id}"][data-check]`, { timeout: 20_000 });
  };
  const click = (id, role) => section(id).locator(`[data-role="${role}"]`).first().click();
  /** Polls fn() until true or the time is up; returns whether it became true. */
  const until = async (fn, ms, every = 200) => {
    const end = performance.now() + ms;
    while (performance.now() < end) {
      if (await fn()) return true;
      await page.waitForTimeout(every);
    }
    return fn();
  };
  /** Per canvas of a panel: the share of pixels that differ from the background (white, or the canvas's corner). */
  const ink = (id) =>
    page.evaluate((id) => {
      return [...document.querySelectorAll(`section[data-panel="${id}"] canvas`)].map((c) => {
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        const corner = [d[0], d[1], d[2]];
        for (let i = 0; i < d.length; i += 4) {
          const white = d[i] > 250 && d[i + 1] > 250 && d[i + 2] > 250;
          const same = d[i] === corner[0] && d[i + 1] === corner[1] && d[i + 2] === corner[2];
          if (!white && !same) n++;
        }
        return n / (d.length / 4);
      });
    }, id);
  const panelErrors = (from) => errors.slice(from);
  const shot = async (id, name = id) => {
    await page.mouse.move(1, 1); // no tooltip over the picture
    await section(id).screenshot({ path: join(shots, `${name}.png`) });
  };
  const pixels = async (id) => {
    const shares = await ink(id);
    check(`${id}: its canvases have drawn pixels`, shares.length > 0 && shares[0] > 0.01 && shares.filter((s) => s > 0.005).length >= Math.min(2, shares.length), shares.map((s) => (100 * s).toFixed(1) + '%').join(' '));
  };
  const lossFell = async (id, factor, ms) => {
    const start = await num(id, 'loss-start');
    await until(async () => (await num(id, 'loss')) < start * factor, ms);
    const end = await num(id, 'loss');
    check(`${id}: loss fell while training`, end < start * factor, `${start.toPrecision(4)} → ${end.toPrecision(4)}`);
  };

  await page.goto(`${url}?lang=ko#backprop`);
  console.log(`playground e2e: page loaded (${since()})`);

  // Digits first in the background: it has the longest time box, and panels train side by side.
  let mark = errors.length;
  await page.click('nav [data-tab="digits"]');
  await page.waitForSelector('section[data-panel="digits"] [data-role="run"]');
  const digitsStart = performance.now();
  await until(async () => (await page.locator('section[data-panel="digits"] .status').textContent()).includes('MNIST'), 20_000);
  await click('digits', 'run');

  // The language toggle switches every label.
  await page.click('nav [data-tab="backprop"]');
  await page.waitForSelector('section[data-panel="backprop"][data-loss]');
  const labels = () => page.evaluate(() => [document.querySelector('h1').textContent, document.querySelector('nav [data-tab="backprop"]').textContent, document.querySelector('section[data-panel="backprop"] [data-role="run"]').textContent, document.querySelector('section[data-panel="backprop"] h2').textContent]);
  const ko = await labels();
  await page.click('[data-role="lang"]');
  const en = await labels();
  check('language toggle switches the labels', ko.every((s, i) => s !== en[i]) && en[1] === 'Backpropagation' && ko[1] === '오차 역전파', `${ko[1]} → ${en[1]}, ${ko[2]} → ${en[2]}`);
  await shot('backprop', 'backprop-en');
  await page.click('[data-role="lang"]');
  check('language toggle switches back', (await labels()).every((s, i) => s === ko[i]));

  // 1. Backprop, step by step, then run.
  const phases = [];
  for (let i = 0; i < 3; i++) {
    await click('backprop', 'step');
    await until(async () => Number(await data('backprop', 'phase')) === i + 1, 3000, 50);
    phases.push(await num('backprop', 'phase'));
    if (i === 1) await shot('backprop', 'backprop-step2-hidden-deltas');
  }
  check('backprop: step walks forward → output δ → hidden δ', phases.join() === '1,2,3', phases.join(' → '));
  await shot('backprop', 'backprop-step3-update');
  const diff = await num('backprop', 'maxdiff');
  check('backprop: hand-computed gradients agree with computeGradients', diff < 1e-6, `max |Δ| ${diff.toExponential(1)}`);
  await click('backprop', 'run');
  await lossFell('backprop', 0.5, 15_000);
  await click('backprop', 'run');
  check('backprop: still agrees after training', (await num('backprop', 'maxdiff')) < 1e-6);
  await pixels('backprop');
  await shot('backprop');
  check('backprop: no console errors', panelErrors(mark).length === 0, panelErrors(mark).join(' | '));

  // 2. Vanishing gradient.
  mark = errors.length;
  await open('vanishing');
  await click('vanishing', 'run');
  await lossFell('vanishing', 0.7, 15_000);
  await click('vanishing', 'run');
  const sr = await num('vanishing', 'sigmoid-ratio');
  const rr = await num('vanishing', 'relu-ratio');
  check('vanishing: sigmoid gradient fades toward the first layer, ReLU’s does not', sr < 1e-3 && rr > 1e-2, `first/last: sigmoid ${sr.toExponential(1)}, relu ${rr.toExponential(1)}`);
  await pixels('vanishing');
  await shot('vanishing');
  check('vanishing: no console errors', panelErrors(mark).length === 0, panelErrors(mark).join(' | '));

  // 2b. Vanishing gradient through time: the LSTM's error reaches the first steps, the SimpleRNN's does not.
  mark = errors.length;
  await open('rnn');
  const bpttGap = await num('rnn', 'check');
  check('rnn: hand-computed BPTT agrees with computeGradients', bpttGap < 1e-4, `max |Δ| / max |g| ${bpttGap.toExponential(1)} before training`);
  await click('rnn', 'run');
  const rnnStart = performance.now();
  const learned = await until(async () => (await num('rnn', 'lstm-ratio')) > 1e-2 && (await num('rnn', 'loss')) < 0.1 * (await num('rnn', 'baseline')), 60_000, 250);
  await click('rnn', 'run');
  const [rnnRatio, lstmRatio, rnnLoss, lstmLoss, baseline] = await Promise.all(['rnn-ratio', 'lstm-ratio', 'rnn-loss', 'loss', 'baseline'].map((k) => num('rnn', k)));
  const rnnEpochs = await data('rnn', 'epoch');
  check('rnn: the LSTM learns the sum within 60 s, the SimpleRNN stays near the baseline', learned && lstmLoss < 0.1 * baseline && rnnLoss > 0.5 * baseline, `held-out mse after ${rnnEpochs} epochs (${((performance.now() - rnnStart) / 1000).toFixed(1)} s): LSTM ${lstmLoss.toFixed(4)}, SimpleRNN ${rnnLoss.toFixed(4)}, baseline ${baseline.toFixed(4)}`);
  check('rnn: the LSTM’s error reaches the first step, the SimpleRNN’s fades', lstmRatio > 1e-2 && rnnRatio < 1e-4, `‖∂L/∂h_1‖ / ‖∂L/∂h_T‖: LSTM ${lstmRatio.toExponential(1)}, SimpleRNN ${rnnRatio.toExponential(1)}`);
  check('rnn: BPTT still agrees after training', (await num('rnn', 'check')) < 1e-4, (await num('rnn', 'check')).toExponential(1));
  await pixels('rnn');
  await shot('rnn');
  check('rnn: no console errors', panelErrors(mark).length === 0, panelErrors(mark).join(' | '));

  // 3. Activation functions.
  mark = errors.length;
  await open('activations');
  const gap = await num('activations', 'check');
  check('activations: kernel derivatives match the slope of the kernel values', gap < 1e-3, `max gap ${gap.toExponential(1)} over ${await data('activations', 'functions')} functions`);
  await click('activations', 'run');
  await page.waitForTimeout(600);
  await click('activations', 'run');
  await pixels('activations');
  await shot('activations');
  check('activations: no console errors', panelErrors(mark).length === 0, panelErrors(mark).join(' | '));

  // 4. Optimizer race.
  mark = errors.length;
  await open('optimizers');
  await click('optimizers', 'run');
  await lossFell('optimizers', 0.1, 10_000);
  await until(async () => (await section('optimizers').locator('[data-role="run"]').textContent()).includes('▶'), 8000);
  await page.click('section[data-panel="optimizers"] svg.tree g[data-id="adam"]');
  const picked = await page.locator('section[data-panel="optimizers"] .legend-row.on').getAttribute('data-name');
  check('optimizers: clicking Adam in the family tree highlights its path', picked === 'adam');
  await pixels('optimizers');
  await shot('optimizers');
  await page.click('section[data-panel="optimizers"] [data-preset="fig9_7"]');
  await page.click('section[data-panel="optimizers"] [data-role="run"]');
  await until(async () => (await section('optimizers').locator('[data-role="run"]').textContent()).includes('▶'), 8000);
  await shot('optimizers', 'optimizers-fig9-7');
  check('optimizers: no console errors', panelErrors(mark).length === 0, panelErrors(mark).join(' | '));

  // 5. Decision boundaries.
  mark = errors.length;
  await open('boundary');
  await click('boundary', 'run');
  await lossFell('boundary', 0.5, 20_000);
  await click('boundary', 'run');
  await pixels('boundary');
  await shot('boundary');
  check('boundary: no console errors', panelErrors(mark).length === 0, panelErrors(mark).join(' | '));

  // 6. Digits: ≥ 0.9 held-out accuracy within 60 s of pressing run, then a drawn "1".
  mark = errors.length;
  await page.click('nav [data-tab="digits"]');
  const reached = await until(async () => (await num('digits', 'accuracy')) >= 0.9, 60_000 - (performance.now() - digitsStart), 250);
  const acc = await num('digits', 'accuracy');
  check('digits: test accuracy ≥ 0.9 within 60 s', reached, `0.9 first reached after epoch ${await data('digits', 'epoch-to90')}, ${Number(await data('digits', 'seconds-to90')).toFixed(2)} s of training; ${acc.toFixed(4)} after ${await data('digits', 'epoch')} epochs, ${Number(await data('digits', 'seconds')).toFixed(1)} s`);
  await lossFell('digits', 0.5, 5000);
  const box = await page.locator('section[data-panel="digits"] canvas.pad').boundingBox();
  await page.mouse.move(box.x + box.width * 0.52, box.y + box.height * 0.15);
  await page.mouse.down();
  for (let i = 1; i <= 20; i++) await page.mouse.move(box.x + box.width * (0.52 - 0.04 * (i / 20)), box.y + box.height * (0.15 + 0.7 * (i / 20)));
  await page.mouse.up();
  await until(async () => (await data('digits', 'top2')) !== null, 5000, 100);
  const top2 = (await data('digits', 'top2')) ?? '';
  check('digits: a drawn "1" has class 1 among the top 2', top2.split(',').includes('1'), `top 2: ${top2}; p = ${(await data('digits', 'probs'))?.split(',')[1]}`);
  await pixels('digits');
  await shot('digits');
  check('digits: no console errors', panelErrors(mark).length === 0, panelErrors(mark).join(' | '));
  check('no console errors anywhere', errors.length === 0, errors.slice(0, 3).join(' | '));
} catch (e) {
  check('the test ran to the end', false, String(e?.stack ?? e));
} finally {
  await browser.close();
  server.close();
  rmSync(profile, { recursive: true, force: true });
  clearTimeout(watchdog);
}

console.log(`\nplayground e2e: ${results.length - failed}/${results.length} checks passed in ${since()}; screenshots in ${shots}`);
process.exit(failed ? 1 : 0);
