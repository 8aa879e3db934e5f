/**
 * Child processes killed at random moments, for the crash-safety tests: a script bundled once
 * (so each child starts in a fraction of a second), started, and SIGKILLed after it said `ready`.
 */
import { spawn, spawnSync, type SpawnSyncReturns } from 'child_process';
import * as path from 'path';
import { buildSync } from 'esbuild';

/** The repository's node_modules, where bundled children find the tfjs packages. */
const NODE_MODULES = path.resolve(__dirname, '../../node_modules');

/**
 * Bundles `entry` (a .ts script) into `outDir` for plain node, tfjs left outside (one copy of
 * tfjs-core, found through NODE_PATH); returns the bundle's path.
 */
export function bundleScript(entry: string, outDir: string): string {
  const outfile = path.join(outDir, `${path.basename(entry, '.ts')}.js`);
  buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile,
    external: ['@tensorflow/*'],
    logLevel: 'error',
  });
  return outfile;
}

/** A seeded generator of numbers in [0, 1) (mulberry32), so that a failing run can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Runs `node script ...args`, waits for its output line `ready` (and then for `marker`, when
 * given: e.g. the line a child prints as it starts a save), waits `delayMs`, then kills it
 * with SIGKILL; resolves, once it is gone, to everything it printed. Rejects if it exits by itself
 * first.
 */
export async function killAfterReady(
  script: string,
  args: string[],
  delayMs: number,
  marker?: string,
): Promise<string> {
  const proc = spawn(process.execPath, [script, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_PATH: NODE_MODULES },
  });
  let stderr = '';
  let stdout = '';
  proc.stderr.on('data', (d) => (stderr += String(d)));
  // 'close', not 'exit': every line printed before the kill has been read by then.
  const exited = new Promise<void>((resolve) => proc.on('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    proc.stdout.on('data', (d) => {
      stdout += String(d);
      const ready = stdout.indexOf('ready\n');
      if (ready >= 0 && (marker === undefined || stdout.indexOf(marker, ready) >= 0)) {
        resolve();
      }
    });
    proc.on('exit', (code) => reject(new Error(`child exited with ${code}: ${stderr}`)));
  });
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  proc.kill('SIGKILL');
  await exited;
  return stdout;
}

/** `spawnSync` of a bundled script, with the NODE_PATH it needs. */
export function runScript(script: string, args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [script, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NODE_PATH: NODE_MODULES },
  });
}
