import { Module } from '@nestjs/common';
import { AuditImportService } from './audit-import.service';
import { ImportsController } from './imports.controller';
import { RecordWriters } from './record-writers';

/** Imports of a council's existing records (spreadsheets, case-system extracts) through the write path. */
@Module({
  controllers: [ImportsController],
  providers: [RecordWriters, AuditImportService],
  exports: [RecordWriters, AuditImportService],
})
export class ImportsModule {}
