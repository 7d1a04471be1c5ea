// The dependency rule of the API (ARCHITECTURE.md, "Modules and the way dependencies run"): the
// real tree passes, and the checker catches a module importing upwards, the composition root, or a cycle.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without type declarations
import { checkImports } from '../check-imports.mjs';

const SRC = fileURLToPath(new URL('../../apps/api/src', import.meta.url));
const copies: string[] = [];

/** A copy of apps/api/src with one extra file, for the checker to judge. */
function withFile(path: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'import-graph-'));
  copies.push(dir);
  cpSync(SRC, dir, { recursive: true });
  writeFileSync(join(dir, path), text);
  return dir;
}

afterAll(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

describe('the import-direction check', () => {
  it('passes on the real source tree', () => {
    expect(checkImports(SRC)).toEqual([]);
  });

  it('refuses a lower module importing a higher one, the composition root, graphql/ or the whole config', () => {
    const dir = withFile(
      'modules/users/leak.ts',
      [
        "import type { AccountService } from '../account/account.service.js';",
        "import type { Services } from '../../services.js';",
        "import type { Config } from '../../config.js';",
        "import { createSchema } from '../../graphql/schema.js';",
        'export type Leak = [AccountService, Services, Config, typeof createSchema];',
        '',
      ].join('\n'),
    );
    const problems = checkImports(dir) as string[];
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /modules\/users\/leak\.ts -> modules\/account\/account\.service\.ts: users may not import account/,
        ),
        expect.stringMatching(/leak\.ts -> services\.ts: modules never import services\.ts/),
        expect.stringMatching(/leak\.ts -> config\.ts: modules never import config\.ts/),
        expect.stringMatching(/leak\.ts -> graphql\/schema\.ts: modules never import graphql\//),
      ]),
    );
  });

  it('refuses a leaf importing another module, and names an import cycle', () => {
    const dir = withFile(
      'modules/mail/needs-users.ts',
      "import type { User } from '../users/user.entity.js';\nexport type U = User;\n",
    );
    expect(checkImports(dir)).toEqual(
      expect.arrayContaining([expect.stringMatching(/mail is a leaf: it may import only base/)]),
    );
    const cyclic = withFile(
      'modules/base/loop.ts',
      "import { x } from './loop-back.js';\nexport const y = x;\n",
    );
    writeFileSync(
      join(cyclic, 'modules/base/loop-back.ts'),
      "import { y } from './loop.js';\nexport const x = 1 + (y ? 0 : 1);\n",
    );
    expect(checkImports(cyclic)).toEqual([
      'import cycle: modules/base/loop-back.ts <-> modules/base/loop.ts',
    ]);
  });
});
