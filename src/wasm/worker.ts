// The worker side of the thread pool: a few lines of plain JavaScript, kept as source text so one worker
// works everywhere without a separate file to resolve or bundle: worker_threads (Node, Deno) runs it as
// a module from a data: URL, browsers and Bun from a Blob URL. It instantiates the threaded module
// over the shared memory it is sent and parks in worker_loop, which takes chunks of jobs until it is
// told to stop; no JavaScript runs per job.
//
// Messages in: { module, memory, ctrl, index, failedAt, doneAt } (byte offsets of two control words).
// Messages out: { type: 'ready' } before entering the loop, { type: 'exit' } after leaving it,
// { type: 'error', message } if instantiation or a chunk failed. A chunk that traps marks the control
// block as failed and wakes the caller, which then reports the error instead of waiting forever.

const BODY = `
const start = async (msg) => {
  let exports;
  try {
    const instance = await WebAssembly.instantiate(msg.module, {
      env: {
        memory: msg.memory,
        now: () => performance.now(),
        abort() { throw new Error('deltaflow: WASM abort in a worker thread'); },
      },
    });
    exports = instance.exports;
    exports._initialize();
  } catch (e) {
    post({ type: 'error', message: 'deltaflow worker could not start: ' + (e && e.message || e) });
    return;
  }
  post({ type: 'ready' });
  try {
    exports.worker_loop(msg.ctrl, msg.index);
    post({ type: 'exit' });
  } catch (e) {
    const words = new Int32Array(msg.memory.buffer);
    Atomics.store(words, msg.failedAt >> 2, 1);
    Atomics.notify(words, msg.doneAt >> 2);
    post({ type: 'error', message: 'deltaflow worker failed: ' + (e && e.stack || e) });
  }
};
`;

/**
 * The body of the worker for worker_threads hosts (Node, Deno), a module loaded from a data: URL. It
 * follows the host's import of parentPort (NodeThreads.preamble: the core names no Node built-in).
 * Messages sent before the listener is attached wait in the port.
 */
export const NODE_WORKER_BODY = `
const post = (m) => parentPort.postMessage(m);
${BODY}
parentPort.once('message', start);
`;

/** Source for a Web Worker (module type: browsers, Deno, Bun), loaded from a Blob URL. */
export const WEB_WORKER_SOURCE = `const post = (m) => self.postMessage(m);
${BODY}
self.addEventListener('message', (e) => start(e.data), { once: true });
`;
