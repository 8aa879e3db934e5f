/**
 * tfjs-hadamrnn/lite: runs HadamRNN models exported in the `bits` format, with no dependency and
 * no tfjs, in Node, browser pages and Web Workers.
 *
 * @module lite
 */
export { LiteModel, loadModel } from './model';
export { ACTIVATIONS, type ActivationName } from './format';
