// esbuild settings shared by every bundle that runs in the web extension host (a browser worker:
// vscode.dev, github.dev): the extension's web entry (scripts/build.mjs) and its web tests
// (scripts/test-web.mjs). A worker loads one file, offers `require('vscode')` and nothing else,
// and has no Node built-ins.
import { existsSync, readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';

const nodeBuiltins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/**
 * `import './x'` resolves to `./x.web.ts` when that file exists: the web variant of a module
 * that uses Node on the desktop (src/course/sourceFor.web.ts, src/platform/homeFolder.web.ts).
 * Each variant is typed against its desktop module, so `npm run typecheck` keeps them in step.
 */
export const webVariants = {
  name: 'web-variants',
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      const variant = path.resolve(args.resolveDir, `${args.path}.web.ts`);
      return existsSync(variant) ? { path: variant } : undefined;
    });
  },
};

/**
 * Fails the build, naming our file that did it, when src/ code reaches a Node built-in. esbuild
 * would fail too, but with "are you trying to bundle for node?", which does not say what to do.
 * Packages are left to esbuild, which honours their `browser` field maps.
 */
export const noNodeBuiltins = {
  name: 'no-node-builtins',
  setup(build) {
    build.onResolve({ filter: /^(node:)?[a-z_]+(\/[a-z_]+)?$/ }, (args) => {
      if (!nodeBuiltins.has(args.path) || args.importer.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const importer = path.relative(process.cwd(), args.importer);
      return {
        errors: [{ text: `${importer} imports the Node built-in "${args.path}", which the web extension host does not have: keep that module out of src/webCore.ts's imports, or give it a .web.ts variant` }],
      };
    });
  },
};

/** Options for a web-worker bundle; `vscode` is provided by the host. */
export const webBundle = {
  bundle: true,
  platform: 'browser',
  format: 'cjs',
  target: 'es2022',
  external: ['vscode'],
  // Packages' browser builds first (@vscode/l10n has one); jsonc-parser's ESM build, as for Node.
  mainFields: ['browser', 'module', 'main'],
  plugins: [webVariants, noNodeBuiltins],
};

// Build products that .vscodeignore keeps out of the .vsix, so the list names only shipped files.
const UNSHIPPED_FOLDERS = new Set(['target', '_build', 'deps', '.elixir_ls', 'node_modules']);
const UNSHIPPED_FILES = new Set(['Cargo.lock']);

/**
 * Every file of `dir` (the curriculum), as sorted POSIX paths relative to it. The web entry's
 * curriculum source answers folder listings from this (src/course/listedSource.ts): where an
 * installed web extension is served over https, folders cannot be listed. Taken once per build,
 * so `npm run watch` needs a restart after adding curriculum files, for the web entry only.
 */
export function curriculumFiles(dir) {
  const files = [];
  const walk = (rel) => {
    for (const entry of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const name = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!UNSHIPPED_FOLDERS.has(entry.name)) walk(name);
      } else if (!UNSHIPPED_FILES.has(entry.name)) {
        files.push(name);
      }
    }
  };
  walk('');
  return files.sort();
}
