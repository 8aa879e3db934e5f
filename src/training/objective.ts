/**
 * The training objective and the accuracy of a task: softmax cross-entropy over every labelled
 * step (every step of the copy task, the last step of MNIST), and accuracy over the scored steps
 * (the 10 recalled symbols of the copy task, the class of MNIST).
 */
import {
  argMax,
  cast,
  equal,
  logSumExp,
  mean,
  mul,
  oneHot,
  slice,
  sub,
  sum,
  tidy,
  type Scalar,
  type Tensor,
} from '@tensorflow/tfjs-core';
import type { Task } from './tasks/task';
import type { Score } from './train_state';

/**
 * Mean softmax cross-entropy of `logits` ([batch, (T,) classes]) against int labels:
 * `mean(logSumExp(logits) − logits[label])`. Written with plain ops rather than
 * `tf.losses.softmaxCrossEntropy`, whose customGrad op trips tfjs's IS_TEST leak check.
 */
export function taskLoss(task: Task, logits: Tensor, labels: Tensor): Scalar {
  return tidy(() => {
    const picked = sum(mul(oneHot(labels, task.classes), logits), -1);
    return mean(sub(logSumExp(logits, -1), picked));
  }) as Scalar;
}

/** Number of correct predictions on the scored steps, and how many were scored. */
export function correctCount(
  task: Task,
  logits: Tensor,
  labels: Tensor,
): { correct: Scalar; scored: number } {
  return tidy(() => {
    let scoredLogits = logits;
    let scoredLabels = labels;
    if (task.labelsEveryStep) {
      const [batch, steps, classes] = logits.shape;
      const first = steps - task.scoredSteps;
      scoredLogits = slice(logits, [0, first, 0], [batch, task.scoredSteps, classes]);
      scoredLabels = slice(labels, [0, first], [batch, task.scoredSteps]);
    }
    const hits = cast(equal(argMax(scoredLogits, -1), scoredLabels), 'float32');
    return { correct: sum(hits) as Scalar, scored: scoredLabels.size };
  });
}

/** Accumulates loss (weighted by examples) and accuracy over batches. */
export class ScoreMeter {
  private lossSum = 0;
  private examples = 0;
  private correct = 0;
  private scored = 0;

  /** Adds a batch of `examples` examples with mean loss `loss` and `correct` of `scored` hits. */
  add(loss: number, examples: number, correct: number, scored: number): void {
    this.lossSum += loss * examples;
    this.examples += examples;
    this.correct += correct;
    this.scored += scored;
  }

  /** The mean loss and accuracy so far (NaN before any batch). */
  score(): Score {
    return { loss: this.lossSum / this.examples, accuracy: this.correct / this.scored };
  }
}
