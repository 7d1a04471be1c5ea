import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';

/** A dump shaped like the reference's: users with PBKDF2-shaped hashes, a status row each, two groups. */
export async function writeDjangoDump(path: string, users: number): Promise<void> {
  const out = createWriteStream(path);
  const write = (text: string) =>
    out.write(text) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r()));
  const b64 = (bytes: number) => randomBytes(bytes).toString('base64');
  await write('[');
  await write(
    '{"model": "auth.group", "pk": 1, "fields": {"name": "editors", "permissions": [["change_extenduser", "users", "extenduser"]]}}',
  );
  for (let pk = 1; pk <= users; pk += 1) {
    const salt = b64(16).replace(/[+/=]/g, 'x').slice(0, 22);
    const user = {
      model: 'users.extenduser',
      pk,
      fields: {
        password: `pbkdf2_sha256$260000$${salt}$${b64(32)}`,
        last_login: pk % 3 === 0 ? null : '2025-09-30T21:15:00.250Z',
        is_superuser: false,
        username: `user${pk}`,
        first_name: 'First',
        last_name: 'Last',
        is_staff: false,
        is_active: pk % 50 !== 0,
        date_joined: '2019-05-06T07:08:09.123Z',
        email: `user${pk}@example.com`,
        groups: pk % 10 === 0 ? [['editors']] : [],
        user_permissions: [],
      },
    };
    await write(`, ${JSON.stringify(user)}`);
    await write(
      `, {"model": "graphql_auth.userstatus", "pk": ${pk}, "fields": {"user": ["user${pk}"], "verified": true, "archived": false, "secondary_email": null}}`,
    );
    if (pk % 4 === 0) {
      await write(
        `, {"model": "refresh_token.refreshtoken", "pk": ${pk}, "fields": {"user": ["user${pk}"], "token": "${randomBytes(20).toString('hex')}", "created": "2025-01-01T00:00:00Z", "revoked": null}}`,
      );
    }
  }
  await write(']');
  await new Promise<void>((resolve) => out.end(resolve));
}
