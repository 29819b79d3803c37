import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { validateSync } from 'class-validator';
import { IsDay, IsSubjectRef } from '../core';
import { TEAM_ID } from '../teams';
import { RECORD_ID } from '../audits';

export const TEAM_ID_PATTERN = TEAM_ID;

/** A case reference as the API checks it (the configured REFERENCE_PATTERN): null when fine, else the API's message. */
class CaseRefCheck {
  @IsSubjectRef({ message: 'is not a case reference of the case-management system (never a name)' })
  caseRef!: string;
}
export function caseRefProblem(caseRef: string): string | null {
  const check = Object.assign(new CaseRefCheck(), { caseRef });
  const [error] = validateSync(check);
  return error ? (Object.values(error.constraints ?? {})[0] ?? 'is not valid') : null;
}

export class DrawSampleDto {
  @ApiProperty({ example: 'monthly-2026-06', description: 'The audit programme the sample is for.' })
  @Matches(RECORD_ID, { message: 'programmeId must be 1-40 letters, digits or hyphens' })
  programmeId!: string;

  @ApiProperty({ example: 'b1e0…', description: 'A recorded case list (POST /api/v1/case-lists answers its id).' })
  @Matches(RECORD_ID, { message: 'caseListId must be a case list id' })
  caseListId!: string;

  @ApiPropertyOptional({ example: 5, description: 'Cases per team (give this or total).' })
  @IsOptional()
  @IsInt({ message: 'perTeam must be a whole number' })
  @Min(1)
  @Max(1000)
  perTeam?: number;

  @ApiPropertyOptional({
    example: 20,
    description: 'A total shared across teams in proportion to their caseloads (give this or perTeam).',
  })
  @IsOptional()
  @IsInt({ message: 'total must be a whole number' })
  @Min(1)
  @Max(10000)
  total?: number;

  @ApiPropertyOptional({ default: false, description: 'Draw from each category in proportion, within each team.' })
  @IsOptional()
  @IsBoolean()
  stratifyByCategory?: boolean;

  @ApiPropertyOptional({ default: 12, description: 'Leave out cases audited in this many months before the draw.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(120)
  excludeAuditedWithinMonths?: number;

  @ApiProperty({
    example: '2026-06 monthly audit',
    description: 'Any text: the same seed and inputs always give the same sample.',
  })
  @IsString()
  @Length(1, 100)
  seed!: string;

  @ApiPropertyOptional({ example: '2026-06-01', description: 'The day of the draw (default today).' })
  @IsOptional()
  @IsDay('drawnOn')
  drawnOn?: string;
}

export class ProgrammeIdParam {
  @Matches(RECORD_ID, { message: 'programmeId must be 1-40 letters, digits or hyphens' })
  programmeId!: string;
}
