/** The progress of a training run: what a checkpoint saves and the metrics file reports. */

/** Loss and accuracy over a set of examples. */
export interface Score {
  loss: number;
  /** Fraction in [0, 1]: classification accuracy (MNIST) or symbols recalled (copy). */
  accuracy: number;
}

/** One training step's running figures. */
export interface StepRecord extends Score {
  step: number;
}

/** The figures at the end of an epoch. */
export interface EpochRecord {
  epoch: number;
  /** Global step count at the end of the epoch. */
  step: number;
  /** Learning rate used during the epoch. */
  learningRate: number;
  /** Batch size used during the epoch (a resume may change it). */
  batch?: number;
  train: Score;
  validation: Score;
  /** Training wall time so far, in seconds (evaluation included). */
  seconds: number;
}

/** Everything needed to continue a run where it stopped. */
export interface TrainState {
  /** Epochs completed. */
  epoch: number;
  /** Training steps completed. */
  step: number;
  /** Learning rate of the next epoch. */
  learningRate: number;
  /** Wall time spent so far over every session of the run, in seconds. */
  seconds: number;
  /** The epoch with the lowest validation loss so far, whose model is kept in `<out>/best`. */
  best?: { epoch: number; step: number; validation: Score };
  /** The options the run was started with; a resume reads the ones it is not given from here. */
  options: Record<string, unknown>;
  steps: StepRecord[];
  epochs: EpochRecord[];
}
