import { Module } from '@nestjs/common';
import { SamplingController } from './sampling.http';
import { SamplingService } from './sampling.service';

/** Reproducible case sampling for audit programmes (docs/imports.md, "Case sampling"). */
@Module({ controllers: [SamplingController], providers: [SamplingService], exports: [SamplingService] })
export class SamplingModule {}
