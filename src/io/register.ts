/**
 * Routes `file://` URLs to {@link fileSystem}, so that `model.save('file:///tmp/m')` and
 * `tf.loadLayersModel('file:///tmp/m/model.json')` work in Node.js.
 *
 * The routers match only in Node.js and stand aside when another `file://` handler exists: tfjs
 * refuses a URL that two handlers claim, so we do not register twice (a second copy of this
 * package, or tfjs-node imported first) and yield to tfjs-node's own handler when its
 * 'tensorflow' backend is registered later.
 */
import { findBackendFactory, io } from '@tensorflow/tfjs-core';
import { FILE_SCHEME, fileSystem, type FileSystemHandler } from './file_system';
import { nodeVersion } from './node_fs';

/** The router: a handler for `file://` URLs in Node.js, null for anything else. */
export function fileSystemRouter(
  url: string | string[],
  loadOptions?: io.LoadOptions,
): FileSystemHandler | null {
  if (
    typeof url !== 'string' ||
    !url.startsWith(FILE_SCHEME) ||
    // In any Node.js, so that a Node.js too old for the handler gets its error naming the
    // version rather than tfjs's 'Cannot find any save handlers'.
    nodeVersion() === undefined ||
    findBackendFactory('tensorflow') != null
  ) {
    return null;
  }
  return fileSystem(url, { strict: loadOptions?.strict });
}

// tfjs types a router as never returning null, though its registry skips routers that do.
const router = fileSystemRouter as (
  url: string | string[],
  loadOptions?: io.LoadOptions,
) => io.IOHandler;
const PROBE = `${FILE_SCHEME}probe/${'model.json'}`;
if (io.getLoadHandlers(PROBE).length === 0) {
  io.registerLoadRouter(router);
}
if (io.getSaveHandlers(PROBE).length === 0) {
  io.registerSaveRouter(router);
}

export { fileSystem, FileSystemHandler, type FileSystemOptions } from './file_system';
