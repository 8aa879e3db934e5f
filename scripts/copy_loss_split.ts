/**
 * Where a copy-task model's validation loss comes from: the blank steps, the recalled symbols it
 * gets wrong, and the ones it gets right (docs/results.md quotes it for the T = 1000 runs).
 *   npx tsx scripts/copy_loss_split.ts <run folder>/checkpoint [T] [seed] [evalSize]
 */
import '../src';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { loadLayersModel } from '@tensorflow/tfjs-layers';
import { COPY_OUTPUT_CLASSES, COPY_SYMBOLS, copyTask } from '../src/training/tasks/copy_task';
import { fileSystem } from '../src/io/register';

const BATCH = 32;

async function main(): Promise<void> {
  const [dir, t = '1000', seed = '1', evalSize = '256'] = process.argv.slice(2);
  if (dir == null) {
    throw new Error(
      'usage: npx tsx scripts/copy_loss_split.ts <model folder> [T] [seed] [evalSize]',
    );
  }
  await tf.setBackend('wasm');
  const steps = Number(t);
  const model = await loadLayersModel(fileSystem(dir));
  const task = copyTask({ timeSteps: steps, seed: Number(seed), evalSize: Number(evalSize) });
  const split = task.validation;
  let blank = 0;
  let recalledRight = 0;
  let recalledWrong = 0;
  let errors = 0;
  for (let start = 0; start < split.size; start += BATCH) {
    const count = Math.min(BATCH, split.size - start);
    const { x, labels } = split.batch(start, count);
    const [losses, predicted, truth] = tf.tidy(() => {
      const logits = model.predict(x) as tf.Tensor;
      const picked = tf.sum(
        tf.mul(tf.oneHot(labels as tf.Tensor2D, COPY_OUTPUT_CLASSES), logits),
        -1,
      );
      return [tf.sub(tf.logSumExp(logits, -1), picked), tf.argMax(logits, -1), labels];
    });
    const [loss, guess, label] = [losses.dataSync(), predicted.dataSync(), truth.dataSync()];
    for (let i = 0; i < loss.length; i++) {
      if (i % steps < steps - COPY_SYMBOLS) {
        blank += loss[i];
      } else if (guess[i] === label[i]) {
        recalledRight += loss[i];
      } else {
        recalledWrong += loss[i];
        errors++;
      }
    }
    tf.dispose([x, labels, losses, predicted]);
  }
  const total = blank + recalledRight + recalledWrong;
  const symbols = split.size * COPY_SYMBOLS;
  console.log(`validation loss ${(total / (split.size * steps)).toPrecision(4)} per step`);
  console.log(`blank steps: ${((100 * blank) / total).toFixed(1)}% of it`);
  console.log(
    `${errors} wrong symbols of ${symbols}: ${((100 * recalledWrong) / total).toFixed(1)}%`,
  );
  console.log(
    `right symbols: ${((100 * recalledRight) / total).toFixed(1)}% ` +
      `(${(recalledRight / (symbols - errors)).toFixed(4)} nats each)`,
  );
}

void main();
