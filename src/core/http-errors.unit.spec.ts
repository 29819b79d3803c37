import { Logger, NotFoundException, ValidationPipe } from '@nestjs/common';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { WrongExpectedRevisionError } from '@casetrail/event-store';
import { ConflictError, RuleBrokenError } from '@casetrail/kernel';
import { InvalidInputException, toErrorBody, validationPipe } from './http-errors';

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

describe('validationPipe (a query or route parameters that passed are not validated again)', () => {
  class Filter {
    @IsOptional()
    @IsIn(['open', 'closed'], { message: 'Status must be open or closed' })
    status?: string;

    @IsOptional()
    @IsString({ message: 'Team must be text' })
    teamId?: string;
  }
  const query = { type: 'query', metatype: Filter, data: undefined } as const;
  let pipe: ReturnType<typeof validationPipe>;
  let transforms: number;

  beforeEach(() => {
    pipe = validationPipe();
    transforms = 0;
    const original = ValidationPipe.prototype.transform;
    jest.spyOn(ValidationPipe.prototype, 'transform').mockImplementation(function (this: ValidationPipe, value, metadata) {
      transforms++;
      return original.call(this, value, metadata);
    });
  });
  afterEach(() => jest.restoreAllMocks());

  it('given the same query twice, then the second gets an equal, separate DTO without validating again', async () => {
    const first = (await pipe.transform({ status: 'open', teamId: 'north' }, query)) as Filter;
    const second = (await pipe.transform({ status: 'open', teamId: 'north' }, query)) as Filter;
    expect(second).toBeInstanceOf(Filter);
    expect(second).toEqual(first);
    expect(second).not.toBe(first);
    expect(transforms).toBe(1);
    // A handler that changes its DTO changes nothing for the next request.
    second.status = 'closed';
    expect(await pipe.transform({ status: 'open', teamId: 'north' }, query)).toEqual({ status: 'open', teamId: 'north' });
  });

  it('given a query that fails, then it is refused each time with its messages (a refusal is never kept)', async () => {
    for (let i = 0; i < 2; i++) {
      await expect(pipe.transform({ status: 'shut' }, query)).rejects.toMatchObject({
        fields: [{ field: 'status', problems: ['Status must be open or closed'] }],
      });
    }
    await expect(pipe.transform({ status: 'open', extra: 'x' }, query)).rejects.toBeInstanceOf(InvalidInputException);
    expect(transforms).toBe(3);
  });

  it('given a body, or a query that differs, then it is validated as before', async () => {
    const body = { type: 'body', metatype: Filter, data: undefined } as const;
    await pipe.transform({ status: 'open' }, body);
    await pipe.transform({ status: 'open' }, body);
    await pipe.transform({ status: 'open' }, query);
    await pipe.transform({ status: 'closed' }, query);
    expect(transforms).toBe(4);
  });
});
