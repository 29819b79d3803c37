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

/**
 * The base of one rule's error, from its kind, its code and its words, so that a rule is declared in one
 * line and stays a class (`instanceof`, its `name`, the literal `code`):
 *   export class TeamNotFound extends notFound('TEAM_NOT_FOUND', (teamId: string) => `There is no team "${teamId}".`) {}
 */
function coded<K extends DomainErrorKind>(Base: abstract new (message: string) => DomainError & { readonly kind: K }) {
  return <C extends string, A extends unknown[] = []>(code: C, words: (...args: A) => string) => {
    abstract class Coded extends Base {
      readonly code: C = code;
      constructor(...args: A) {
        super(words(...args));
      }
    }
    return Coded;
  };
}
export const notFound = coded(NotFoundError);
export const conflict = coded(ConflictError);
export const ruleBroken = coded(RuleBrokenError);
