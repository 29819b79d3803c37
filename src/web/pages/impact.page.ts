import { Get, Param } from '@nestjs/common';
import { financialQuarter } from '@casetrail/kernel';
import { businessToday } from '../../core';
import {
  ComparisonParams,
  ImpactParams,
  RecordIdParam,
  impactView,
  percentText,
  type Distribution,
  programmeComparison,
} from '../../impact';
import { filled } from '../forms';
import { inputPipe, Page, PageController, PageIn, Pages, type Input } from '../kit';
import { hrefWith } from '../page-helpers';
import { actionTag } from './plans/plan-views';

const CHANGE_TAG: Record<string, { text: string; classes: string }> = {
  improved: { text: 'Better', classes: 'govuk-tag--green' },
  declined: { text: 'Worse', classes: 'govuk-tag--red' },
  unchanged: { text: 'Same', classes: 'govuk-tag--grey' },
  'not comparable': { text: 'Not comparable', classes: 'govuk-tag--grey' },
};
const GRADE_ROWS = [
  ['Outstanding', 'outstanding'],
  ['Good', 'good'],
  ['Requires improvement', 'requiresImprovement'],
  ['Inadequate', 'inadequate'],
] as const;
/** One row of a grade table: "3 (18.75%)". */
const share = (d: Distribution | null, key: (typeof GRADE_ROWS)[number][1]): string =>
  d === null || d.graded === 0 ? '–' : `${d[key].count} (${percentText(d[key].percent)})`;
const gradeRows = (before: Distribution | null, after: Distribution | null) =>
  GRADE_ROWS.map(([text, key]) => ({ text, before: share(before, key), after: share(after, key) }));

const SUBJECTS = ['actionId', 'recommendationId', 'priorityId', 'planId'];
const impactInput = inputPipe(ImpactParams, (query) => filled(query, [...SUBJECTS, 'on']));
const comparisonInput = inputPipe(ComparisonParams, (query) => filled(query, ['with']));

/**
 * The impact view and the programme comparison as pages: the same read-only views as
 * GET /api/v1/impact and GET /api/v1/audit-programmes/:id/comparison, for people.
 */
@PageController()
export class ImpactPagesController extends Pages {
  @Get('impact')
  async impact(@PageIn() page: Page): Promise<void> {
    const input: Input<ImpactParams> = await impactInput.transform(page.query);
    const asked = SUBJECTS.some((field) => input.values[field]);
    const { result: view, error } = asked
      ? await this.read(
          input,
          ({ on, ...subject }) =>
            impactView(this.queries, subject, on ?? businessToday(), page.principal.userId, page.request.teamScope ?? null),
          null,
        )
      : { result: null, error: null };
    const team = await this.names.teams();
    const actions = (view?.actions ?? []).map((action) => ({
      ...action,
      tag: actionTag({ rag: action.rag }) ?? { text: action.rag, classes: 'govuk-tag--grey' },
      // One table per domain its findings name (an action may answer several findings), headed by the teams' names.
      gradeSets: action.gradesByDomain.map((grades) => ({
        grades,
        teams: grades.teamIds.map(team).join(', '),
        rows: gradeRows(grades.before, grades.after),
        audits: action.findings.filter((f) => f.domain === grades.domain),
      })),
    }));
    // The quarter's self-evaluation draft puts these figures beside the rest of the record.
    const quarter = financialQuarter(view?.on ?? businessToday()).label;
    const draftHref = page.may('POST /api/v1/self-assessments/draft')
      ? hrefWith('/self-assessments/draft', { period: quarter })
      : null;
    const problems = this.problems(error, {
      labels: { actionId: 'Action', recommendationId: 'Recommendation', priorityId: 'Priority', planId: 'Plan', on: 'Day' },
      fieldOf: { PRIORITY_NEEDS_PLAN: 'planId', PRIORITY_NOT_FOUND: 'priorityId' },
    });
    this.show(page, 'impact/impact.njk', { title: 'Impact', view, actions, filters: input.values, draftHref, ...problems });
  }

  @Get('audits/programmes/:id/comparison')
  async comparison(@PageIn() page: Page, @Param() params: RecordIdParam): Promise<void> {
    const input: Input<ComparisonParams> = await comparisonInput.transform(page.query);
    const { result: view, error } = await this.read(
      input,
      ({ with: earlier }) =>
        programmeComparison(this.queries, params.id, earlier, page.principal.userId, page.request.teamScope ?? null),
      null,
    );
    const domains = (view?.domains ?? []).map((d) => ({ ...d, gradeRows: gradeRows(d.earlier, d.later) }));
    const cases = (view?.cases ?? []).map((c) => ({
      ...c,
      domains: c.domains.map((d) => ({ ...d, tag: CHANGE_TAG[d.change] })),
      overallTag: CHANGE_TAG[c.overall.change],
    }));
    const title = view ? `${view.programme.title} compared with ${view.with.title}` : 'Compare programmes';
    const problems = this.problems(error, { labels: { with: 'Earlier programme' } });
    this.show(page, 'impact/comparison.njk', {
      title,
      programmeId: params.id,
      view,
      domains,
      cases,
      filters: input.values,
      ...problems,
    });
  }

  /** A read-only view: its filters' problems show on the page, which is still a 200. */
  private show(page: Page, template: string, context: Record<string, unknown>): void {
    this.views.send(page.request, page.response, template, context);
  }
}
