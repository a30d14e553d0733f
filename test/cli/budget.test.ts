import { describe, expect, it } from 'vitest';
import { checkNetworkFits, parameterCount } from '../../src/cli/budget.js';
import { UsageError } from '../../src/cli/errors.js';

describe('the network size check', () => {
  it('counts Dense weights and biases', () => {
    expect(parameterCount(2, [8, 1])).toBe(2 * 8 + 8 + 8 * 1 + 1);
    expect(parameterCount(5, [])).toBe(0);
  });

  it('refuses exactly what cannot fit in 4 GiB: parameters × (2 + slots) × 4 bytes', () => {
    // 2^28 parameters × 4 copies (adam) × 4 bytes = 4 GiB: fits; one more parameter does not.
    const adam = { name: 'Adam', slots: 2 };
    expect(() => checkNetworkFits(2 ** 28 - 1, [], 1, adam, 'none')).not.toThrow();
    expect(() => checkNetworkFits(2 ** 28, [], 1, adam, 'none')).toThrow(UsageError);
    expect(() => checkNetworkFits(2 ** 28, [], 1, adam, 'none')).toThrow(/^option --layers none: the network has 268435457 parameters; training it with adam needs at least 4\.0 GiB \(weights, gradients and 2 optimizer slots, 4 bytes each\)/);
    expect(() => checkNetworkFits(2 ** 29 - 1, [], 1, { name: 'SGD', slots: 0 }, 'none')).not.toThrow();
  });
});
