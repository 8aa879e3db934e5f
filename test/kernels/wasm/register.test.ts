import { getKernel } from '@tensorflow/tfjs-core';
import * as kernelNames from '../../../src/kernels/names';

// Loading tfjs-backend-wasm from this file would throw: the package only imports its types.
jest.mock('@tensorflow/tfjs-backend-wasm', () => {
  throw new Error('tfjs-backend-wasm was loaded at runtime');
});

describe('wasm register', () => {
  it('registers every wasm kernel without loading tfjs-backend-wasm', async () => {
    expect(getKernel(kernelNames.HadamardTransform, 'wasm')).toBeUndefined();
    await import('../../../src');
    for (const name of [
      kernelNames.HadamardTransform,
      kernelNames.HadamardRecurrence,
      kernelNames.HadamardRecurrenceGrad,
      kernelNames.AffineWeightGrads,
    ]) {
      expect(getKernel(name, 'wasm')?.backendName).toBe('wasm');
    }
  });
});
