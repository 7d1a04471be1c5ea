import type { DjangoScheme } from '../auth/django-hashers/django-hash.js';

export interface ImportOptions {
  dryRun: boolean;
  existing: 'skip' | 'update';
  ids: 'keep' | 'new';
  hashers: ReadonlySet<DjangoScheme>;
  userModel: string | null;
  statusModel: string;
  missingStatus: 'unverified' | 'verified';
  timezone: string;
  strict: boolean;
  batchSize: number;
}

export type RejectReason =
  | 'duplicate_username'
  | 'duplicate_email'
  | 'username_taken'
  | 'email_taken'
  | 'id_taken'
  | 'username_invalid'
  | 'email_required'
  | 'email_too_long';

export interface Rejection {
  djangoPk: number | null;
  username: string;
  reason: RejectReason;
  keptPk?: number | null;
  keptUsername?: string;
  /** Only where the conflict needs it (a duplicate or taken email). */
  email?: string;
}

export interface ImportWarning {
  djangoPk: number | null;
  username: string | null;
  code: string;
  algorithm?: string;
}

/** What pass 2 does with one user row. */
export interface UserDecision {
  action: 'create' | 'update' | 'unchanged';
  /** The project id: the Django pk (ids keep), the mapped user (re-run), or null (new id). */
  userId: number | null;
  verified: boolean;
  archived: boolean;
  secondaryEmail: string | null;
  /** password_hash gets the dump's string verbatim (else NULL); pass 2 reads it again, so no copy is kept. */
  passwordKept: boolean;
  groups: string[];
  permissions: string[];
}
