// Bundles the extension (and, with --cli, the author tools) with esbuild.
//   node scripts/build.mjs               extension (desktop and web entries), with source maps
//   node scripts/build.mjs --production  extension, minified, no source maps (for the .vsix)
//   node scripts/build.mjs --cli         dist/cli/validate.js, dist/cli/render.js and dist/cli/stageSelection.js and dist/cli/stagePlan.js (for verify-projects)
//   node scripts/build.mjs --watch       rebuild the extension on change
import * as esbuild from 'esbuild';
import { rmSync } from 'node:fs';
import { curriculumFiles, webBundle } from './esbuild-web.mjs';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
  sourcemap: !production,
  minify: production,
  legalComments: 'none',
  // jsonc-parser's "main" is a UMD build whose dynamic requires esbuild cannot follow; its ESM build bundles cleanly.
  mainFields: ['module', 'main'],
};

// The activation entry requires the core at run time (first use), so the core is its own bundle
// and `require('./core')` in the entry must stay a require of that file, not be inlined.
const coreStaysSeparate = {
  name: 'core-stays-separate',
  setup(build) {
    build.onResolve({ filter: /^\.\/core$/ }, (args) => (args.importer.endsWith(`${'src'}/extension.ts`) ? { path: './core.js', external: true } : undefined));
  },
};

// The web extension host (package.json `browser`) loads one file with no Node built-ins: the
// web entry and its core (src/webCore.ts, the parts of the course that need only the vscode API)
// in one bundle, where the core stays behind a dynamic import that esbuild keeps lazy.
// The curriculum's file list goes in too (src/course/sourceFor.web.ts says why).
const web = {
  ...common,
  ...webBundle,
  entryPoints: { extension: 'src/extension.web.ts' },
  outdir: 'dist/web',
  define: { __CURRICULUM_FILES__: JSON.stringify(curriculumFiles('curriculum')) },
  metafile: true,
};

const builds = args.has('--cli')
  ? [{ ...common, entryPoints: { validate: 'src/cli/validate.ts', render: 'src/cli/render.ts', stageSelection: 'src/testing/stageSelection.ts', stagePlan: 'src/projects/stagePlan.ts' }, outdir: 'dist/cli', sourcemap: false }]
  : [
      { ...common, entryPoints: { extension: 'src/extension.ts', core: 'src/core.ts', testWrapper: 'src/projects/testWrapper.ts' }, outdir: 'dist', external: ['vscode'], plugins: [coreStaysSeparate], metafile: true },
      web,
    ];

// A production build replaces dist/ entirely, so no stale development source map sits beside it.
if (production) rmSync('dist', { recursive: true, force: true });

if (args.has('--watch')) {
  for (const options of builds) await (await esbuild.context(options)).watch();
  console.log('watching src/ for changes…');
} else {
  for (const options of builds) {
    const result = await esbuild.build(options);
    if (result.metafile) {
      const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
      console.log(`built ${options.outdir}/ (${(bytes / 1024).toFixed(0)} KiB${production ? ', production' : ''})`);
    }
  }
}
