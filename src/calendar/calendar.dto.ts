import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { Type } from 'class-transformer';
import { IsDay, OptionalDay, Required, TextField } from '../core';

export class AddBankHolidayDto {
  @ApiProperty({ example: '2022-09-19', description: 'The weekday taken as a bank holiday (YYYY-MM-DD).' })
  @Required('Enter the date of the bank holiday')
  @IsDay('Date')
  date!: string;

  @TextField('State funeral of Queen Elizabeth II', { name: 'Reason', enter: 'Enter why it is a bank holiday' }, 500)
  reason!: string;

  @OptionalDay('Bank holiday it replaces', 'For a substitute: the usual bank holiday it replaces.')
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
