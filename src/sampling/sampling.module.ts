import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { pageFileUpload } from '../imports';
import { SamplingController } from './sampling.http';
import { SamplingService } from './sampling.service';

/** The largest case list the page takes (a council's open cases are a few thousand rows). */
export const MAX_CASE_LIST_BYTES = 20 * 1024 * 1024;

/** The case-list page's upload (POST /case-lists, multipart), as for the imports page. */
const caseListUpload = pageFileUpload('casetrail-case-list-', MAX_CASE_LIST_BYTES);

/** Reproducible case sampling for audit programmes (docs/imports.md, "Case sampling"). */
@Module({ controllers: [SamplingController], providers: [SamplingService], exports: [SamplingService] })
export class SamplingModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(caseListUpload).forRoutes({ path: 'case-lists', method: RequestMethod.POST });
  }
}
