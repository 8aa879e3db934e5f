/**
 * Cross-backend agreement in Node: one model and one set of weights predict on every backend of
 * the harness (cpu, the stock-ops fallback, wasm), within the documented tolerance of the cpu
 * result, with bit-identical signs s = sign(u) (including u = 0 and -0, which give +1).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { hadamRNN, quantizedDense, type HadamRNN } from '../../src/index';
import { NODE_BACKENDS, describeEachBackend, type BackendUnderTest } from '../harness/backends';
import { randomValues } from '../harness/random';

/** Largest |y - y_cpu| accepted, relative to max(1, max|y_cpu|) (see docs/reliability.md). */
export const AGREEMENT_TOLERANCE = 1e-5;

const SIZES = { batch: 3, steps: 64, features: 10, units: 32, blockSize: 8, classes: 9 };

function buildModel(): tfl.Sequential {
  const { steps, features, units, blockSize, classes } = SIZES;
  return tfl.sequential({
    layers: [
      hadamRNN({ units, blockSize, returnSequences: true, inputShape: [steps, features] }),
      quantizedDense({ units: classes }),
    ],
  });
}

/** Seeded weight values; u starts with an exact 0 and a -0. */
function weightValues(shapes: number[][]): Float32Array[] {
  return shapes.map((shape, i) => {
    const values = randomValues(
      shape.reduce((a, b) => a * b, 1),
      40 + i,
    );
    if (i === 1) {
      values[0] = 0;
      values[1] = -0;
    }
    return values;
  });
}

const label = (b: BackendUnderTest) => b.label ?? b.name;
const results = new Map<string, { y: Float32Array; signs: Float32Array }>();
const shapes = (() => {
  const m = buildModel();
  const s = m.getWeights().map((w) => w.shape);
  m.dispose();
  return s;
})();
const weights = weightValues(shapes);
const { batch, steps, features } = SIZES;
const x = randomValues(batch * steps * features, 77);

describeEachBackend('cross-backend agreement: predict', (backend) => {
  it('predicts with the shared weights', async () => {
    const model = buildModel();
    model.setWeights(weights.map((w, i) => tf.tensor(w, shapes[i])));
    const y = tf.tidy(() => model.predict(tf.tensor3d(x, [batch, steps, features])) as tf.Tensor);
    const signs = (model.layers[0] as HadamRNN).cell.recurrentSigns();
    results.set(label(backend), {
      y: (await y.data()) as Float32Array,
      signs: (await signs.data()) as Float32Array,
    });
    tf.dispose([y, signs]);
    model.dispose();
  });
});

describe('cross-backend agreement', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each(NODE_BACKENDS.filter((b) => label(b) !== 'cpu').map((b) => [label(b)] as const))(
    '%s agrees with cpu',
    (name) => {
      const cpu = results.get('cpu')!;
      const other = results.get(name)!;
      expect(Array.from(other.signs)).toEqual(Array.from(cpu.signs));
      expect(cpu.signs[0]).toBe(1); // sign(0) = +1
      expect(cpu.signs[1]).toBe(1); // sign(-0) = +1
      let scale = 1;
      let worst = 0;
      cpu.y.forEach((v, i) => {
        scale = Math.max(scale, Math.abs(v));
        worst = Math.max(worst, Math.abs(v - other.y[i]));
      });
      console.log(
        `${name} vs cpu: max |dy| = ${worst.toExponential(2)}, scale ${scale.toFixed(2)}`,
      );
      expect(worst).toBeLessThanOrEqual(AGREEMENT_TOLERANCE * scale);
    },
  );
});
