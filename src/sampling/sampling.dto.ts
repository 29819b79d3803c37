import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { validateSync } from 'class-validator';
import { IsSubjectRef, IsText, Required, OptionalDay } from '../core';
import { TEAM_ID } from '../teams';
import { RECORD_ID, RecordIdField } from '../audits';

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

/** An optional whole number from `min` to `max`: "Total must be a whole number", "… 1 or more", "… 10000 or fewer". */
const WholeNumber = (
  name: string,
  min: number,
  max: number,
  docs: { example?: number; default?: number; description: string },
): PropertyDecorator =>
  applyDecorators(
    Max(max, { message: `${name} must be ${max} or fewer` }),
    Min(min, { message: `${name} must be ${min} or more` }),
    IsInt({ message: `${name} must be a whole number` }),
    IsOptional(),
    ApiPropertyOptional(docs),
  );

export class DrawSampleDto {
  @RecordIdField(
    { example: 'monthly-2026-06', description: 'The audit programme the sample is for.' },
    'Choose the audit programme',
    'Programme must be a programme id: 40 characters or fewer, letters, numbers and hyphens',
  )
  programmeId!: string;

  @RecordIdField(
    { example: 'b1e0…', description: 'A recorded case list (POST /api/v1/case-lists answers its id).' },
    'Choose the case list',
    'Case list must be the id of a recorded case list',
  )
  caseListId!: string;

  @WholeNumber('Cases per team', 1, 1000, { example: 5, description: 'Cases per team (give this or total).' })
  perTeam?: number;

  @WholeNumber('Total', 1, 10000, {
    example: 20,
    description: 'A total shared across teams in proportion to their caseloads (give this or perTeam).',
  })
  total?: number;

  @ApiPropertyOptional({ default: false, description: 'Draw from each category in proportion, within each team.' })
  @IsOptional()
  @IsBoolean({ message: 'Stratify by category must be true or false' })
  stratifyByCategory?: boolean;

  @WholeNumber('Months to leave out recently audited cases', 0, 120, {
    default: 12,
    description: 'Leave out cases audited in this many months before the draw.',
  })
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
