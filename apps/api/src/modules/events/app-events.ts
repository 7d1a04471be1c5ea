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
  passwordChanged: { user: UserSnapshot; at: Date; via: 'reset' | 'set' | 'change' };
  accountArchived: { user: UserSnapshot; at: Date };
  accountDeleted: { user: UserSnapshot; at: Date; hard: boolean };
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
