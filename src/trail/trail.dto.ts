import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsOptional, Length, Matches, Max, Min } from 'class-validator';
import { IsInstant, Required, toUtcInstant, OptionalChoice } from '../core';
import { TeamFilter } from '../teams';

const STREAM_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}$/;
const STREAM_ID_MESSAGE =
  'must be a record’s stream id such as audit-A-17: 200 characters or fewer, letters, numbers and _ . : -';
const POSITION = /^[0-9]{1,18}$/;
/** Strict ISO 8601 instants only; instants are compared as stored (UTC, milliseconds), so normalised after the check. */
const instant = IsInstant;
const toUtc = toUtcInstant;

/** An optional instant, normalised to UTC after the check; `name` as the message says it ("Recorded after"). */
const OptionalInstant = (name: string, description: string, example?: string): PropertyDecorator =>
  applyDecorators(ApiPropertyOptional({ description, example }), IsOptional(), instant(name), Transform(toUtc));
const ActorId = (description?: string): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({ description }),
    IsOptional(),
    Length(1, 200, { message: 'Actor must be a user id of 200 characters or fewer' }),
  );
/** A page of a list: after a position (the `nextAfter` of the previous page), at most `limit` entries. */
const After = (description: string): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({ description }),
    IsOptional(),
    Matches(POSITION, { message: 'After must be a position (a whole number)' }),
  );
const Limit = (): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({ default: 100, minimum: 1, maximum: 1000 }),
    IsOptional(),
    Type(() => Number),
    IsInt({ message: 'Limit must be a whole number' }),
    Min(1, { message: 'Limit must be 1 or more' }),
    Max(1000, { message: 'Limit must be 1000 or less' }),
  );

export class TimeRangeDto {
  @OptionalInstant('Recorded after', 'Only events recorded after this instant (exclusive).', '2020-04-01T00:00:00Z')
  from?: string;

  @OptionalInstant('Recorded at or before', 'Only events recorded at or before this instant (inclusive).', '2020-06-30T23:59:59Z')
  to?: string;

  @TeamFilter({ description: 'Only events of this team (see docs/trail.md, "The team rule").' })
  teamId?: string;
}

export class TrailQueryDto extends TimeRangeDto {
  @ApiPropertyOptional({ example: 'audit-', description: 'Stream ids starting with this, e.g. "audit-" or "audit-A-17".' })
  @IsOptional()
  @Matches(STREAM_ID, { message: `Stream prefix ${STREAM_ID_MESSAGE}` })
  streamPrefix?: string;

  @ApiPropertyOptional({ example: 'team-cin-north' })
  @IsOptional()
  @Matches(STREAM_ID, { message: `Stream id ${STREAM_ID_MESSAGE}` })
  streamId?: string;

  @ActorId('The user id of the actor.')
  actorId?: string;

  @ApiPropertyOptional({ example: 'TeamRenamed' })
  @IsOptional()
  @Matches(/^[A-Za-z][A-Za-z0-9]{0,99}$/, { message: 'Type must be an event type name such as TeamRenamed' })
  type?: string;

  @After('Cursor: the `nextAfter` of the previous page (a position).')
  after?: string;

  @Limit()
  limit?: number;

  @OptionalChoice(['oldest', 'newest'], 'Order must be oldest or newest', { default: 'oldest' })
  order?: 'oldest' | 'newest';

  @OptionalChoice(['anyone', 'people'], 'Choose whose events to show: people’s or anyone’s', {
    default: 'anyone',
    description: 'people: leave out what the system recorded by itself (the default framework and protocol, set-up).',
  })
  by?: 'anyone' | 'people';
}

/** Not an extension of TimeRangeDto: there `from` is optional, and validation metadata is inherited. */
export class ChangesQueryDto {
  @ApiProperty({ description: 'Changes recorded after this instant (exclusive).', example: '2020-04-01T00:00:00Z' })
  @Required('Enter the date and time to list changes from')
  @instant('From')
  @Transform(toUtc)
  from!: string;

  @OptionalInstant('To', 'Changes recorded at or before this instant (inclusive); defaults to now.')
  to?: string;

  @TeamFilter({ description: 'Only changes of this team (see docs/trail.md, "The team rule").' })
  teamId?: string;
}

export class ExportQueryDto extends TimeRangeDto {
  @OptionalChoice(['ndjson', 'csv'], 'Format must be ndjson or csv', { default: 'ndjson' })
  format?: 'ndjson' | 'csv';
}

export class StreamIdParam {
  @Matches(STREAM_ID, { message: `Stream id ${STREAM_ID_MESSAGE}` })
  streamId!: string;
}

export class ConsistencyQueryDto {
  @ApiPropertyOptional({ description: 'Size of the earlier tree head.' })
  @Type(() => Number)
  @Required('Enter the size of the earlier tree head')
  @IsInt({ message: 'From must be a tree size (a whole number)' })
  @Min(1, { message: 'From must be a tree size of 1 or more' })
  from!: number;

  @ApiPropertyOptional({ description: 'Size of the later tree head; defaults to the latest checkpoint.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'To must be a tree size (a whole number)' })
  @Min(1, { message: 'To must be a tree size of 1 or more' })
  to?: number;
}

export class AccessLogQueryDto {
  @ApiPropertyOptional({
    example: 'audit-A-17',
    description: 'Exact subject: a stream id, "case:<ref>", "child:<ref>", "team:<id>"...',
  })
  @IsOptional()
  @Length(1, 300, { message: 'Subject must be 300 characters or fewer' })
  subject?: string;

  @ActorId()
  actorId?: string;

  @OptionalInstant('From', 'Entries at or after this instant.')
  from?: string;

  @OptionalInstant('To', 'Entries at or before this instant.')
  to?: string;

  @After('Cursor: the `nextAfter` of the previous page.')
  after?: string;

  @Limit()
  limit?: number;
}
