// The package's own directory (where package.json and lessons/ are): found by walking up from this module, so it
// holds in the source tree (src/…), in a tsc build (dist/…) and in the bundled build (dist/chunk-….js) alike.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_NAME = 'redis-sentinel-lab';

let cached: string | undefined;

export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === PACKAGE_NAME) {
          cached = dir;
          return dir;
        }
      } catch {
        // not ours (or unreadable): keep looking
      }
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  // Not found (a copy without package.json): the layout of src/ and dist/, one level below the root.
  cached = fileURLToPath(new URL('..', import.meta.url));
  return cached;
}
