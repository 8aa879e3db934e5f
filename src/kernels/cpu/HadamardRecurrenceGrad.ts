import { util, type KernelBackend, type TensorInfo } from '@tensorflow/tfjs-core';
import { kernelConfig, type KernelArgsOf } from '../kernel_config';
import { recurrenceGradCall } from '../module/calls';
import { HadamardRecurrenceGrad } from '../names';
import { recurrenceShape } from '../recurrence';
import { withCpuMemory } from './private_memory';

/** cpu `HadamardRecurrenceGrad`: dz, ds and dh0 in one reverse sweep, by our WebAssembly module on
 * the cpu kernels' private memory (private_memory.ts), or by the typed-array impl when
 * `HADAMRNN_CPU_WASM` is false or the module cannot run. */
export function hadamardRecurrenceGrad({
  inputs,
  backend,
  attrs,
}: KernelArgsOf<typeof HadamardRecurrenceGrad, KernelBackend>): TensorInfo[] {
  const shape = recurrenceShape(inputs.dy.shape, attrs);
  const { batch, units } = shape;
  const read = (t: TensorInfo) => backend.readSync(t.dataId) as Float32Array;
  const { dy, states, s, h0, mask } = inputs;
  const values = [dy, states, s, h0, mask].map(read);
  const outShapes = [dy.shape, [units], [batch, units]]; // dz, ds, dh0
  const lengths = [...values.map((v) => v.length), ...outShapes.map(util.sizeFromShape)];
  const grads = withCpuMemory(lengths, (memory) => {
    const [dyB, statesB, sB, h0B, maskB] = values.map((v) => memory.input(v));
    const [dz, ds, dh0] = outShapes.map((outShape) => memory.alloc(outShape));
    const sweepInputs = { dy: dyB, states: statesB, s: sB, h0: h0B, mask: maskB };
    recurrenceGradCall(memory, sweepInputs, { dz, ds, dh0 }, shape);
    return [dz, ds, dh0].map((b) => memory.output(b));
  });
  return grads.map((values, i) => ({
    dataId: backend.write(values, outShapes[i], 'float32'),
    shape: outShapes[i],
    dtype: 'float32',
  }));
}

export const hadamardRecurrenceGradConfig = kernelConfig(
  HadamardRecurrenceGrad,
  'cpu',
  hadamardRecurrenceGrad,
);
