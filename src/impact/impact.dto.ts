import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { OptionalDay } from '../core';
import { RECORD_ID } from '../audits';
import { ID, ID_MESSAGE, QuarterField, ServiceField } from '../improvement';

const RECORD_ID_MESSAGE = (name: string): string =>
  `${name} must be 40 characters or fewer and use only letters, numbers and hyphens`;

export class RecordIdParam {
  @Matches(RECORD_ID, { message: RECORD_ID_MESSAGE('Id') })
  id!: string;
}

export class ComparisonParams {
  @ApiProperty({ example: 'neglect-deep-dive-2026', description: 'The earlier programme to compare with.' })
  @Matches(RECORD_ID, { message: RECORD_ID_MESSAGE('Earlier programme') })
  with!: string;
}

export class ImpactParams {
  @ApiPropertyOptional({ description: 'One improvement action.' })
  @IsOptional()
  @Matches(ID, { message: `Action ${ID_MESSAGE}` })
  actionId?: string;

  @ApiPropertyOptional({ description: 'One recommendation: the actions answering it (in planId, or in any plan).' })
  @IsOptional()
  @Matches(ID, { message: `Recommendation ${ID_MESSAGE}` })
  recommendationId?: string;

  @ApiPropertyOptional({ description: 'One priority of a plan (with planId): the actions under it.' })
  @IsOptional()
  @Matches(ID, { message: `Priority ${ID_MESSAGE}` })
  priorityId?: string;

  @ApiPropertyOptional({
    description: "A whole plan's actions (or, with recommendationId or priorityId, the plan to look in).",
  })
  @IsOptional()
  @Matches(ID, { message: `Plan ${ID_MESSAGE}` })
  planId?: string;

  @OptionalDay('Day', 'The day to show the impact as on (default today).', '2026-10-31')
  on?: string;
}

export class DraftSelfAssessmentDto {
  @ServiceField({ example: 'assessment', description: "The service (its id, from the teams' service)." })
  service!: string;

  @QuarterField('The financial quarter to draft.', '2026/27 Q2')
  period!: string;
}
