import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { validateSync } from 'class-validator';
import { IsSubjectRef, IsText, Required, OptionalDay } from '../core';
import { TEAM_ID } from '../teams';
import { RECORD_ID } from '../audits';

export const TEAM_ID_PATTERN = TEAM_ID;

/** A case reference as the API checks it (the configured REFERENCE_PATTERN): null when fine, else the API's message. */
class CaseRefCheck {
  @Required('Enter a case reference')
  @IsSubjectRef('Case reference')
  caseRef!: string;
}
export function caseRefProblem(caseRef: string): string | null {
  const check = Object.assign(new CaseRefCheck(), { caseRef });
  const [error] = validateSync(check);
  return error ? (Object.values(error.constraints ?? {})[0] ?? 'is not valid') : null;
}

export class DrawSampleDto {
  @ApiProperty({ example: 'monthly-2026-06', description: 'The audit programme the sample is for.' })
  @Required('Choose the audit programme')
  @Matches(RECORD_ID, { message: 'Programme must be a programme id: 40 characters or fewer, letters, numbers and hyphens' })
  programmeId!: string;

  @ApiProperty({ example: 'b1e0…', description: 'A recorded case list (POST /api/v1/case-lists answers its id).' })
  @Required('Choose the case list')
  @Matches(RECORD_ID, { message: 'Case list must be the id of a recorded case list' })
  caseListId!: string;

  @ApiPropertyOptional({ example: 5, description: 'Cases per team (give this or total).' })
  @IsOptional()
  @IsInt({ message: 'Cases per team must be a whole number' })
  @Min(1, { message: 'Cases per team must be 1 or more' })
  @Max(1000, { message: 'Cases per team must be 1000 or fewer' })
  perTeam?: number;

  @ApiPropertyOptional({
    example: 20,
    description: 'A total shared across teams in proportion to their caseloads (give this or perTeam).',
  })
  @IsOptional()
  @IsInt({ message: 'Total must be a whole number' })
  @Min(1, { message: 'Total must be 1 or more' })
  @Max(10000, { message: 'Total must be 10000 or fewer' })
  total?: number;

  @ApiPropertyOptional({ default: false, description: 'Draw from each category in proportion, within each team.' })
  @IsOptional()
  @IsBoolean({ message: 'Stratify by category must be true or false' })
  stratifyByCategory?: boolean;

  @ApiPropertyOptional({ default: 12, description: 'Leave out cases audited in this many months before the draw.' })
  @IsOptional()
  @IsInt({ message: 'Months to leave out recently audited cases must be a whole number' })
  @Min(0, { message: 'Months to leave out recently audited cases must be 0 or more' })
  @Max(120, { message: 'Months to leave out recently audited cases must be 120 or fewer' })
  excludeAuditedWithinMonths?: number;

  @ApiProperty({
    example: '2026-06 monthly audit',
    description: 'Any text: the same seed and inputs always give the same sample.',
  })
  @Required('Enter a seed')
  @IsText('Seed', 100)
  seed!: string;

  @OptionalDay('Date of the draw', 'The day of the draw (default today).', '2026-06-01')
  drawnOn?: string;
}

export class ProgrammeIdParam {
  @Matches(RECORD_ID, { message: 'Programme must be a programme id: 40 characters or fewer, letters, numbers and hyphens' })
  programmeId!: string;
}

export class CaseListIdParam {
  @Matches(RECORD_ID, { message: 'Case list must be the id of a recorded case list' })
  id!: string;
}

/** `POST /api/v1/case-lists?fileName=…`: the uploaded file's name, so people can tell lists apart (optional). */
export class CaseListUploadQuery {
  @ApiPropertyOptional({ example: 'open-cases-june-2026.csv', description: "The file's name, shown where lists are chosen." })
  @IsOptional()
  @IsText('File name', 200)
  fileName?: string;
}
