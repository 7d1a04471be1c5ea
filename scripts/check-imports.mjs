#!/usr/bin/env node
// The API's dependency rule, checked (CI runs it; so does scripts/test/import-graph.test.ts):
//
//   base  <-  users  <-  permissions  <-  auth  <-  tokens  <-  sessions  <-  account  <-  admin  <-  django-import  <-  notices
//   events, mail, audit, rate-limit, metrics, tracing: leaves (they import only base)
//
// A module (apps/api/src/modules/<name>/) may import its own files, base, any module to its left and
// the leaves; besides modules, only the infrastructure below them: db/, logger.ts and the generated
// types (base: only the schema's own types). No module imports the composition root (services.ts),
// config.ts, graphql/, http/, cli/, app.ts, serve.ts or main.ts: they import modules, never the reverse.
// Whatever the layer, no import cycle between files may exist, type-only imports included.
//
//   node scripts/check-imports.mjs [--src apps/api/src]
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export const LAYERS = [
  'base',
  'users',
  'permissions',
  'auth',
  'tokens',
  'sessions',
  'account',
  'admin',
  // No SDL: the `pnpm cli import:django` feature, above everything it maps users onto.
  'django-import',
  // Security notices by email: subscribed to events, above every module whose events it reads.
  'notices',
];
export const LEAVES = ['events', 'mail', 'audit', 'rate-limit', 'metrics', 'tracing'];
const INFRASTRUCTURE = ['db/', 'logger.ts'];
const FORBIDDEN_FOR_MODULES = [
  'services.ts',
  'config.ts',
  'app.ts',
  'main.ts',
  'serve.ts',
  'graphql/',
  'http/',
  'cli/',
];
const BASE_GENERATED = '__generated__/schema-types.generated.ts';

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\b[^'";]*?from\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

function listTs(directory) {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return listTs(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** Relative imports of a file, resolved to source paths (`.js` specifiers name `.ts` files). */
function importsOf(file) {
  const text = readFileSync(file, 'utf8');
  const targets = [];
  for (const match of text.matchAll(IMPORT)) {
    const specifier = match[1] ?? match[2];
    if (!specifier?.startsWith('.')) continue;
    const target = resolve(dirname(file), specifier).replace(/\.js$/, '.ts');
    targets.push(existsSync(target) ? target : resolve(dirname(file), specifier));
  }
  return targets;
}

/** `{ module: 'auth' }` for modules/auth/..., else `{ area: 'graphql/' }` style areas. */
function placeOf(src, file) {
  const parts = relative(src, file).split(sep);
  if (parts[0] === 'modules') return { module: parts[1], path: parts.join('/') };
  return { area: parts.length > 1 ? `${parts[0]}/` : parts[0], path: parts.join('/') };
}

function moduleRuleProblem(from, to) {
  const source = from.module;
  if (!LAYERS.includes(source) && !LEAVES.includes(source)) {
    return `module "${source}" has no place in the dependency rule (add it to LAYERS or LEAVES in scripts/check-imports.mjs)`;
  }
  if (to.module !== undefined) {
    const target = to.module;
    if (target === source || target === 'base') return null;
    if (LEAVES.includes(source)) return `${source} is a leaf: it may import only base`;
    if (LEAVES.includes(target)) return null;
    if (!LAYERS.includes(target)) return `imports module "${target}", which has no place in the rule`;
    if (source === 'base') return 'base (the shared kernel) imports no module';
    if (LAYERS.indexOf(target) > LAYERS.indexOf(source))
      return `${source} may not import ${target} (it sits above)`;
    return null;
  }
  if (to.area === '__generated__/') {
    if ((source === 'base' || LEAVES.includes(source)) && to.path !== BASE_GENERATED) {
      return `${source} may import only ${BASE_GENERATED} of the generated code (the rest names modules)`;
    }
    return null;
  }
  if (INFRASTRUCTURE.some((allowed) => to.path === allowed || to.path.startsWith(allowed))) return null;
  if (FORBIDDEN_FOR_MODULES.some((area) => to.path === area || to.path.startsWith(area))) {
    return `modules never import ${to.path.split('/')[0]}${to.path.includes('/') ? '/' : ''}`;
  }
  return `imports ${to.path}, which is neither a module nor infrastructure`;
}

/** Strongly connected components with more than one file (Tarjan), each as a list of paths. */
function cyclesOf(graph) {
  let index = 0;
  const stack = [];
  const meta = new Map();
  const cycles = [];
  const visit = (node) => {
    meta.set(node, { index, low: index, onStack: true });
    index++;
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (!meta.has(next)) {
        visit(next);
        meta.get(node).low = Math.min(meta.get(node).low, meta.get(next).low);
      } else if (meta.get(next).onStack) {
        meta.get(node).low = Math.min(meta.get(node).low, meta.get(next).index);
      }
    }
    if (meta.get(node).low === meta.get(node).index) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        meta.get(member).onStack = false;
        component.push(member);
      } while (member !== node);
      if (component.length > 1) cycles.push(component);
    }
  };
  for (const node of graph.keys()) if (!meta.has(node)) visit(node);
  return cycles;
}

/** Every problem of the tree under `src`, as readable lines; empty when the rule holds. */
export function checkImports(src) {
  const files = listTs(src);
  const graph = new Map(files.map((file) => [file, importsOf(file)]));
  const problems = [];
  for (const [file, targets] of graph) {
    const from = placeOf(src, file);
    if (from.module === undefined) continue;
    for (const target of targets) {
      if (!target.startsWith(src + sep)) {
        // Unit tests may use the test kit; nothing else reaches outside the source tree.
        if (/\.test\.ts$/.test(file) && target.includes(`${sep}test${sep}support${sep}`)) continue;
        problems.push(`${from.path}: imports ${relative(src, target)}, outside apps/api/src`);
        continue;
      }
      const problem = moduleRuleProblem(from, placeOf(src, target));
      if (problem) problems.push(`${from.path} -> ${placeOf(src, target).path}: ${problem}`);
    }
  }
  for (const cycle of cyclesOf(graph)) {
    problems.push(
      `import cycle: ${cycle
        .map((file) => relative(src, file))
        .sort()
        .join(' <-> ')}`,
    );
  }
  return problems;
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const { values } = parseArgs({ options: { src: { type: 'string', default: 'apps/api/src' } } });
  const root = fileURLToPath(new URL('..', import.meta.url));
  const problems = checkImports(resolve(root, values.src));
  if (problems.length > 0) {
    console.error(
      `[imports] ${problems.length} problem${problems.length === 1 ? '' : 's'} with the dependency rule:`,
    );
    for (const problem of problems) console.error(`  - ${problem}`);
    process.exit(1);
  }
  console.log(
    `[imports] the dependency rule holds: ${LAYERS.join(' <- ')}; leaves ${LEAVES.join(', ')}; no cycles.`,
  );
}
