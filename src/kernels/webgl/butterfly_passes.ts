/**
 * Runs the butterfly over blocks of `blockSize` values in as few passes of `ButterflyProgram` as the
 * maximum radix allows, disposing each intermediate texture as soon as the next pass has read it.
 *
 * The maximum radix is the environment flag `HADAMRNN_WEBGL_MAX_RADIX_LOG` (default 3: radix 8).
 * A radix-R pass reads R values per output, so a transform of log2(b) stages costs
 * ceil(log2(b) / log2(R)) passes and R / log2(R) reads per value and stage; `bench/webgl.ts`
 * measures the trade-off (set the flag, or `?tfjsflags=HADAMRNN_WEBGL_MAX_RADIX_LOG:4` in a page).
 */
import type { MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import { env, type TensorInfo } from '@tensorflow/tfjs-core';
import { PackedButterflyProgram } from './butterfly_packed_gpu';
import {
  ButterflyProgram,
  type ButterflyEpilogue,
  type ButterflyPrologue,
  type ButterflyUniforms,
} from './butterfly_gpu';

/** Environment flag: log2 of the largest radix of one butterfly pass. */
export const MAX_RADIX_LOG_FLAG = 'HADAMRNN_WEBGL_MAX_RADIX_LOG';
env().registerFlag(MAX_RADIX_LOG_FLAG, () => 3);

/**
 * log2 of each pass's radix for a block of `blockSize`: ceil(L / maxRadixLog) passes sharing the
 * L = log2(blockSize) stages as evenly as possible (one copy pass when L = 0).
 */
export function radixPlan(blockSize: number, maxRadixLog: number): number[] {
  const stages = Math.round(Math.log2(blockSize));
  const passes = Math.max(1, Math.ceil(stages / maxRadixLog));
  return Array.from({ length: passes }, (_, p) => Math.floor((stages + p) / passes));
}

/**
 * The transform of packed [rows, units] `x` (tfjs's 2 x 2 texel layout; units and blockSize >= 2)
 * over blocks of `blockSize` consecutive columns, by `PackedButterflyProgram` passes: the in-texel
 * stage rides on the first pass, the other log2(blockSize) - 1 stages are split by `radixPlan`.
 * Strides stay below blockSize, so units may hold several blocks. Returns a packed [rows, units]
 * texture; disposes its intermediates. On WebGL2, passes whose textures are row pairs read by
 * coordinate steps (see butterfly_packed_gpu.ts).
 */
export function runPackedButterfly(
  backend: MathBackendWebGL,
  x: TensorInfo,
  blockSize: number,
  scale: number,
): TensorInfo {
  const [rows, units] = x.shape;
  const plan = radixPlan(blockSize / 2, env().getNumber(MAX_RADIX_LOG_FLAG));
  const bitwise = env().getNumber('WEBGL_VERSION') === 2;
  let source = x;
  let stride = 1;
  plan.forEach((radixLog, p) => {
    const last = p === plan.length - 1;
    const pass = (rowPairs: boolean) => {
      const program = new PackedButterflyProgram(rows, units, {
        radixLog,
        inTexel: p === 0,
        bitwise,
        rowPairs,
      });
      return backend.runWebGLProgram(
        program,
        [source],
        'float32',
        program.uniformValues(stride, last ? scale : 1),
      );
    };
    let out: TensorInfo;
    if (bitwise && readsAsRowPairs(backend, source)) {
      out = pass(true);
      // The output's texture shape is tfjs's choice; in the rare case it is not row pairs (a
      // texture too long for one side), this pass is redone by (row, column).
      if (!isRowPairTexture(backend.texData.get(out.dataId)?.texShape, rows, units)) {
        backend.disposeIntermediateTensorInfo(out);
        out = pass(false);
      }
    } else {
      out = pass(false);
    }
    if (p > 0) {
      backend.disposeIntermediateTensorInfo(source);
    }
    source = out;
    stride *= 2 ** radixLog;
  });
  return source;
}

/** Whether a packed texture of logical texture shape `texShape` holds [rows, units] as row pairs. */
function isRowPairTexture(texShape: number[] | undefined, rows: number, units: number): boolean {
  return texShape != null && texShape[0] === rows + (rows % 2) && texShape[1] === units;
}

/**
 * Whether a packed program reads `x` ([rows, units]) from a row-pair texture laid out as its
 * output will be: packed row pairs already, or unpacked, which runWebGLProgram packs with the
 * output's texture shape (both are tfjs's choice for a packed [rows, units]).
 */
function readsAsRowPairs(backend: MathBackendWebGL, x: TensorInfo): boolean {
  const data = backend.texData.get(x.dataId);
  if (data == null) {
    return false;
  }
  return data.isPacked ? isRowPairTexture(data.texShape, x.shape[0], x.shape[1]) : true;
}

/** Inputs of the prologue and epilogue, by their program variable names. */
export type ButterflyInputs = Partial<
  Record<'s' | 'mask' | 'z' | 'prev' | 'dy' | 'acc' | 'g', TensorInfo>
>;

/** One butterfly over `rows` x `units` values. */
export interface ButterflyCall {
  /** Flat source; with `xSteps` > 1, row r of the result reads step `xStep` of row r of x. */
  x: TensorInfo;
  rows: number;
  units: number;
  blockSize: number;
  /** Applied once, by the last pass. */
  scale: number;
  prologue?: ButterflyPrologue;
  epilogue?: ButterflyEpilogue;
  inputs?: ButterflyInputs;
  uniforms?: Partial<Pick<ButterflyUniforms, 'xSteps' | 'xStep' | 'steps' | 'stepT' | 'nextK'>>;
}

/** Runs the passes of `call`; the caller owns (and disposes) the flat [rows * units] result. */
export function runButterfly(backend: MathBackendWebGL, call: ButterflyCall): TensorInfo {
  const plan = radixPlan(call.blockSize, env().getNumber(MAX_RADIX_LOG_FLAG));
  const size = call.rows * call.units;
  const named: Record<string, TensorInfo | undefined> = { ...call.inputs };
  let source = call.x;
  let stride = 1;
  for (let p = 0; p < plan.length; p++) {
    const first = p === 0;
    const last = p === plan.length - 1;
    const program = new ButterflyProgram(size, {
      radixLog: plan[p],
      prologue: first ? (call.prologue ?? 'none') : 'none',
      epilogue: last ? (call.epilogue ?? 'scale') : 'scale',
    });
    const inputs = program.variableNames.map((name) => {
      const input = name === 'x' ? source : named[name];
      if (input == null) {
        throw new Error(`webgl butterfly: input '${name}' missing for this pass`);
      }
      return input;
    });
    const uniforms = program.uniformValues({
      units: call.units,
      stride,
      scale: last ? call.scale : 1,
      xSteps: first ? (call.uniforms?.xSteps ?? 1) : 1,
      xStep: first ? (call.uniforms?.xStep ?? 0) : 0,
      steps: call.uniforms?.steps ?? 1,
      stepT: call.uniforms?.stepT ?? 0,
      nextK: call.uniforms?.nextK ?? -1,
    });
    const out = backend.runWebGLProgram(program, inputs, 'float32', uniforms);
    if (!first) {
      backend.disposeIntermediateTensorInfo(source);
    }
    source = out;
    stride *= 2 ** plan[p];
  }
  return source;
}

/**
 * Runs `f` on flat float32 [size] views of `tensors` over unpacked textures, then frees what the
 * views allocated. Packed textures (the output of tfjs's packed kernels, such as matMul) are
 * unpacked first with their own shape: a packed layout depends on the logical shape, an unpacked
 * one only on the flat order.
 */
export function withFlatViews<T>(
  backend: MathBackendWebGL,
  tensors: TensorInfo[],
  f: (flats: TensorInfo[]) => T,
): T {
  const flats = tensors.map((x) => {
    const shape = [x.shape.reduce((a, b) => a * b, 1)];
    const source = backend.texData.get(x.dataId)?.isPacked ? backend.unpackTensor(x) : x;
    return { dataId: source.dataId, shape, dtype: 'float32' as const };
  });
  try {
    return f(flats);
  } finally {
    flats.forEach((flat, j) => {
      if (flat.dataId !== tensors[j].dataId) {
        backend.disposeIntermediateTensorInfo(flat);
      }
    });
  }
}
