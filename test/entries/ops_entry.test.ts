/**
 * `tfjs-hadamrnn/ops` (src/ops_only.ts) registers, for every backend, the same kernels as the
 * package's own entry: an application importing the ops alone gets our kernels on webgpu too, not
 * the stock-ops fallback. Read from tfjs-core's registry after importing the ops entry, then again
 * after importing the package entry (which registers only what is missing).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as names from '../../src/kernels/names';

const BACKENDS = ['cpu', 'wasm', 'webgl', 'webgpu'];
const OURS = new Set<string>(Object.values(names).filter((v) => typeof v === 'string'));

/** Our kernel names registered now, per backend. */
function registered(): Record<string, string[]> {
  return Object.fromEntries(
    BACKENDS.map((b) => [
      b,
      tf
        .getKernelsForBackend(b)
        .map((k) => k.kernelName)
        .filter((name) => OURS.has(name))
        .sort(),
    ]),
  );
}

describe('the ops entry', () => {
  it('registers the kernels of the package entry on cpu, wasm, webgl and webgpu', async () => {
    expect(registered().cpu).toEqual([]);
    await import('../../src/ops_only');
    const ops = registered();
    await import('../../src/index');
    expect(ops).toEqual(registered());
    const three = ['HadamardRecurrence', 'HadamardRecurrenceGrad', 'HadamardTransform'];
    const five = ['AffineWeightGrads', 'HadamRNNSequence', ...three];
    expect(ops).toEqual({ cpu: three, wasm: five, webgl: three, webgpu: five });
  });
});
