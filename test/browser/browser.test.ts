/**
 * Runs the suites of suites.ts in headless Chromium on webgl (WebGL2 and WebGL1), wasm, cpu and
 * webgpu: one jest test per backend and suite, each in a fresh page, failing with every failed case.
 * `HADAMRNN_BROWSER_BACKENDS=webgpu,cpu` runs only the backends listed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { buildTestPage, REPO_ROOT } from './bundle';
import { launchChromium, type Chromium } from './chromium';
import type { PageRun } from './page/entry';
import { startStaticServer, type StaticServer } from './server';
import { BROWSER_BACKENDS, BROWSER_SUITES, type BrowserBackendName } from './suites';

jest.setTimeout(180_000);

let outdir = '';
let server: StaticServer;
let browser: Chromium;

beforeAll(async () => {
  outdir = mkdtempSync(join(tmpdir(), 'hadamrnn-page-'));
  await buildTestPage(outdir);
  server = await startStaticServer({ '/': REPO_ROOT, '/page/': outdir });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(outdir, { recursive: true, force: true });
});

async function runInPage(suite: string, backend: BrowserBackendName): Promise<PageRun> {
  const page: Page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  try {
    await page.goto(`${server.url}page/index.html`);
    await page.waitForFunction(() => 'hadamrnnTests' in window, null, { timeout: 60_000 });
    return await page.evaluate(
      ([s, b]) =>
        (
          window as unknown as {
            hadamrnnTests: { run: (s: string, b: string) => Promise<PageRun> };
          }
        ).hadamrnnTests.run(s, b),
      [suite, backend] as const,
    );
  } catch (error) {
    throw new Error(`${String(error)}\npage errors: ${errors.join('\n') || 'none'}`);
  } finally {
    await page.close();
  }
}

const only = process.env.HADAMRNN_BROWSER_BACKENDS?.split(',');
const backendNames = (Object.keys(BROWSER_BACKENDS) as BrowserBackendName[]).filter(
  (name) => only == null || only.includes(name),
);

describe.each(backendNames)('in Chromium on %s', (backend) => {
  const suites = Object.entries(BROWSER_SUITES).filter(
    ([, suite]) => suite.backends == null || suite.backends.includes(backend),
  );
  it.each(suites.map(([name]) => name))('%s', async (suite) => {
    const run = await runInPage(suite, backend);
    if (run.skipped != null) {
      // Said loudly, never a silent pass: HADAMRNN_REQUIRE_WEBGPU=1 turns it into a failure.
      if (process.env.HADAMRNN_REQUIRE_WEBGPU === '1') {
        throw new Error(`${suite} on ${backend} did not run: ${run.skipped}`);
      }
      console.warn(`SKIPPED ${suite} on ${backend}: ${run.skipped}`);
      return;
    }
    const failed = run.results.filter((r) => r.status === 'failed');
    const passed = run.results.filter((r) => r.status === 'passed');
    if (failed.length > 0) {
      const details = failed.map((r) => `✕ ${r.name}\n    ${r.error}`).join('\n');
      throw new Error(
        `${failed.length} of ${run.results.length} failed on ${backend} ` +
          `(renderer ${run.renderer ?? '-'}, tolerance ${run.tolerance}):\n${details}`,
      );
    }
    expect(passed.length).toBeGreaterThan(0);
  });
});
