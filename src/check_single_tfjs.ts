/** Runs the single-tfjs-core check (src/single_tfjs.ts) on import, tfjs-layers included. */
import { version_layers } from '@tensorflow/tfjs-layers';
import { checkSingleTfjsCore } from './single_tfjs';

checkSingleTfjsCore(version_layers);
