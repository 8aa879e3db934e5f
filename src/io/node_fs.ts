/**
 * The few Node.js file-system functions the IO handler uses, reached without a static `import 'fs'`
 * so that bundling or importing the package for a browser never pulls in, or fails on, a Node
 * built-in. `process.getBuiltinModule` (Node >= 20.16) works from CommonJS and ES modules alike and
 * is invisible to bundlers.
 */

/** What `fs.promises.stat` returns, as far as we use it. */
export interface FileStats {
  size: number;
  isFile(): boolean;
  isDirectory(): boolean;
}

/** The subset of `fs.promises` the handler uses. */
export interface FsPromises {
  readFile(path: string): Promise<Uint8Array>;
  writeFile(path: string, data: Uint8Array | string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  stat(path: string): Promise<FileStats>;
  realpath(path: string): Promise<string>;
  rm(path: string, options: { force: true }): Promise<void>;
}

/** The subset of `path` the handler uses (the platform's flavour). */
export interface PathModule {
  sep: string;
  resolve(...paths: string[]): string;
  join(...paths: string[]): string;
  dirname(path: string): string;
  isAbsolute(path: string): boolean;
}

/** Node's file system and path modules. */
export interface NodeFileSystem {
  fs: FsPromises;
  path: PathModule;
}

type GetBuiltinModule = (id: string) => unknown;

function getBuiltinModule(): GetBuiltinModule | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: GetBuiltinModule } }).process;
  return typeof proc?.getBuiltinModule === 'function' ? proc.getBuiltinModule : undefined;
}

/** True when running in a Node.js that exposes its built-in modules (>= 20.16). */
export function isNodeFileSystemAvailable(): boolean {
  return getBuiltinModule() !== undefined;
}

/**
 * Node's `fs.promises` and `path`, or an error naming `api` where they do not exist (browsers,
 * workers, Node < 20.16).
 */
export function nodeFileSystem(api: string): NodeFileSystem {
  const get = getBuiltinModule();
  if (get === undefined) {
    throw new Error(
      `${api}: the file system is only available in Node.js >= 20.16 (process.getBuiltinModule is missing)`,
    );
  }
  const fs = (get('node:fs') as { promises: FsPromises }).promises;
  return { fs, path: get('node:path') as PathModule };
}
