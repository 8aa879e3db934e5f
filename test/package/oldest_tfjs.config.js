// jest config of scripts/ci_oldest_tfjs.sh: the repository's tests, with tfjs-core, tfjs-layers and
// the cpu and wasm backends taken from the consumer project in OLD_TFJS (the oldest tfjs allowed).
const base = require('../../jest.config.js');

if (!process.env.OLD_TFJS) {
  throw new Error('oldest_tfjs.config.js: set OLD_TFJS to a project with the old tfjs installed');
}

module.exports = {
  ...base,
  rootDir: require('node:path').join(__dirname, '..', '..'),
  moduleNameMapper: {
    '^@tensorflow/(tfjs-core|tfjs-layers|tfjs-backend-cpu|tfjs-backend-wasm)(.*)$': `${process.env.OLD_TFJS}/node_modules/@tensorflow/$1$2`,
  },
};
