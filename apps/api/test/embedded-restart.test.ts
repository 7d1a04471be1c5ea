import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MeDocument, RegisterDocument, TokenAuthDocument } from '@gql-auth/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestInstance } from './support/test-instance.js';

describe('embedded mode keeps its data across restarts', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'auth-restart-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps users and the generated JWT secret', async () => {
    // No JWT_SECRET: the development secret is generated once into the data directory.
    const env = { DATA_DIR: dataDir, JWT_SECRET: '' };
    const first = await createTestInstance('embedded', env);
    let token: string;
    try {
      const registered = await first.gql(RegisterDocument, {
        email: 'grace@example.com',
        username: 'grace',
        password1: 'Compiler-Bug-1947',
        password2: 'Compiler-Bug-1947',
      });
      expect(registered.data?.register.success).toBe(true);
      token = registered.data!.register.token!;
    } finally {
      await first.close();
    }
    const secretFile = join(dataDir, 'jwt-secret');
    expect((await stat(secretFile)).mode & 0o777).toBe(0o600);
    expect((await readFile(secretFile, 'utf8')).trim()).toMatch(/^[A-Za-z0-9_-]{64}$/);

    const second = await createTestInstance('embedded', env);
    try {
      const login = await second.gql(TokenAuthDocument, { username: 'grace', password: 'Compiler-Bug-1947' });
      expect(login.data?.tokenAuth).toMatchObject({ success: true, user: { username: 'grace' } });
      // Same secret after restart: a token issued before it still identifies the user.
      const me = await second.gql(MeDocument, {}, { token });
      expect(me.data?.me?.username).toBe('grace');
    } finally {
      await second.close();
    }
  });
});
