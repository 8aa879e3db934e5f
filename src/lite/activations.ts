/** The activations a bits file can name, applied in place. */
import type { ActivationName } from './format';

/** Applies `name` to `x` in place (softmax over all of x). */
export function activate(name: ActivationName, x: Float64Array): void {
  switch (name) {
    case 'linear':
      return;
    case 'relu':
      for (let i = 0; i < x.length; i++) x[i] = x[i] > 0 ? x[i] : 0;
      return;
    case 'sigmoid':
      for (let i = 0; i < x.length; i++) x[i] = 1 / (1 + Math.exp(-x[i]));
      return;
    case 'tanh':
      for (let i = 0; i < x.length; i++) x[i] = Math.tanh(x[i]);
      return;
    case 'softmax': {
      let max = -Infinity;
      for (let i = 0; i < x.length; i++) max = Math.max(max, x[i]);
      let sum = 0;
      for (let i = 0; i < x.length; i++) sum += x[i] = Math.exp(x[i] - max);
      for (let i = 0; i < x.length; i++) x[i] /= sum;
    }
  }
}
