import { hash, verify } from '@node-rs/bcrypt';

/** Hashes and checks passwords. A port so tests can use a low bcrypt cost. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, passwordHash: string): Promise<boolean>;
  /**
   * Spends the same time as a real `verify` for a user that does not exist, so that an unknown
   * login and a wrong password cannot be told apart by timing.
   */
  verifyAgainstDummy(password: string): Promise<false>;
}

export async function createBcryptHasher(cost: number): Promise<PasswordHasher> {
  // A hash of a random value at the configured cost: verifying against it costs what a real check does.
  const dummyHash = await hash(crypto.randomUUID(), { cost });
  return {
    hash: (password) => hash(password, { cost }),
    verify: (password, passwordHash) => verify(password, passwordHash),
    async verifyAgainstDummy(password) {
      await verify(password, dummyHash);
      return false;
    },
  };
}
