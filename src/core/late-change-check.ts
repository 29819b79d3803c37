import type { CommandContext } from './command-context';

/**
 * The one hook the generic command handler offers for closed periods (the reports context fills
 * it: src/reports/late-changes.ts). Before a command's events are appended, `check` may refuse it
 * (a DomainError: nothing is appended) or answer a `record` step that the handler runs once the
 * command's own events are appended. Absent (no provider), nothing is checked.
 */
export interface LateChangeCheck {
  check(streamId: string, command: { type: string; now: string }, context: CommandContext): Promise<LateChangeRecord | null>;
}

export interface LateChangeRecord {
  /** Records the late change (idempotent: ids derive from the command id). */
  record(): Promise<void>;
}

export const LATE_CHANGE_CHECK = Symbol('LATE_CHANGE_CHECK');

/** The header a late change into a closed quarter carries its reason in. */
export const LATE_CHANGE_REASON_HEADER = 'late-change-reason';
