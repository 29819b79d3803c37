import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { IsDay } from '../core';
import { RECORD_ID } from '../audits';
import { ID, ID_MESSAGE } from '../plans';
import { SERVICE } from '../self-assessments';

const RECORD_ID_MESSAGE = (field: string): string => `${field} must be 1-40 letters, digits or hyphens`;

export class RecordIdParam {
  @Matches(RECORD_ID, { message: RECORD_ID_MESSAGE('id') })
  id!: string;
}

export class ComparisonParams {
  @ApiProperty({ example: 'neglect-deep-dive-2026', description: 'The earlier programme to compare with.' })
  @Matches(RECORD_ID, { message: RECORD_ID_MESSAGE('with') })
  with!: string;
}

export class ImpactParams {
  @ApiPropertyOptional({ description: 'One improvement action.' })
  @IsOptional()
  @Matches(ID, { message: `actionId ${ID_MESSAGE}` })
  actionId?: string;

  @ApiPropertyOptional({ description: 'One recommendation: the actions answering it (in planId, or in any plan).' })
  @IsOptional()
  @Matches(ID, { message: `recommendationId ${ID_MESSAGE}` })
  recommendationId?: string;

  @ApiPropertyOptional({ description: "A whole plan's actions (or, with recommendationId, the plan to look in)." })
  @IsOptional()
  @Matches(ID, { message: `planId ${ID_MESSAGE}` })
  planId?: string;

  @ApiPropertyOptional({ example: '2026-10-31', description: 'The day to show the impact as on (default today).' })
  @IsOptional()
  @IsDay('on')
  on?: string;
}

export class DraftSelfAssessmentDto {
  @ApiProperty({ example: 'assessment', description: "The service (its id, from the teams' service)." })
  @Matches(SERVICE, {
    message: 'service must be 2-40 lower-case letters, digits or hyphens, starting with a letter or digit',
  })
  service!: string;

  @ApiProperty({ example: '2026/27 Q2', description: 'The financial quarter to draft.' })
  @Matches(/^\d{4}\/\d{2} Q[1-4]$/, { message: 'period must be a financial quarter like 2020/21 Q1' })
  period!: string;
}
