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

/** What `fs.promises.open` returns, as far as we use it. */
export interface FileHandle {
  stat(): Promise<FileStats>;
  read(
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number,
  ): Promise<{ bytesRead: number }>;
  writeFile(data: Uint8Array | string): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** The subset of `fs.promises` the handler uses. */
export interface FsPromises {
  open(path: string, flags: number | string, mode?: number): Promise<FileHandle>;
  readdir(path: string): Promise<string[]>;
  rename(from: string, to: string): Promise<void>;
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  stat(path: string): Promise<FileStats>;
  realpath(path: string): Promise<string>;
  rm(path: string, options: { force: true; recursive?: boolean }): Promise<void>;
}

/** The `fs.constants` open flags the handler uses. */
export interface OpenFlags {
  O_RDONLY: number;
  O_WRONLY: number;
  O_CREAT: number;
  O_EXCL: number;
  /** Absent on Windows (0 there). */
  O_NOFOLLOW?: number;
  /** Absent on Windows (0 there). */
  O_NONBLOCK?: number;
}

/** The subset of `path` the handler uses (the platform's flavour). */
export interface PathModule {
  sep: string;
  basename(path: string): string;
  resolve(...paths: string[]): string;
  join(...paths: string[]): string;
  dirname(path: string): string;
  isAbsolute(path: string): boolean;
}

/** Node's file system and path modules. */
export interface NodeFileSystem {
  fs: FsPromises;
  path: PathModule;
  constants: OpenFlags;
}

type GetBuiltinModule = (id: string) => unknown;

function getBuiltinModule(): GetBuiltinModule | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: GetBuiltinModule } }).process;
  return typeof proc?.getBuiltinModule === 'function' ? proc.getBuiltinModule : undefined;
}

/** Node.js's version ('20.10.0') when running in Node.js, else undefined (browsers, workers). */
export function nodeVersion(): string | undefined {
  const proc = (globalThis as { process?: { versions?: { node?: unknown } } }).process;
  const version = proc?.versions?.node;
  return typeof version === 'string' ? version : undefined;
}

/**
 * Node's `fs.promises` and `path`, or an error naming `api` where they do not exist (browsers,
 * workers, Node < 20.16).
 */
export function nodeFileSystem(api: string): NodeFileSystem {
  const get = getBuiltinModule();
  if (get === undefined) {
    const version = nodeVersion();
    throw new Error(
      version === undefined
        ? `${api}: the file system is only available in Node.js >= 20.16 (process.getBuiltinModule is missing)`
        : `${api}: the file system needs Node.js >= 20.16 (process.getBuiltinModule); this is Node.js ${version}`,
    );
  }
  const fs = get('node:fs') as { promises: FsPromises; constants: OpenFlags };
  return { fs: fs.promises, path: get('node:path') as PathModule, constants: fs.constants };
}
