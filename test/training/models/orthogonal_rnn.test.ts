import {
  matMul,
  memory,
  randomNormal,
  sub,
  sum,
  tensor2d,
  tidy,
  transpose,
  variableGrads,
  type Scalar,
  type Tensor,
  type Tensor2D,
  type Tensor3D,
} from '@tensorflow/tfjs-core';
import { sequential } from '@tensorflow/tfjs-layers';
import { expm, OrthogonalRNN } from '../../../src/training/models/orthogonal_rnn';
import { valuesOf, expectClose } from '../../harness/expect';

describe('expm', () => {
  it('gives the rotation of a 2x2 skew matrix, including angles that need squaring', () => {
    for (const theta of [0, 0.3, -2.5, 7]) {
      const w = expm(
        tensor2d([
          [0, theta],
          [-theta, 0],
        ]),
      );
      expectClose(
        valuesOf(w),
        [Math.cos(theta), Math.sin(theta), -Math.sin(theta), Math.cos(theta)],
        1e-5,
      );
      w.dispose();
    }
  });

  it('is orthogonal for a random skew matrix, without leaks', () => {
    const before = memory().numTensors;
    const err = tidy(() => {
      const x = randomNormal([16, 16], 0, 1, 'float32', 3) as Tensor2D;
      const w = expm(sub(x, transpose(x)));
      return sub(
        matMul(w, w, true, false),
        tensor2d(
          Array.from({ length: 256 }, (_, k) => (k % 17 === 0 ? 1 : 0)),
          [16, 16],
        ),
      );
    });
    expect(Math.max(...valuesOf(err).map(Math.abs))).toBeLessThan(1e-4);
    err.dispose();
    expect(memory().numTensors).toBe(before);
  });
});

describe('OrthogonalRNN', () => {
  it('computes h_t = W h_{t-1} + U x_t + b with W = expm(X - X^T), outputs relu(h)', () => {
    const layer = new OrthogonalRNN({
      units: 4,
      returnSequences: true,
      inputShape: [3, 2],
      seed: 4,
    });
    const model = sequential({ layers: [layer] });
    const x = randomNormal([2, 3, 2], 0, 1, 'float32', 9) as Tensor3D;
    const y = model.predict(x) as Tensor3D;
    const [kernel, , bias] = layer.getWeights().map((w) => w.arraySync() as number[][]);
    const w = layer.recurrentMatrix().arraySync();
    const xs = x.arraySync();
    const expected: number[] = [];
    for (let b = 0; b < 2; b++) {
      let h = [0, 0, 0, 0];
      for (let t = 0; t < 3; t++) {
        h = h.map((_, i) => {
          let v = (bias as unknown as number[])[i];
          for (let j = 0; j < 4; j++) v += w[i][j] * h[j];
          for (let k = 0; k < 2; k++) v += xs[b][t][k] * kernel[k][i];
          return v;
        });
        expected.push(...h.map((v) => Math.max(0, v)));
      }
    }
    expectClose(valuesOf(y), expected, 1e-5);
    // The recurrent matrix is orthogonal from the Henaff init on.
    const wt = layer.recurrentMatrix();
    expectClose(
      valuesOf(matMul(wt, wt, false, true)),
      [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1],
      1e-5,
    );
    model.dispose();
  });

  it('trains its latent skew matrix through expm (gradient against finite differences)', () => {
    const layer = new OrthogonalRNN({ units: 4, inputShape: [5, 1], seed: 1 });
    const model = sequential({ layers: [layer] });
    const x = randomNormal([3, 5, 1], 0, 1, 'float32', 2);
    const loss = () => sum(model.apply(x) as Tensor) as Scalar;
    const { grads: g } = variableGrads(loss);
    const name = layer.weights[1].name;
    const analytic = g[
      Object.keys(g).find((k) => k.includes('recurrent_kernel'))!
    ].arraySync() as number[][];
    const weights = layer.getWeights();
    const x0 = weights[1].arraySync() as number[][];
    // A small step: a larger one may carry an output across ReLU's kink.
    const eps = 1e-3;
    const at = (delta: number) => {
      const xs = x0.map((row) => [...row]);
      xs[1][2] += delta;
      layer.setWeights([weights[0], tensor2d(xs), weights[2]]);
      return loss().dataSync()[0];
    };
    const numeric = (at(eps) - at(-eps)) / (2 * eps);
    expect(name).toContain('recurrent_kernel');
    expect(Math.abs(analytic[1][2] - numeric)).toBeLessThan(2e-2 * Math.max(1, Math.abs(numeric)));
    expect(Math.abs(analytic[1][2])).toBeGreaterThan(0);
    model.dispose();
  });

  it('rejects an odd number of units', () => {
    expect(() => new OrthogonalRNN({ units: 3 })).toThrow(
      'OrthogonalRNN: units must be a positive even integer, got 3',
    );
  });
});
