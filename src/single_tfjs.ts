/**
 * Checks, on import, that this package and the application share one copy of tfjs-core, and that
 * tfjs-layers uses that copy too. npm can install a second copy (say `npm i tfjs-hadamrnn
 * @tensorflow/tfjs@4.20.0` in one command places the newest tfjs-core for this package's peers and
 * nests 4.20.0 under @tensorflow/tfjs); tensors and classes of one copy are then unknown to the
 * other, and `predict` fails far from the cause ("values passed to tensor(values) must be a
 * number/boolean/string...", "Unknown layer: HadamRNN").
 */
import { env, Environment, serialization, version_core } from '@tensorflow/tfjs-core';
import { hasOwn } from './common/validate';

/**
 * Throws naming the tfjs-core versions loaded and the fix, if another tfjs-core copy created the
 * engine (it was loaded first) or tfjs-layers registered its classes in another copy.
 * @param layersVersion The version of the tfjs-layers imported, or null to check tfjs-core only
 * (the ops entry point, which does not import tfjs-layers).
 */
export function checkSingleTfjsCore(layersVersion: string | null): void {
  // The engine is a global shared by every copy; its environment is an instance of the copy that
  // created it.
  const engineIsOurs = env() instanceof Environment;
  // tfjs-layers registers its layers, such as Dense, in the tfjs-core copy it imports.
  const layersAreOurs =
    layersVersion == null || hasOwn(serialization.SerializationMap.getMap().classNameMap, 'Dense');
  if (engineIsOurs && layersAreOurs) {
    return;
  }
  const others = loadedCoreVersions().filter((v) => v !== version_core);
  const other = others.length > 0 ? others.join(', ') : 'another version';
  const target = others[0] ?? layersVersion ?? version_core;
  const culprit = layersAreOurs
    ? 'the application loaded its tfjs-core first'
    : `@tensorflow/tfjs-layers ${layersVersion} imports it`;
  throw new Error(
    `tfjs-hadamrnn: two copies of @tensorflow/tfjs-core are loaded: ${version_core}, imported by ` +
      `tfjs-hadamrnn, and ${other} (${culprit}). Tensors and layers of one copy are unknown to the ` +
      'other. Install every tfjs package at one version in one command, e.g. npm install ' +
      `@tensorflow/tfjs@${target} @tensorflow/tfjs-core@${target} @tensorflow/tfjs-layers@${target} ` +
      `@tensorflow/tfjs-backend-cpu@${target} (if npm refuses, remove node_modules and ` +
      'package-lock.json first), then check that npm ls @tensorflow/tfjs-core lists one version.',
  );
}

type GetBuiltinModule = (id: string) => unknown;

/** Versions of the tfjs-core copies Node's CommonJS loader holds (none elsewhere), for the message. */
function loadedCoreVersions(): string[] {
  const proc = (globalThis as { process?: { getBuiltinModule?: GetBuiltinModule; cwd(): string } })
    .process;
  if (typeof proc?.getBuiltinModule !== 'function') {
    return [];
  }
  try {
    const { createRequire } = proc.getBuiltinModule('module') as {
      createRequire(path: string): { cache: Record<string, unknown> };
    };
    const { readFileSync } = proc.getBuiltinModule('fs') as {
      readFileSync(path: string, encoding: 'utf8'): string;
    };
    const cache = createRequire(`${proc.cwd()}/`).cache;
    const roots = new Set<string>();
    for (const file of Object.keys(cache)) {
      const match = /^(.*[\\/]@tensorflow[\\/]tfjs-core)[\\/]/.exec(file);
      if (match != null) {
        roots.add(match[1]);
      }
    }
    return [...roots].map(
      (root) =>
        (JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { version: string }).version,
    );
  } catch {
    return [];
  }
}
