import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { Type } from 'class-transformer';
import { IsDay, trim } from '../core';

export class AddBankHolidayDto {
  @ApiProperty({ example: '2022-09-19', description: 'The weekday taken as a bank holiday (YYYY-MM-DD).' })
  @IsDay('date')
  date!: string;

  @ApiProperty({ example: 'State funeral of Queen Elizabeth II', maxLength: 500 })
  @Transform(trim)
  @IsString()
  @Length(1, 500)
  reason!: string;

  @ApiPropertyOptional({ example: '2020-05-04', description: 'For a substitute: the usual bank holiday it replaces.' })
  @IsOptional()
  @IsDay('replaces')
  replaces?: string;
}

export class BankHolidaysParams {
  @ApiPropertyOptional({ example: 2022, description: 'The year whose bank holidays to list; defaults to this year.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1900)
  @Max(2200)
  year?: number;
}
