import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('runs with no environment at all on the embedded defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      env: 'development',
      http: { port: 4000, host: '127.0.0.1', graphiql: true },
      databaseUrl: null,
      dbPoolSize: 1,
      redis: null,
      jwt: { secret: null, accessTokenTtlSeconds: 300, refreshTokenTtlSeconds: 604_800 },
      auth: { bcryptCost: 12, allowUnverifiedLogin: true },
    });
  });

  it('reports every problem at once and never echoes secret values', () => {
    let caught: unknown;
    try {
      loadConfig({
        NODE_ENV: 'production',
        PORT: 'eighty',
        DATABASE_URL: 'mysql://root:hunter2@db/app',
        REDIS_URL: 'not a url',
        BCRYPT_COST: '40',
        JWT_SECRET: 'short-secret-value',
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems.join('\n');
    for (const name of ['PORT', 'DATABASE_URL', 'REDIS_URL', 'BCRYPT_COST', 'JWT_SECRET']) {
      expect(problems).toContain(name);
    }
    expect(problems).not.toContain('hunter2');
    expect(problems).not.toContain('short-secret-value');
  });

  it('JWT_PREVIOUS_SECRETS: comma-separated, each long enough, HS256 only, never echoed', () => {
    const previous = `${'a'.repeat(32)}, ${'b'.repeat(40)}`;
    expect(loadConfig({ JWT_PREVIOUS_SECRETS: previous }).jwt.previousSecrets).toEqual([
      'a'.repeat(32),
      'b'.repeat(40),
    ]);
    expect(loadConfig({ JWT_PREVIOUS_SECRETS: '' }).jwt.previousSecrets).toEqual([]);
    expect(() => loadConfig({ JWT_PREVIOUS_SECRETS: `${'a'.repeat(32)},too-short-secret` })).toThrow(
      /JWT_PREVIOUS_SECRETS\[1\]: must be at least 32 characters/,
    );
    let caught: unknown;
    try {
      loadConfig({ JWT_PREVIOUS_SECRETS: 'c'.repeat(32), JWT_PRIVATE_KEYS: '["pem"]' });
    } catch (error) {
      caught = error;
    }
    const problems = (caught as ConfigError).problems.join('\n');
    expect(problems).toMatch(/JWT_PREVIOUS_SECRETS: HS256 only/);
    expect(problems).not.toContain('c'.repeat(32));
  });

  it('requires JWT_SECRET in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /JWT_SECRET: required when NODE_ENV=production/,
    );
  });

  it('uses real services when their URLs are set and treats empty strings as unset', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/app',
      REDIS_URL: 'redis://127.0.0.1:6379',
      SMTP_URL: '',
      ALLOW_UNVERIFIED_LOGIN: 'false',
    });
    expect(config.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/app');
    expect(config.dbPoolSize).toBe(10);
    expect(config.redis).toEqual({ url: 'redis://127.0.0.1:6379', keyPrefix: 'auth:' });
    expect(config.mail.smtpUrl).toBeNull();
    expect(config.auth.allowUnverifiedLogin).toBe(false);
  });
});
