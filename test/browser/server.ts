/**
 * A static file server on the loopback interface and a random port, for browser tests and
 * benchmarks: each URL prefix maps to one directory, and nothing outside those directories is served.
 */
import { createReadStream, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
  '.png': 'image/png',
  '.css': 'text/css',
};

/** A running server: its base URL (ending in '/') and how to stop it. */
export interface StaticServer {
  url: string;
  close: () => Promise<void>;
}

/**
 * Serves `mounts` (URL prefix such as '/' or '/build/' -> directory) on 127.0.0.1, on `port`
 * (default 0: a free port).
 */
export async function startStaticServer(
  mounts: Record<string, string>,
  port = 0,
): Promise<StaticServer> {
  // Longest prefix first, so '/build/' wins over '/'.
  const table = Object.entries(mounts)
    .map(([prefix, dir]) => [prefix, resolve(dir)] as const)
    .sort((a, b) => b[0].length - a[0].length);
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const mount = table.find(([prefix]) => path.startsWith(prefix));
    const file = mount && resolve(join(mount[1], path.slice(mount[0].length)));
    if (!mount || !file || (file !== mount[1] && !file.startsWith(mount[1] + sep))) {
      response.writeHead(404).end();
      return;
    }
    let target = file;
    try {
      if (statSync(target).isDirectory()) {
        target = join(target, 'index.html');
      }
      statSync(target);
    } catch {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, {
      'content-type': TYPES[extname(target)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    });
    createReadStream(target).pipe(response);
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', done);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: () =>
      new Promise<void>((done, fail) => {
        server.closeAllConnections();
        server.close((error) => (error ? fail(error) : done()));
      }),
  };
}
