/** The layer workload of the wasm benches (issues 4 and 17): x [32, 1000, 10] into 128 units. */
export const UNITS = 128;
export const STEPS = 1000;
export const BATCH = 32;
export const INPUTS = 10;
