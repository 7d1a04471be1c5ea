import { readFileSync } from 'node:fs';

/**
 * Vectors made by Debian's Django 3.2 (`make_password` with each hasher), committed as data:
 *   apt-get install -y python3-django python3-argon2 python3-bcrypt
 *   /usr/bin/python3 apps/api/test/django/make-vectors.py
 */
export interface DjangoVector {
  scheme: string;
  password: string;
  encoded: string;
  note: string;
}

const fixtures = new URL('./fixtures/', import.meta.url);

export const djangoVectors = JSON.parse(readFileSync(new URL('vectors.json', fixtures), 'utf8')) as {
  django: string;
  vectors: DjangoVector[];
  refused: Record<string, string>;
};

export const dumpPath = (name: string) => new URL(name, fixtures).pathname;

/** username -> plain password of every dump user that has a usable hash. */
export const dumpPasswords = JSON.parse(
  readFileSync(new URL('dump-passwords.json', fixtures), 'utf8'),
) as Record<string, string>;
