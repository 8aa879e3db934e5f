/**
 * `npm run demo:web [-- --port N]`: builds the demo page into artifacts/demo-web/ and serves it on
 * 127.0.0.1 (default port 8080; 0 picks a free one) until interrupted.
 */
import { join } from 'node:path';
import { buildDemoPage, REPO_ROOT, serveDemoPage } from './build';

async function main(): Promise<void> {
  const at = process.argv.indexOf('--port');
  const port = at > 0 ? Number(process.argv[at + 1]) : 8080;
  if (!(Number.isInteger(port) && port >= 0 && port < 65536)) {
    throw new Error(
      `demo:web: --port must be an integer from 0 to 65535, got '${process.argv[at + 1]}'`,
    );
  }
  const outdir = join(REPO_ROOT, 'artifacts', 'demo-web');
  await buildDemoPage(outdir);
  const server = await serveDemoPage(outdir, port);
  console.log(`tfjs-hadamrnn demo page: ${server.url} (built in ${outdir}; Ctrl+C stops)`);
  process.on('SIGINT', () => void server.close().then(() => process.exit(0)));
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exitCode = 1;
});
