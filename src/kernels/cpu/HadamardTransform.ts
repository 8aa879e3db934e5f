import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';
import { kernelConfig, type KernelArgsOf } from '../kernel_config';
import { transformCall } from '../module/calls';
import { HadamardTransform } from '../names';
import { transformArgs } from '../transform';
import { withCpuMemory } from './private_memory';

/** cpu `HadamardTransform`: the butterfly from x's values into a new buffer (x is never written:
 * reshapes share its values). Blocks are contiguous along the last axis, so the flat buffer is
 * simply a run of blocks. Runs our WebAssembly module on the cpu kernels' private memory
 * (private_memory.ts), or the typed-array impl when `HADAMRNN_CPU_WASM` is false or the module
 * cannot run. The typed-array output is a plain `new Float32Array`: skipping its zero fill (Node's
 * `Buffer.allocUnsafeSlow`) measured no faster, the cost of a new output being its fresh memory
 * pages, not the fill (see docs/benchmarks.md). */
export function hadamardTransform({
  inputs,
  backend,
  attrs,
}: KernelArgsOf<typeof HadamardTransform, KernelBackend>): TensorInfo {
  const { x } = inputs;
  const args = transformArgs(x, attrs);
  const values = backend.readSync(x.dataId) as Float32Array;
  const out = withCpuMemory([args.size], (memory) => {
    const src = memory.input(values);
    // In place on the private copy: one buffer keeps the working set in cache.
    const dst = memory.copiesInputs ? src : memory.alloc(x.shape);
    transformCall(memory, src, dst, args);
    return memory.output(dst);
  });
  return { dataId: backend.write(out, x.shape, 'float32'), shape: x.shape, dtype: 'float32' };
}

export const hadamardTransformConfig = kernelConfig(HadamardTransform, 'cpu', hadamardTransform);
