#!/usr/bin/env node
// `npm run build`, after the typecheck: bundles src/cli.ts and everything it imports (dependencies included) into
// dist/ with esbuild. A start then loads a handful of files instead of ~420 modules, which was most of the cold
// start (README "Performance"). Code that is imported lazily (`import()`: the TUI, lessons, `do`, `inspect`…) stays
// in chunks of its own, loaded only by the commands that need it. dist/cli.js keeps its shebang and its Node
// version check before anything else is loaded. `--outdir DIR` writes the bundle elsewhere (the build test bundles
// into a temporary copy of the package, so tests never write into the repository).
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { outdir: { type: 'string' } } });
let outdir = `${root}dist`;
if (values.outdir === undefined) {
  rmSync(outdir, { recursive: true, force: true });
} else {
  // Another directory is never emptied: it must not exist yet or be empty.
  outdir = resolve(values.outdir);
  if (existsSync(outdir) && readdirSync(outdir).length > 0) {
    process.stderr.write(`bundle: --outdir ${outdir} is not empty (it must be new or empty)\n`);
    process.exit(2);
  }
}
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
  // V8 keeps the source of every loaded module in memory (for lazy compilation): without comments and indentation
  // the loaded code is about a third smaller. Identifiers are kept, so stack traces still name the functions.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
});

// A source with one character beyond Latin-1 is held by V8 as two bytes per character: the TUI's 2 MB chunk alone
// then took 4 MB of heap. esbuild escapes such characters in strings but keeps them in regular expression literals,
// so those must be written with \u escapes in src/ (e.g. /\u2026$/ for an ellipsis).
const wide = [];
for (const dir of [outdir, join(outdir, 'chunks')]) {
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.js'))) {
    const text = readFileSync(join(dir, f), 'utf8');
    const at = text.search(/[^\x00-\xff]/);
    if (at >= 0) wide.push(`${f}: ${JSON.stringify(text.slice(Math.max(0, at - 40), at + 10))}`);
  }
}
if (wide.length > 0) {
  process.stderr.write(
    `bundle: characters beyond Latin-1 in the output (write them as \\u escapes in src/):\n${wide.join('\n')}\n`,
  );
  process.exit(1);
}
