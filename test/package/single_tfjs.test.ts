/**
 * The import-time check for a second tfjs-core copy (src/single_tfjs.ts). jest's isolated module
 * registry gives a second copy of tfjs-core, as npm can install one, sharing the global engine of
 * the first (tfjs keeps its engine on globalThis).
 */
import * as tf from '@tensorflow/tfjs-core';

const MESSAGE =
  `tfjs-hadamrnn: two copies of @tensorflow/tfjs-core are loaded: ${tf.version_core}, ` +
  'imported by tfjs-hadamrnn';

describe('the check for a single tfjs-core', () => {
  it('passes with one copy of tfjs-core and tfjs-layers', () => {
    const { checkSingleTfjsCore } =
      jest.requireActual<typeof import('../../src/single_tfjs')>('../../src/single_tfjs');
    expect(() => checkSingleTfjsCore('4.22.0')).not.toThrow();
    expect(() => checkSingleTfjsCore(null)).not.toThrow();
  });

  it('throws naming the versions and the fix when another copy created the engine', () => {
    tf.engine(); // the first copy owns the global engine
    jest.isolateModules(() => {
      const { checkSingleTfjsCore } =
        jest.requireActual<typeof import('../../src/single_tfjs')>('../../src/single_tfjs');
      expect(() => checkSingleTfjsCore(null)).toThrow(MESSAGE);
      expect(() => jest.requireActual('../../src/check_single_tfjs')).toThrow(
        /the application loaded its tfjs-core first\)\. .*npm install @tensorflow\/tfjs@\S+ @tensorflow\/tfjs-core@\S+ @tensorflow\/tfjs-layers@\S+ @tensorflow\/tfjs-backend-cpu@\S+/,
      );
    });
  });

  it('throws naming tfjs-layers when it registered its classes in another copy', () => {
    const outerLayers = jest.requireActual('@tensorflow/tfjs-layers') as { version_layers: string };
    jest.isolateModules(() => {
      // A fresh tfjs-core owning a fresh engine, but the tfjs-layers bound to the outer copy.
      const globals = globalThis as { _tfengine?: unknown };
      const engine = globals._tfengine;
      delete globals._tfengine;
      try {
        jest.doMock('@tensorflow/tfjs-layers', () => outerLayers);
        expect(() => jest.requireActual('../../src/check_single_tfjs')).toThrow(
          `(@tensorflow/tfjs-layers ${outerLayers.version_layers} imports it)`,
        );
      } finally {
        globals._tfengine = engine;
        jest.dontMock('@tensorflow/tfjs-layers');
      }
    });
  });
});
