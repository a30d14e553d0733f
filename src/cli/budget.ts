// Whether a network can be trained at all: WebAssembly memory is at most 4 GiB, and the arena holds every
// parameter, its gradient and each optimizer slot (4 bytes each). A CLI typo such as --layers 1000000000
// is refused here with the size it asks for, before the engine tries to grow its memory.
import { UsageError } from './errors.js';

/** WebAssembly's 32-bit address space. */
export const WASM_MEMORY_BYTES = 2 ** 32;

/** Weights and biases of Dense layers of `units` after `inputs` inputs. */
export function parameterCount(inputs: number, units: readonly number[]): number {
  let n = 0;
  let previous = inputs;
  for (const u of units) {
    n += previous * u + u;
    previous = u;
  }
  return n;
}

/** Throws a UsageError naming --layers when the parameters alone overflow the WebAssembly memory. */
export function checkNetworkFits(inputs: number, hidden: readonly number[], outputs: number, optimizer: { name: string; slots: number }, layersArg: string): void {
  const params = parameterCount(inputs, [...hidden, outputs]);
  const copies = 2 + optimizer.slots;
  const bytes = params * 4 * copies;
  if (bytes <= WASM_MEMORY_BYTES) return;
  const slots = optimizer.slots === 0 ? '' : ` and ${optimizer.slots} optimizer slot${optimizer.slots === 1 ? '' : 's'}`;
  throw new UsageError(
    `option --layers ${layersArg}: the network has ${params} parameters; training it with ${optimizer.name.toLowerCase()} needs at least ${(bytes / 2 ** 30).toFixed(1)} GiB (weights, gradients${slots}, 4 bytes each), more than WebAssembly's 4 GiB memory`,
  );
}
