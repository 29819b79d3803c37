import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { pageFileUpload } from '../imports';
import { SamplingController } from './sampling.http';
import { MAX_CASE_LIST_BYTES, SamplingService } from './sampling.service';

/** The case-list page's upload (POST /case-lists, multipart), as for the imports page. */
const caseListUpload = pageFileUpload('casetrail-case-list-', MAX_CASE_LIST_BYTES);

/** Reproducible case sampling for audit programmes (docs/imports.md, "Case sampling"). */
@Module({ controllers: [SamplingController], providers: [SamplingService], exports: [SamplingService] })
export class SamplingModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(caseListUpload).forRoutes({ path: 'case-lists', method: RequestMethod.POST });
  }
}
