import { Body, Get, Post, Query } from '@nestjs/common';
import { ListSelfAssessmentsParams, RecordSelfAssessmentDto } from '../../../improvement';
import { serviceIdOf } from '../../../teams';
import { csv, sendCsv } from '../../csv';
import { filled, noProblems, validated } from '../../forms';
import { checkedPipe, inputPipe, Page, PageIn, Pages, type Input, PageController } from '../../kit';
import { pageHrefOf } from './self-assessment-sources';

const FIELDS = ['service', 'period', 'score', 'whatWeKnow', 'howWeKnow', 'whatNext'] as const;
const servicePipe = checkedPipe(ListSelfAssessmentsParams, (query) => filled(query, ['service']));
/** A blank score must be meant: with "no score this quarter" ticked it is left out, otherwise it is refused. */
export const withScore = ({ noScore, ...fields }: Record<string, unknown>): Record<string, unknown> => {
  const raw = typeof fields.score === 'string' ? fields.score.trim() : '';
  if (noScore === 'yes' && raw === '') return { ...fields, score: undefined };
  return { ...fields, score: /^\d{1,2}(\.\d+)?$/.test(raw) ? Number(raw) : (fields.score ?? '') };
};
const recordInput = inputPipe(RecordSelfAssessmentDto, (body) => filled(body, [...FIELDS, 'noScore']), withScore);
/** The three questions a self-assessment answers, in the forms' words (the list's form and the draft's). */
export const QUESTIONS = {
  whatWeKnow: 'What do we know about the quality and impact of our practice?',
  howWeKnow: 'How do we know it?',
  whatNext: 'What are we going to do next?',
};
/** Where a recorded self-assessment is shown: its service's list, with the banner. */
export const recordedHref = (service: string): string =>
  `/self-assessments?${new URLSearchParams({ done: 'recorded', service }).toString()}`;

/** Quarterly social-work self-assessments: the list (one service or all, with a CSV) and recording one. */
@PageController()
export class SelfAssessmentsPage extends Pages {
  @Get('self-assessments')
  async list(@PageIn() page: Page): Promise<void> {
    await this.showList(page, {});
  }

  @Get('self-assessments.csv')
  async csv(@PageIn() page: Page, @Query(servicePipe) params: ListSelfAssessmentsParams): Promise<void> {
    const rows = await this.useCases.selfAssessments.list(params);
    const columns = 'service period periodFrom score whatWeKnow howWeKnow whatNext recordedAt recordedBy';
    sendCsv(page.response, 'self-assessments.csv', csv(columns, rows));
  }

  @Post('self-assessments')
  async record(@PageIn() page: Page, @Body(recordInput) input: Input<RecordSelfAssessmentDto>): Promise<void> {
    await this.submit(page, input, {
      send: (dto, context) => this.useCases.selfAssessments.record(dto, context),
      to: () => recordedHref(input.dto!.service),
      show: (problems) => this.showList(page, input.values, problems),
      labels: { service: 'Service', period: 'Quarter', score: 'Score', ...QUESTIONS },
      fieldOf: {
        SELF_ASSESSMENT_ALREADY_RECORDED: 'period',
        SELF_ASSESSMENT_PERIOD_NOT_QUARTER: 'period',
        SELF_ASSESSMENT_BEFORE_QUARTER_STARTS: 'period',
        SELF_ASSESSMENT_SCORE_OFF_SCALE: 'score',
      },
      formId: 'record',
    });
  }

  private async showList(page: Page, values: Record<string, unknown>, problems = noProblems()): Promise<void> {
    const filters = filled(page.request.method === 'GET' ? page.query : {}, ['service']);
    let rows: Awaited<ReturnType<typeof this.useCases.selfAssessments.list>> = [];
    let shown = problems;
    try {
      rows = await this.useCases.selfAssessments.list(await validated(ListSelfAssessmentsParams, filters));
    } catch (error) {
      const filterProblems = this.problems(error, { labels: { service: 'Service' }, idOf: () => 'filterService' });
      shown = {
        errors: { ...problems.errors, filterService: filterProblems.errors.service },
        errorList: filterProblems.errorList,
      };
    }
    const name = await this.names.users();
    const query = filters.service ? `?${new URLSearchParams({ service: String(filters.service) }).toString()}` : '';
    // A team manager records for their teams' services only (the policy's rule): name them in the hint.
    const bound = page.limited('POST /api/v1/self-assessments');
    const teams = bound ? await this.useCases.teams.list({}) : [];
    const own = [...new Set(teams.filter((t) => page.principal.teamIds.includes(t.teamId)).map((t) => serviceIdOf(t.service)))];
    const serviceHint = !bound
      ? 'The service’s id: a team’s service in lower case with hyphens, for example children-in-need'
      : own.length
        ? `Your teams’ services: ${own.sort().join(', ')}`
        : 'You have no teams, so no service to assess';
    const context = {
      title: 'Self-assessments',
      rows: rows.map((r) => ({
        ...r,
        recordedByName: name(r.recordedBy),
        sourceLinks: (r.sources ?? []).map((source) => ({ ...source, href: pageHrefOf(source.href) })),
      })),
      filters,
      csvHref: `/self-assessments.csv${query}`,
      done: page.done,
      mayRecord: page.may('POST /api/v1/self-assessments'),
      mayDraft: page.may('POST /api/v1/self-assessments/draft'),
      serviceHint,
      values,
    };
    this.render(page, 'plans/self-assessments.njk', context, shown);
  }
}
