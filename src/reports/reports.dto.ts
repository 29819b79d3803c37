import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min, ValidateIf } from 'class-validator';
import { IsText, Required, trim, OptionalChoice } from '../core';
import { TeamFilter } from '../teams';

/** A financial quarter as councils write it, or the same as a URL-friendly slug. */
export const QUARTER_PATTERN = /^(\d{4}\/\d{2} Q[1-4]|\d{4}-\d{2}-q[1-4])$/;
export const QUARTER_MESSAGE = 'Quarter must be a financial quarter written like 2020/21 Q1 (or 2020-21-q1)';

export const REPORT_FORMATS = ['html', 'docx', 'csv', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The ids of the report's tables: the `table` of a CSV download. */
export const REPORT_TABLE_IDS = [
  'plan-progress-by-priority',
  'red-and-amber-actions',
  'recommendations-past-timescale',
  'performance',
  'audit-grades',
  'audit-good-or-better-by-team',
  'audit-weakest-domains',
  'immediate-reviews',
  'disputes-summary',
  'disputes-by-category',
  'disputes-highest-stage',
  'outstanding-by-team',
  'overdue-by-team',
  'late-changes',
] as const;

export class BoardReportParams {
  @ApiProperty({ example: '2020/21 Q1' })
  @Required('Choose a quarter')
  @Matches(QUARTER_PATTERN, { message: QUARTER_MESSAGE })
  quarter!: string;

  @TeamFilter({ example: 'mash', description: 'One team only; council-wide without it.' })
  teamId?: string;

  @OptionalChoice(['internal', 'external'], 'Choose who the report is for: internal or external', {
    default: 'internal',
    description: 'external: small numbers suppressed, no case references, for publication outside the council.',
  })
  audience?: 'internal' | 'external';

  @OptionalChoice(REPORT_FORMATS, `Format must be one of ${REPORT_FORMATS.join(', ')}`, { default: 'html' })
  format?: ReportFormat;

  @ApiPropertyOptional({ enum: REPORT_TABLE_IDS, description: 'Which table, for format=csv (required then).' })
  @ValidateIf((o: BoardReportParams) => o.format === 'csv' || o.table !== undefined)
  @IsIn(REPORT_TABLE_IDS, { message: `Table must be one of ${REPORT_TABLE_IDS.join(', ')}` })
  table?: (typeof REPORT_TABLE_IDS)[number];

  @ApiPropertyOptional({ example: 5, description: 'Small-number threshold for the external audience (default 5).' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value))
  @IsInt({ message: 'Threshold must be a whole number' })
  @Min(2, { message: 'Threshold must be 2 or more' })
  @Max(20, { message: 'Threshold must be 20 or less' })
  threshold?: number;
}

export class QuarterParam {
  @ApiProperty({ example: '2020/21 Q1', description: 'URL-encoded ("2020%2F21%20Q1") or as a slug ("2020-21-q1").' })
  @Required('Choose a quarter')
  @Matches(QUARTER_PATTERN, { message: QUARTER_MESSAGE })
  quarter!: string;
}

export class BoardNotesDto {
  @TeamFilter({ example: 'mash', description: "One team's report; the council-wide report without it." })
  teamId?: string;

  @ApiProperty({ example: 'Note the improvement in contacts within 24 hours; decide whether to fund a second MASH manager.' })
  @Transform(trim)
  @Required('Enter the notes for the board')
  @IsText('Notes', 4000)
  notes!: string;
}
