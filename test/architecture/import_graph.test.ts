/**
 * The layering of src/ as docs/architecture.md draws it, read from the imports themselves:
 * backends are siblings over one shared module, the layers sit above the quantizers,
 * constraints, initializers and ops, and no import runs in a circle.
 */
import * as path from 'node:path';
import {
  cycles,
  readImportGraph,
  relativeSpecifiers,
  violations,
  type ImportGraph,
} from './import_graph';

const ROOT = path.resolve(__dirname, '../..');
const BACKENDS = ['cpu', 'wasm', 'webgl', 'webgpu'];

/** The folder right below src/ (or the file's own name for files at the top). */
function area(file: string): string {
  return file.split('/')[1];
}

/** The backend folder a file sits in, or null outside src/kernels/<backend>/. */
function backendOf(file: string): string | null {
  const parts = file.split('/');
  return parts[1] === 'kernels' && BACKENDS.includes(parts[2]) ? parts[2] : null;
}

const graph = readImportGraph(ROOT);

describe('the import graph of src/', () => {
  it('is read from the sources (the reader finds known edges)', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('src/index.ts')).toContain('src/layers/hadam_rnn.ts');
  });

  it('has no backend folder importing a sibling backend', () => {
    const sibling = (from: string, to: string) => {
      const a = backendOf(from);
      const b = backendOf(to);
      return a != null && b != null && a !== b;
    };
    expect(violations(graph, sibling)).toEqual([]);
  });

  it('has kernels importing only kernels (names, shared module, impl files)', () => {
    const upward = (from: string, to: string) => area(from) === 'kernels' && area(to) !== 'kernels';
    expect(violations(graph, upward)).toEqual([]);
  });

  it('has no quantizer, constraint, initializer, op or gradient importing a layer', () => {
    const below = ['quantizers', 'constraints', 'initializers', 'ops', 'gradients', 'kernels'];
    const above = ['layers', 'io', 'export', 'cli', 'callbacks', 'training'];
    const upward = (from: string, to: string) =>
      below.includes(area(from)) && above.includes(area(to));
    expect(violations(graph, upward)).toEqual([]);
  });

  it('has only the training library and the CLI importing src/training/', () => {
    const intoTraining = (from: string, to: string) =>
      !['training', 'cli'].includes(area(from)) && area(to) === 'training';
    expect(violations(graph, intoTraining)).toEqual([]);
  });

  it('has only the CLI front end importing src/cli/ (the training library sits below it)', () => {
    const intoCli = (from: string, to: string) => area(from) !== 'cli' && area(to) === 'cli';
    expect(violations(graph, intoCli)).toEqual([]);
  });

  it('has common/ (validation, strict arguments, the resolver) importing nothing above it', () => {
    const upward = (from: string, to: string) => area(from) === 'common' && area(to) !== 'common';
    expect(violations(graph, upward)).toEqual([]);
  });

  it('has the lite runtime importing nothing outside lite/', () => {
    const outside = (from: string, to: string) => area(from) === 'lite' && area(to) !== 'lite';
    expect(violations(graph, outside)).toEqual([]);
  });

  it('has no import circle', () => {
    expect(cycles(graph)).toEqual([]);
  });
});

describe('the import graph reader', () => {
  it('finds static, re-export, dynamic and require specifiers, and skips packages', () => {
    const text = [
      "import { a } from './a';",
      "export { b } from '../b';",
      "import './side_effect';",
      "const c = await import('./c');",
      "const d = require('../d');",
      "import * as tf from '@tensorflow/tfjs-core';",
    ].join('\n');
    expect(relativeSpecifiers(text)).toEqual(['./a', '../b', './side_effect', './c', '../d']);
  });

  it('reports a sibling-backend edge and a circle when there is one', () => {
    const fixture: ImportGraph = new Map([
      ['src/kernels/cpu/A.ts', ['src/kernels/wasm/B.ts']],
      ['src/kernels/wasm/B.ts', ['src/kernels/cpu/A.ts']],
      ['src/kernels/names.ts', []],
    ]);
    const sibling = (from: string, to: string) =>
      backendOf(from) != null && backendOf(to) != null && backendOf(from) !== backendOf(to);
    expect(violations(fixture, sibling)).toEqual([
      'src/kernels/cpu/A.ts -> src/kernels/wasm/B.ts',
      'src/kernels/wasm/B.ts -> src/kernels/cpu/A.ts',
    ]);
    expect(cycles(fixture)).toEqual([['src/kernels/cpu/A.ts', 'src/kernels/wasm/B.ts']]);
  });
});
