// Every jest worker: the cpu backend, tfjs's gradients (registered by tfjs-layers), and the
// engine's per-kernel check for leaked data ids (IS_TEST).
import '@tensorflow/tfjs-backend-cpu';
import { env } from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';

env().set('IS_TEST', true);
