/**
 * A broken rule, in words a social worker understands. The kind decides the HTTP status:
 * not-found 404, conflict 409 (clashes with the current state, e.g. already closed),
 * rule 422 (the request itself breaks a rule). Nothing is appended when one is thrown.
 */
export type DomainErrorKind = 'not-found' | 'conflict' | 'rule';

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;
  /** Stable machine-readable code, e.g. TEAM_ALREADY_CLOSED. */
  abstract readonly code: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export abstract class NotFoundError extends DomainError {
  readonly kind = 'not-found' as const;
}

export abstract class ConflictError extends DomainError {
  readonly kind = 'conflict' as const;
}

export abstract class RuleBrokenError extends DomainError {
  readonly kind = 'rule' as const;
}
