#!/usr/bin/env node
// `npm run build`, after the typecheck: bundles src/cli.ts and everything it imports (dependencies included) into
// dist/ with esbuild. A start then loads a handful of files instead of ~420 modules, which was most of the cold
// start (README "Performance"). Code that is imported lazily (`import()`: the TUI, lessons, `do`, `inspect`…) stays
// in chunks of its own, loaded only by the commands that need it. dist/cli.js keeps its shebang and its Node
// version check before anything else is loaded.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist`;
rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: ['src/cli.ts'],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  tsconfig: 'tsconfig.build.json',
  // CommonJS dependencies (ioredis, commander, react…) call require() for Node's built-in modules.
  banner: {
    js: "import { createRequire as __rslCreateRequire } from 'node:module';\nconst require = __rslCreateRequire(import.meta.url);",
  },
  // Ink loads it only with DEV=true (React DevTools); it is not a dependency.
  external: ['react-devtools-core'],
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'none',
  logLevel: 'warning',
});
