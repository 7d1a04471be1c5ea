import { describe, expect, it } from 'vitest';
import { databaseCause } from './import-django.command.js';

describe('import:django error output', () => {
  it('keeps the database message and drops the statement, whose inlined bindings carry hashes', () => {
    const error = Object.assign(
      new Error(
        `insert into "user" select … from json_to_recordset(cast('[{"password_hash":"pbkdf2_sha256$260000$salt$SECRETTAIL="}]' as json)) - value too long for type character varying(128)`,
      ),
      { code: '22001' },
    );
    const cause = databaseCause(error);
    expect(cause).toBe('database error 22001: value too long for type character varying(128)');
    expect(cause).not.toContain('SECRETTAIL');
  });
});
