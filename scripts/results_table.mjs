// Regenerates the results table of docs/results.md from the metrics files in docs/results/.
//   node scripts/results_table.mjs                       rewrite the table from docs/results/*.json
//   node scripts/results_table.mjs --collect artifacts/runs   first copy each run's metrics.json and
//                                                        curve.svg there to docs/results/<run>.{json,svg}
// The table sits between the markers <!-- results-table:start --> and <!-- results-table:end -->.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const RESULTS = 'docs/results';
const DOC = 'docs/results.md';
const START = '<!-- results-table:start -->';
const END = '<!-- results-table:end -->';

const args = process.argv.slice(2);
const collect = args.indexOf('--collect');
if (collect >= 0) {
  const runs = args[collect + 1];
  if (runs == null) throw new Error('results_table: --collect needs the runs folder');
  for (const name of readdirSync(runs)) {
    const metrics = join(runs, name, 'metrics.json');
    if (!existsSync(metrics)) continue;
    copyFileSync(metrics, join(RESULTS, `${name}.json`));
    copyFileSync(join(runs, name, 'curve.svg'), join(RESULTS, `${name}.svg`));
    console.log(`collected ${name}`);
  }
  // The metrics files are committed: keep them in the repository's prettier format.
  execFileSync('npx', ['prettier', '--write', `${RESULTS}/*.json`], { stdio: 'inherit' });
}

const pct = (x) => (x == null ? '–' : `${(100 * x).toFixed(2)}%`);
const num = (x, digits = 4) => (x == null ? '–' : Number(x).toPrecision(digits));
const duration = (s) =>
  s >= 3600
    ? `${(s / 3600).toFixed(2)} h`
    : s >= 60
      ? `${(s / 60).toFixed(1)} min`
      : `${s.toFixed(0)} s`;

/** HadamRNN's sign vector: trained (runs from before `--signs` existed) or fixed; – for baselines. */
const signsOf = (m) =>
  m.model === 'hadamrnn' || m.model === 'block-hadamrnn' ? (m.options.signs ?? 'trained') : '–';

const rows = readdirSync(RESULTS)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => {
    const m = JSON.parse(readFileSync(join(RESULTS, file), 'utf8'));
    const name = file.replace(/\.json$/, '');
    const o = m.options;
    const T = m.task === 'copy' ? o.T : 784;
    // The first epoch's rate: `options.lr` is the last session's (a resume may not repeat --lr).
    const lr = m.history.epochs[0]?.learningRate ?? o.lr;
    // A resume may change the batch size; epochs record theirs (older runs did not: o.batch).
    const batches = [...new Set(m.history.epochs.map((e) => e.batch ?? o.batch))];
    const batch = batches.length > 0 ? batches.join(' → ') : o.batch;
    const score = m.test ?? m.validation;
    const which = m.test != null ? 'test' : 'val.';
    const ofBaseline = (loss) =>
      m.baselineLoss != null ? `${((100 * loss) / m.baselineLoss).toFixed(1)}%` : '–';
    const vsBaseline = score != null ? ofBaseline(score.loss) : '–';
    // The model of the lowest validation loss (kept in best/ by runs since that feature), tested.
    const best =
      m.best?.test != null
        ? `ep. ${m.best.epoch}: ${m.baselineLoss != null ? `${ofBaseline(m.best.test.loss)}, ` : ''}${pct(m.best.test.accuracy)}`
        : '–';
    return (
      `| [${name}](results/${name}.svg) | ${m.task} | ${T} | ${m.model} | ${signsOf(m)} | ${o.units} | ${batch} | ${lr} | ` +
      `${m.steps} (${m.epochs} ep.) | ${duration(m.wallSeconds)} | ${m.secondsPerStep} | ${m.backend} | ` +
      `${num(score?.loss)} (${which}) | ${vsBaseline} | ${pct(score?.accuracy)} | ` +
      `${best} | ${m.modelSize.paperKiB.toFixed(2)} / ${m.modelSize.float32KiB.toFixed(2)} | ${m.status} |`
    );
  });

const table = [
  START,
  '| run (curve) | task | T | model | signs | units | batch | lr | steps | wall time | s/step | backend | loss | loss / baseline | accuracy | best-validation model, tested | size KiB (paper / float32) | status |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ...rows,
  END,
].join('\n');

const doc = readFileSync(DOC, 'utf8');
const start = doc.indexOf(START);
const end = doc.indexOf(END);
if (start < 0 || end < 0)
  throw new Error(`results_table: ${DOC} lacks the ${START} / ${END} markers`);
writeFileSync(DOC, doc.slice(0, start) + table + doc.slice(end + END.length));
console.log(`wrote ${rows.length} rows into ${DOC}`);
