import { createEventBus, type EventBus } from './event-bus.js';

/** What subscribers learn about the user: a snapshot, valid even after a hard delete. */
export interface UserSnapshot {
  id: number;
  username: string;
  email: string;
}

/**
 * Every event of the application and its payload. Template users subscribe with
 * `services.events.on('userRegistered', handler)`. Other features add their events here.
 */
export interface AppEvents {
  userRegistered: { user: UserSnapshot; at: Date; passwordless: boolean };
  userVerified: { user: UserSnapshot; at: Date };
  /** A successful sign-in (tokenAuth), after its session and audit row are written. */
  userSignedIn: { user: UserSnapshot; at: Date; ip: string | null; userAgent: string | null };
  passwordChanged: { user: UserSnapshot; at: Date; via: 'reset' | 'set' | 'change' };
  accountArchived: { user: UserSnapshot; at: Date };
  accountDeleted: { user: UserSnapshot; at: Date; hard: boolean };
  /**
   * An address of the account changed: a secondary address requested (link mailed) or verified,
   * primary and secondary swapped (`previousEmail` is the old primary), or the secondary removed.
   */
  emailChanged: {
    user: UserSnapshot;
    at: Date;
    change: 'secondary_requested' | 'secondary_verified' | 'swapped' | 'secondary_removed';
    previousEmail: string | null;
  };
  /** The user ended sessions: one, all but the current one, all, or the current one (logout). */
  sessionsRevoked: { userId: number; at: Date; scope: 'one' | 'others' | 'all' | 'logout'; count: number };
  /** A rotated refresh token came back after its successor was used (likely stolen): its session was revoked. */
  refreshTokenReused: {
    userId: number;
    familyId: string;
    /** How many tokens of the family the revocation reached. */
    revoked: number;
    at: Date;
    ip: string | null;
    userAgent: string | null;
  };
}

export type AppEventBus = EventBus<AppEvents>;

export const createAppEventBus = createEventBus<AppEvents>;
