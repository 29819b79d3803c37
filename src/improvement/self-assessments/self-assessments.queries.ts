import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { READ_DB } from '../../core';
import { SelfAssessmentRow } from './projections/self-assessment.projection';

/** Self-assessments, oldest quarter first (one service, or all). */
export class ListSelfAssessmentsQuery extends Query<SelfAssessmentRow[]> {
  constructor(readonly service: string | undefined) {
    super();
  }
}

@QueryHandler(ListSelfAssessmentsQuery)
export class ListSelfAssessmentsHandler implements IQueryHandler<ListSelfAssessmentsQuery> {
  constructor(@Inject(READ_DB) private readonly db: DataSource) {}
  execute({ service }: ListSelfAssessmentsQuery): Promise<SelfAssessmentRow[]> {
    return this.db
      .getRepository(SelfAssessmentRow)
      .find({ where: service ? { service } : {}, order: { periodFrom: 'ASC', service: 'ASC' } });
  }
}
