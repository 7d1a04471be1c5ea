import { EntitySchema } from '@mikro-orm/core';

/**
 * A user account. Emails and usernames keep the case the user typed; uniqueness and look-ups are
 * case-insensitive through `lower(...)` unique indexes (see the users migration).
 */
export class User {
  id!: number;
  username!: string;
  email!: string;
  /** bcrypt hash; null for passwordless accounts that have not set a password yet. */
  passwordHash: string | null = null;
  firstName = '';
  lastName = '';
  /** False once deleted (soft delete) or deactivated: such a user cannot sign in. */
  isActive = true;
  isStaff = false;
  isSuperuser = false;
  dateJoined: Date = new Date();
  lastLogin: Date | null = null;
  verified = false;
  archived = false;
  secondaryEmail: string | null = null;
  /** Last password reset/set/change: email tokens issued before it are dead. */
  passwordChangedAt: Date | null = null;
  /** Preferred locale of emails (`en`, `fr`): the Accept-Language of sign-up, then of each sign-in. */
  language: string | null = null;
}

export const UserSchema = new EntitySchema<User>({
  class: User,
  tableName: 'user',
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    username: { type: 'string', length: 150 },
    email: { type: 'string', length: 254 },
    passwordHash: { type: 'string', length: 128, nullable: true },
    firstName: { type: 'string', length: 150, default: '' },
    lastName: { type: 'string', length: 150, default: '' },
    isActive: { type: 'boolean', default: true },
    isStaff: { type: 'boolean', default: false },
    isSuperuser: { type: 'boolean', default: false },
    dateJoined: { type: 'datetime' },
    lastLogin: { type: 'datetime', nullable: true },
    verified: { type: 'boolean', default: false },
    archived: { type: 'boolean', default: false },
    secondaryEmail: { type: 'string', length: 254, nullable: true },
    passwordChangedAt: { type: 'datetime', nullable: true },
    language: { type: 'string', length: 10, nullable: true },
  },
});
