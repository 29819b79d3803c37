import { fold, type Decider, type DomainEvent } from '@casetrail/kernel';

/**
 * given(history).when(command).then(events) / .thenNothingHappened() / .thenThrows(ErrorClass, message?):
 * the one way decider rules are tested, one `it` per rule, named after the rule.
 */
export function deciderSpec<C extends { type: string; now: string }, E extends DomainEvent, S>(decider: Decider<C, E, S>) {
  return {
    given: (history: E[]) => ({
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
          thenThrows: (errorClass: new (...args: never[]) => Error, message?: string | RegExp): void => {
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
    }),
  };
}
