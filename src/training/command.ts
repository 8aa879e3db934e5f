/** The training command, opening every message the training library and the CLI write. */
export const TRAIN_COMMAND = 'tfjs-hadamrnn train';
