import { Router } from 'express';
import type { SigningKeys } from '../modules/auth/signing-keys.js';

/**
 * `/.well-known/jwks.json`: the public halves of the signing keys (current and still-verifying
 * previous ones), so other services verify access tokens without sharing a secret. Empty in
 * HS256 mode: a shared secret is never published.
 */
export function jwksRoutes(keys: SigningKeys): Router {
  const router = Router();
  router.get('/.well-known/jwks.json', (_req, res) => {
    res.set('cache-control', 'public, max-age=300').json(keys.jwks());
  });
  return router;
}
