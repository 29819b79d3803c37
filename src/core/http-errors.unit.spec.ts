import { Logger, NotFoundException } from '@nestjs/common';
import { WrongExpectedRevisionError } from '@casetrail/event-store';
import { ConflictError, RuleBrokenError } from '@casetrail/kernel';
import { toErrorBody } from './http-errors';

class AlreadyClosed extends ConflictError {
  readonly code = 'ALREADY_CLOSED';
}
class FutureDate extends RuleBrokenError {
  readonly code = 'FUTURE_DATE';
}

describe('error responses', () => {
  const logger = new Logger('test');
  let logged: jest.SpyInstance;
  beforeEach(() => {
    logged = jest.spyOn(logger, 'error').mockImplementation(() => undefined);
  });

  it('a conflict with the current state is 409 and a broken rule is 422, with the rule code', () => {
    expect(toErrorBody(new AlreadyClosed('The team is closed.'), logger)).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: 'The team is closed.',
      details: { code: 'ALREADY_CLOSED' },
    });
    expect(toErrorBody(new FutureDate('Not in the future.'), logger)).toMatchObject({
      statusCode: 422,
      details: { code: 'FUTURE_DATE' },
    });
  });

  it('a concurrent write is a 409 asking to reload', () => {
    expect(toErrorBody(new WrongExpectedRevisionError('team-x', 1n, 2n), logger)).toMatchObject({ statusCode: 409 });
  });

  it('Nest HTTP exceptions keep their status', () => {
    expect(toErrorBody(new NotFoundException('No route'), logger)).toMatchObject({ statusCode: 404, message: 'No route' });
  });

  it('an unexpected error is a 500 without its message or stack, and is logged', () => {
    const secret = new Error('SQLITE_CORRUPT: SELECT * FROM users WHERE token_hash = ...');
    const response = toErrorBody(secret, logger);
    expect(response.statusCode).toBe(500);
    expect(JSON.stringify(response)).not.toMatch(/SQLITE|SELECT|at /);
    expect(logged).toHaveBeenCalledWith(expect.stringContaining('SQLITE_CORRUPT'));
  });
});
