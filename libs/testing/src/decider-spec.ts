import { fold, type Decider, type DomainEvent } from '@casetrail/kernel';

/** A domain error's class, as `thenThrows` expects it. */
export type ErrorClass = new (...args: never[]) => Error;

/** A rule that refuses a command: the rule (the test's name), the command, the error and, optionally, what its message says. */
export type Refusal<C> = [rule: string, command: C, error: ErrorClass, message?: string | RegExp];

/**
 * given(history).when(command).then(events) / .thenNothingHappened() / .thenThrows(ErrorClass, message?):
 * the one way decider rules are tested, one `it` per rule, named after the rule.
 * itRefuses(history, refusals): the same for rules whose tests differ only in data, one `it` per row.
 */
export function deciderSpec<C extends { type: string; now: string }, E extends DomainEvent, S>(decider: Decider<C, E, S>) {
  const given = (history: E[]) => ({
    when: (command: C) => {
      const run = (): E[] => decider.decide(command, fold(decider, history));
      return {
        then: (expected: E[]): void => {
          expect(run()).toEqual(expected);
        },
        /** The command is accepted and changes nothing: decide records no event (and throws nothing). */
        thenNothingHappened: (): void => {
          expect(run()).toEqual([]);
        },
        thenThrows: (errorClass: ErrorClass, message?: string | RegExp): void => {
          let thrown: unknown;
          try {
            run();
          } catch (error) {
            thrown = error;
          }
          expect(thrown).toBeInstanceOf(errorClass);
          if (message !== undefined) expect((thrown as Error).message).toMatch(message);
        },
      };
    },
  });
  return {
    given,
    itRefuses: (history: E[], refusals: Refusal<C>[]): void => {
      // Rows as objects: Jest would take a missing message for a `done` callback in a row of arguments.
      const rows = refusals.map(([rule, command, error, message]) => ({ rule, command, error, message }));
      it.each(rows)('$rule', ({ command, error, message }) => given(history).when(command).thenThrows(error, message));
    },
  };
}
