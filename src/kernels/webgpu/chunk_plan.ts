import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { env } from '@tensorflow/tfjs-core';

/**
 * Environment flag: bytes of workgroup memory the programs may use, capped by the device's limit
 * (0: the device's limit). Tests set it low to run the storage-memory path on small blocks.
 */
export const WORKGROUP_BYTES_FLAG = 'HADAMRNN_WEBGPU_WORKGROUP_BYTES';
env().registerFlag(WORKGROUP_BYTES_FLAG, () => 0);

/** How a program splits a row of `units` values into chunks, one workgroup each. */
export interface ChunkPlan {
  /** Values per workgroup: whole blocks, dividing the row. */
  chunk: number;
  /** Invocations per workgroup. */
  threads: number;
  /** Whether each of the program's work buffers lives in workgroup memory (else in its output). */
  shared: boolean;
}

/**
 * Environment flag: invocations per workgroup at most; 0 (default) picks by adapter: 256 (WebGPU's
 * default limit) on a GPU, 4 on SwiftShader, whose CPU emulation of a barrier costs more than the
 * parallelism inside a workgroup gains (about 10x on a [64, 512] transform, measured on 2 cores).
 */
export const THREADS_FLAG = 'HADAMRNN_WEBGPU_THREADS';
env().registerFlag(THREADS_FLAG, () => 0);

/** Invocations per workgroup at most on a GPU, and on a CPU-emulated adapter. */
const GPU_THREADS = 256;
const CPU_THREADS = 4;

/** Whether the backend's adapter emulates a GPU on the CPU (SwiftShader). */
function cpuAdapter(backend: WebGPUBackend): boolean {
  // AdapterInfo keeps the adapter's strings private in its types, not at run time.
  const info = backend.adapterInfo as unknown as { vendor?: string; architecture?: string };
  return /swiftshader/i.test(`${info?.vendor ?? ''} ${info?.architecture ?? ''}`);
}

/** Values a workgroup aims for: 256 invocations of one butterfly pair each. */
const TARGET_CHUNK = 512;

/**
 * The chunk of a row that one workgroup transforms: whole blocks of `blockSize`, as many as divide
 * the row up to TARGET_CHUNK values, with `buffers` work buffers of `chunk` floats in workgroup
 * memory when the device's limit holds them. A block too large for that is one chunk whose work
 * buffers are regions of the program's output (storage memory), as slow as it is rare.
 */
export function planChunk(
  backend: WebGPUBackend,
  units: number,
  blockSize: number,
  buffers: number,
): ChunkPlan {
  const limits = backend.device.limits;
  const cap = env().getNumber(WORKGROUP_BYTES_FLAG);
  const bytes = Math.min(limits.maxComputeWorkgroupStorageSize, cap > 0 ? cap : Infinity);
  // Reserve 64 bytes for the programs' small workgroup variables.
  const sharedFloats = Math.floor((bytes - 64) / 4 / buffers);
  const threads = env().getNumber(THREADS_FLAG);
  const maxThreads = Math.min(
    threads > 0 ? threads : cpuAdapter(backend) ? CPU_THREADS : GPU_THREADS,
    limits.maxComputeInvocationsPerWorkgroup,
  );
  // One invocation per butterfly pair; per value when blocks of 1 have no pairs (chunks may be odd).
  const threadsFor = (chunk: number) => Math.min(maxThreads, blockSize === 1 ? chunk : chunk / 2);
  if (blockSize > sharedFloats) {
    return { chunk: blockSize, threads: threadsFor(blockSize), shared: false };
  }
  const most = Math.min(sharedFloats, Math.max(blockSize, TARGET_CHUNK));
  const blocks = units / blockSize;
  let perChunk = 1;
  for (let k = Math.floor(most / blockSize); k > 1; k--) {
    if (blocks % k === 0) {
      perChunk = k;
      break;
    }
  }
  const chunk = blockSize * perChunk;
  return { chunk, threads: threadsFor(chunk), shared: true };
}
