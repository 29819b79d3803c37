import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { Type } from 'class-transformer';
import { IsDay, IsText, Required, trim } from '../core';

export class AddBankHolidayDto {
  @ApiProperty({ example: '2022-09-19', description: 'The weekday taken as a bank holiday (YYYY-MM-DD).' })
  @Required('Enter the date of the bank holiday')
  @IsDay('Date')
  date!: string;

  @ApiProperty({ example: 'State funeral of Queen Elizabeth II', maxLength: 500 })
  @Transform(trim)
  @Required('Enter why it is a bank holiday')
  @IsText('Reason', 500)
  reason!: string;

  @ApiPropertyOptional({ example: '2020-05-04', description: 'For a substitute: the usual bank holiday it replaces.' })
  @IsOptional()
  @IsDay('Bank holiday it replaces')
  replaces?: string;
}

export class BankHolidaysParams {
  @ApiPropertyOptional({ example: 2022, description: 'The year whose bank holidays to list; defaults to this year.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'Year must be a whole number, like 2026' })
  @Min(1900, { message: 'Year must be 1900 or later' })
  @Max(2200, { message: 'Year must be 2200 or earlier' })
  year?: number;
}
