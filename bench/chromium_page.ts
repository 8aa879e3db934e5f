/**
 * Runs a bench page in headless Chromium: bundles a page module with esbuild, serves it on the
 * loopback interface (test/browser/server.ts), launches Debian's Chromium (test/browser/chromium.ts)
 * and calls the page's `window.hadamrnnBench.run(plan)`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { launchChromium } from '../test/browser/chromium';
import { startStaticServer } from '../test/browser/server';

/** What a bench page module assigns to `window.hadamrnnBench`. */
export interface BenchPage<Plan, Result> {
  run: (plan: Plan) => Promise<Result>;
}

/**
 * Bundles `entry` (a module that sets `window.hadamrnnBench`), opens it in Chromium and returns
 * what `run(plan)` resolves to, with the Chromium version.
 *
 * @param entry Absolute path of the page module.
 * @param plan What to measure; passed to the page as JSON.
 * @param expose Node functions the page may call (and await) as `window[name]`, such as a reader
 *   of the browser's CPU time (bench/chromium_cpu.ts). Default none.
 */
export async function runBenchPage<Plan, Result>(
  entry: string,
  plan: Plan,
  expose: Record<string, () => unknown> = {},
): Promise<Result & { chromium: string }> {
  const outdir = mkdtempSync(join(tmpdir(), 'hadamrnn-bench-'));
  const browser = await launchChromium();
  const server = await startStaticServer({ '/': outdir });
  try {
    await build({
      entryPoints: [entry],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2020',
      outfile: join(outdir, 'bench.js'),
      logLevel: 'error',
    });
    writeFileSync(
      join(outdir, 'index.html'),
      '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">' +
        '<script type="module" src="./bench.js"></script>',
    );
    const page = await browser.context.newPage();
    page.on('console', (message) => console.log(`  [page] ${message.text()}`));
    for (const [name, f] of Object.entries(expose)) {
      await page.exposeFunction(name, f);
    }
    await page.goto(server.url);
    await page.waitForFunction(() => 'hadamrnnBench' in window);
    const agent = await page.evaluate(() => navigator.userAgent);
    const chromium = /Chrome\/([\d.]+)/.exec(agent)?.[1] ?? 'unknown';
    const result = await page.evaluate(
      (p) =>
        (window as unknown as { hadamrnnBench: BenchPage<unknown, Result> }).hadamrnnBench.run(p),
      plan as unknown,
    );
    return { ...(result as Result), chromium };
  } finally {
    await browser.close();
    await server.close();
    rmSync(outdir, { recursive: true, force: true });
  }
}
