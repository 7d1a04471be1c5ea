import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';

/** A private key as configured: PEM text, or a JWK object (`JWT_PRIVATE_KEYS`). */
export type PrivateKeyInput = string | Record<string, unknown>;

export type SigningAlgorithm = 'HS256' | 'ES256' | 'EdDSA';

/** One key of the key ring. Verification pins `alg` per key, so no token picks its own algorithm. */
export interface SigningKey {
  kid: string;
  alg: SigningAlgorithm;
  signKey: KeyObject | Uint8Array;
  verifyKey: KeyObject | Uint8Array;
  /** The public half as a JWK; null for HS256 (a shared secret is never published). */
  publicJwk: JWK | null;
}

export interface SigningKeys {
  /** Signs new tokens: the first configured key. */
  current: SigningKey;
  /** Any key that still verifies (the current one and the previous ones). */
  byKid(kid: string): SigningKey | undefined;
  /** `/.well-known/jwks.json`: public keys only, newest first. */
  jwks(): { keys: JWK[] };
}

/** Which JOSE algorithm a private key implies; only the two asymmetric kinds we support. */
function algorithmOf(key: KeyObject): SigningAlgorithm {
  if (key.asymmetricKeyType === 'ed25519') return 'EdDSA';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  throw new Error(
    `unsupported key type ${key.asymmetricKeyType ?? 'unknown'}: use an Ed25519 (EdDSA) or P-256 (ES256) key`,
  );
}

async function importPrivateKey(input: PrivateKeyInput, index: number): Promise<SigningKey> {
  let privateKey: KeyObject;
  try {
    privateKey =
      typeof input === 'string'
        ? createPrivateKey(input.replace(/\\n/g, '\n'))
        : createPrivateKey({ key: input as never, format: 'jwk' });
  } catch {
    // The message names the position only: key material never reaches logs.
    throw new Error(`JWT_PRIVATE_KEYS[${index}]: not a readable private key (PEM/PKCS#8 or JWK)`);
  }
  if (privateKey.type !== 'private') throw new Error(`JWT_PRIVATE_KEYS[${index}]: a public key was given`);
  const alg = algorithmOf(privateKey);
  const publicKey = createPublicKey(privateKey);
  const exported = publicKey.export({ format: 'jwk' }) as JWK;
  const given = typeof input === 'string' ? undefined : input.kid;
  // RFC 7638 thumbprints name a key by its public half: stable across restarts and processes.
  const kid = typeof given === 'string' && given ? given : await calculateJwkThumbprint(exported);
  return {
    kid,
    alg,
    signKey: privateKey,
    verifyKey: publicKey,
    publicJwk: { ...exported, kid, alg, use: 'sig' },
  };
}

function hmacKey(secret: string): SigningKey {
  const bytes = new TextEncoder().encode(secret);
  const kid = `hs-${createHash('sha256').update(secret).digest('hex').slice(0, 12)}`;
  return { kid, alg: 'HS256', signKey: bytes, verifyKey: bytes, publicJwk: null };
}

/**
 * The key ring. With `privateKeys` (newest first) tokens are signed by the first and verified by
 * any, so a rotated-out key keeps verifying until its tokens expire; then drop it from the list.
 * Without, HS256 with the secret (the kid names the secret by a hash prefix, never the secret), and
 * the previous secrets in the same way: verify only.
 */
export async function createSigningKeys(settings: {
  secret: string;
  privateKeys: readonly PrivateKeyInput[];
  previousSecrets?: readonly string[];
}): Promise<SigningKeys> {
  let ring: SigningKey[];
  if (settings.privateKeys.length > 0) {
    ring = await Promise.all(settings.privateKeys.map(importPrivateKey));
    const kids = new Set(ring.map((key) => key.kid));
    if (kids.size !== ring.length) throw new Error('JWT_PRIVATE_KEYS: two keys share a kid');
  } else {
    ring = [settings.secret, ...(settings.previousSecrets ?? [])].map(hmacKey);
    // The same secret listed twice would be harmless, but it is surely a copy-and-paste slip.
    if (new Set(ring.map((key) => key.kid)).size !== ring.length) {
      throw new Error('JWT_PREVIOUS_SECRETS: a secret is listed twice (or equals JWT_SECRET)');
    }
  }
  const byKid = new Map(ring.map((key) => [key.kid, key]));
  const current = ring[0];
  if (!current) throw new Error('no signing key');
  const jwks = { keys: ring.flatMap((key) => (key.publicJwk ? [key.publicJwk] : [])) };
  return {
    current,
    byKid: (kid) => byKid.get(kid),
    jwks: () => jwks,
  };
}
