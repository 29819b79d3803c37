import { Controller, Get, Param, Req, Res, UseFilters } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import { financialQuarter } from '@casetrail/kernel';
import type { Response } from 'express';
import { businessToday } from '../../core';
import {
  ComparisonParams,
  ImpactParams,
  RecordIdParam,
  impactView,
  type ImpactView,
  percentText,
  type Distribution,
  programmeComparison,
  type ProgrammeComparisonView,
} from '../../impact';
import { filled, noProblems, problemsFrom, validated } from '../forms';
import { may } from '../may';
import { hrefWith, type SignedIn } from '../page-helpers';
import { WebErrorFilter } from '../web-errors.filter';
import { WebViews } from '../web-views';

const RAG_TAG: Record<string, { text: string; classes: string }> = {
  red: { text: 'Red', classes: 'govuk-tag--red' },
  amber: { text: 'Amber', classes: 'govuk-tag--orange' },
  green: { text: 'Green', classes: 'govuk-tag--green' },
  blue: { text: 'Blue: complete', classes: 'govuk-tag--blue' },
  grey: { text: 'Grey: not started', classes: 'govuk-tag--grey' },
};
const CHANGE_TAG: Record<string, { text: string; classes: string }> = {
  improved: { text: 'Better', classes: 'govuk-tag--green' },
  declined: { text: 'Worse', classes: 'govuk-tag--red' },
  unchanged: { text: 'Same', classes: 'govuk-tag--grey' },
  'not comparable': { text: 'Not comparable', classes: 'govuk-tag--grey' },
};

/** One row of a grade table: "3 (18.75%)". */
const share = (d: Distribution | null, key: 'outstanding' | 'good' | 'requiresImprovement' | 'inadequate'): string =>
  d === null || d.graded === 0 ? '–' : `${d[key].count} (${percentText(d[key].percent)})`;

const gradeRows = (before: Distribution | null, after: Distribution | null) =>
  (
    [
      ['Outstanding', 'outstanding'],
      ['Good', 'good'],
      ['Requires improvement', 'requiresImprovement'],
      ['Inadequate', 'inadequate'],
    ] as const
  ).map(([text, key]) => ({ text, before: share(before, key), after: share(after, key) }));

/**
 * The impact view and the programme comparison as pages: the same read-only views as
 * GET /api/v1/impact and GET /api/v1/audit-programmes/:id/comparison, for people.
 */
@ApiExcludeController()
@UseFilters(WebErrorFilter)
@Controller()
export class ImpactPagesController {
  constructor(
    private readonly queries: QueryBus,
    private readonly views: WebViews,
  ) {}

  @Get('impact')
  async impact(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const filters = filled(request.query as Record<string, unknown>, [
      'actionId',
      'recommendationId',
      'priorityId',
      'planId',
      'on',
    ]);
    let problems = noProblems();
    let view: ImpactView | null = null;
    if (filters.actionId || filters.recommendationId || filters.priorityId || filters.planId) {
      try {
        const { on, ...subject } = await validated(ImpactParams, filters);
        view = await impactView(
          this.queries,
          subject,
          on ?? businessToday(),
          request.principal.userId,
          request.teamScope ?? null,
        );
      } catch (error) {
        problems = problemsFrom(error, {
          labels: { actionId: 'Action', recommendationId: 'Recommendation', priorityId: 'Priority', planId: 'Plan', on: 'Day' },
          fieldOf: { PRIORITY_NEEDS_PLAN: 'planId', PRIORITY_NOT_FOUND: 'priorityId' },
        });
      }
    }
    const actions = (view?.actions ?? []).map((action) => ({
      ...action,
      tag: RAG_TAG[action.rag] ?? { text: action.rag, classes: 'govuk-tag--grey' },
      // One table per domain its findings name (an action may answer several findings).
      gradeSets: action.gradesByDomain.map((grades) => ({
        grades,
        rows: gradeRows(grades.before, grades.after),
        audits: action.findings.filter((f) => f.domain === grades.domain),
      })),
    }));
    // The quarter's self-evaluation draft puts these figures beside the rest of the record.
    const quarter = financialQuarter(view?.on ?? businessToday()).label;
    const draftHref = may(request.principal, 'POST /api/v1/self-assessments/draft')
      ? hrefWith('/self-assessments/draft', { period: quarter })
      : null;
    this.views.send(request, response, 'impact/impact.njk', { title: 'Impact', view, actions, filters, draftHref, ...problems });
  }

  @Get('audits/programmes/:id/comparison')
  async comparison(@Param() params: RecordIdParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const filters = filled(request.query as Record<string, unknown>, ['with']);
    let problems = noProblems();
    let view: ProgrammeComparisonView | null = null;
    try {
      const { with: earlier } = await validated(ComparisonParams, filters);
      view = await programmeComparison(this.queries, params.id, earlier, request.principal.userId, request.teamScope ?? null);
    } catch (error) {
      problems = problemsFrom(error, { labels: { with: 'Earlier programme' } });
    }
    const domains = (view?.domains ?? []).map((d) => ({ ...d, gradeRows: gradeRows(d.earlier, d.later) }));
    const cases = (view?.cases ?? []).map((c) => ({
      ...c,
      domains: c.domains.map((d) => ({ ...d, tag: CHANGE_TAG[d.change] })),
      overallTag: CHANGE_TAG[c.overall.change],
    }));
    this.views.send(request, response, 'impact/comparison.njk', {
      title: view ? `${view.programme.title} compared with ${view.with.title}` : 'Compare programmes',
      programmeId: params.id,
      view,
      domains,
      cases,
      filters,
      ...problems,
    });
  }
}
