// Bundles the timeline page: web/src/main.ts (with vis-timeline, ECharts and their CSS) into
// web/dist/assets, and copies web/index.html beside them. Run with `npm run build:web`.
import { build } from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = dirname(fileURLToPath(import.meta.url));
const dist = join(web, 'dist');

await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });
await build({
  entryPoints: { app: join(web, 'src/main.ts') },
  outdir: join(dist, 'assets'),
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  legalComments: 'linked',
  logLevel: 'warning',
  // moment (inside vis-timeline) probes for locale files it does not need.
  logOverride: { 'unsupported-require-call': 'silent' },
});
await copyFile(join(web, 'index.html'), join(dist, 'index.html'));
