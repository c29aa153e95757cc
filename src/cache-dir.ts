// The user's own cache directory for the lab (never the shared temp directory): Node's compile cache and the
// server binaries' versions. Undefined when no absolute home is known; callers then simply do without a cache.
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

export function userCacheDir(): string | undefined {
  try {
    const xdg = process.env.XDG_CACHE_HOME;
    const base =
      process.platform === 'darwin'
        ? join(homedir(), 'Library', 'Caches')
        : xdg && isAbsolute(xdg)
          ? xdg
          : join(homedir(), '.cache');
    return isAbsolute(base) ? join(base, 'redis-sentinel-lab') : undefined;
  } catch {
    return undefined;
  }
}
