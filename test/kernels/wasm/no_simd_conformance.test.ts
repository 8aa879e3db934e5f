// The conformance suites, unchanged, on the wasm backend without SIMD (tfjs-wasm picks its binary
// once per process, so this configuration needs a jest file of its own).
import './no_simd_setup';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { hadamardWasm } from '../../../src/kernels/wasm/heap_module';
import '../../conformance/hadamard_transform.test';
import '../../conformance/hadamard_recurrence.test';

describe('wasm without SIMD', () => {
  it('runs the scalar variant of our module', async () => {
    expect(await tf.setBackend('wasm')).toBe(true);
    expect(hadamardWasm(tf.backend() as BackendWasm)?.variant).toBe('scalar');
  });
});
