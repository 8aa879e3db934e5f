// Before the wasm backend initialises in this jest file: no SIMD, so tfjs-wasm loads its scalar
// binary and our loader its scalar variant; the conformance suites then run on wasm only.
import '@tensorflow/tfjs-backend-wasm';
import { env } from '@tensorflow/tfjs-core';
import { useBackends, WASM } from '../../harness/backends';

env().set('WASM_HAS_SIMD_SUPPORT', false);
useBackends([WASM]);
