// The one walk over the hand-written SDL: codegen's resolver-map preset and `pnpm schema:check` both
// read schema/ through it, so they always see the same files in the same order.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Every `.graphql` file under `directory`, sorted, as absolute paths. */
export function listSdlFiles(directory) {
  return readdirSync(directory, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) return listSdlFiles(path);
      return entry.name.endsWith('.graphql') ? [path] : [];
    })
    .sort();
}
