import { Body, Get, Post } from '@nestjs/common';
import { financialQuarter, type FinancialQuarter } from '@casetrail/kernel';
import { businessToday } from '../../../core';
import { DraftSelfAssessmentDto, draftSelfEvaluation, type DraftPart, type DraftSource } from '../../../impact';
import { RecordSelfAssessmentDto } from '../../../improvement';
import { serviceIdOf } from '../../../teams';
import { periodText } from '../../dates';
import { filled, noProblems, type FormProblems, selectItems } from '../../forms';
import { inputPipe, Page, PageIn, Pages, type Input, PageController } from '../../kit';
import { QUESTIONS, recordedHref, withScore } from './self-assessments.page';
import { pageHrefOf } from './self-assessment-sources';

const PARTS = Object.entries(QUESTIONS).map(([part, label]) => ({ part: part as DraftPart, label }));
const LABELS = { service: 'Service', period: 'Quarter', score: 'Score', sources: 'Sources', ...QUESTIONS };
/** The record form keeps the service, the quarter and the sources in hidden fields: their problems head the form. */
const HIDDEN = ['service', 'period', 'sources'];

const chooseInput = inputPipe(DraftSelfAssessmentDto, (body) => filled(body, ['service', 'period']));
/** The sources travel as one hidden field of JSON (a draft may cite a hundred: too many fields for a form post). */
const sourcesOf = (raw: unknown): unknown => {
  if (typeof raw !== 'string') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
};
const recordInput = inputPipe(
  RecordSelfAssessmentDto,
  (body) => filled(body, ['service', 'period', 'score', 'noScore', 'whatWeKnow', 'howWeKnow', 'whatNext', 'sources']),
  (values) => ({ ...withScore(values), sources: sourcesOf(values.sources) }),
);

/** The quarter running today and the seven before it, latest first: the quarters a draft may be of. */
function recentQuarters(today: string): FinancialQuarter[] {
  const quarters = [financialQuarter(today)];
  while (quarters.length < 8) {
    const from = quarters[quarters.length - 1].from;
    const dayBefore = new Date(Date.UTC(+from.slice(0, 4), +from.slice(5, 7) - 1, 0)).toISOString().slice(0, 10);
    quarters.push(financialQuarter(dayBefore));
  }
  return quarters;
}

/**
 * The self-evaluation draft for people: choose a service and a quarter, read the draft of its three parts
 * with each sentence's sources, edit them and record the self-assessment through the same use case as
 * POST /api/v1/self-assessments, sources and all. Viewing a draft records nothing.
 */
@PageController('self-assessments/draft')
export class SelfAssessmentDraftPage extends Pages {
  @Get()
  async choose(@PageIn() page: Page): Promise<void> {
    await this.showChoice(page, filled(page.query, ['service', 'period']));
  }

  @Post()
  async draft(@PageIn() page: Page, @Body(chooseInput) input: Input<DraftSelfAssessmentDto>): Promise<void> {
    let error = input.error;
    if (input.dto) {
      try {
        const { service, period } = input.dto;
        const draft = await draftSelfEvaluation(this.queries, service, period, businessToday(), page.principal.userId);
        // The sources are listed under each part as links, so the text to edit is the sentences alone
        // (the API's parts repeat each sentence's links inline for readers without the list).
        const partText = (part: string): string =>
          draft.sentences
            .filter((s) => s.part === part)
            .map((s) => s.text)
            .join('\n');
        const values = {
          service,
          period,
          whatWeKnow: partText('whatWeKnow'),
          howWeKnow: partText('howWeKnow'),
          whatNext: partText('whatNext'),
        };
        return await this.showDraft(page, values, draft.sources, draft.on);
      } catch (thrown) {
        error = thrown;
      }
    }
    const problems = this.problems(error, {
      labels: { service: 'Service', period: 'Quarter' },
      fieldOf: { DRAFT_SERVICE_HAS_NO_TEAMS: 'service', DRAFT_PERIOD_NOT_QUARTER: 'period' },
    });
    await this.showChoice(page, input.values, problems);
  }

  @Post('record')
  async record(@PageIn() page: Page, @Body(recordInput) input: Input<RecordSelfAssessmentDto>): Promise<void> {
    await this.submit(page, input, {
      send: (dto, context) => this.useCases.selfAssessments.record(dto, context),
      to: () => recordedHref(input.dto!.service),
      show: (problems) => {
        const sources = sourcesOf(input.values.sources);
        return this.showDraft(page, input.values, Array.isArray(sources) ? (sources as DraftSource[]) : [], null, problems);
      },
      labels: LABELS,
      fieldOf: { SELF_ASSESSMENT_SCORE_OFF_SCALE: 'score' },
      idOf: (field) => (HIDDEN.includes(field) ? 'record' : field),
      formId: 'record',
    });
  }

  /** The services a person may draft for (a team manager: their own teams'), by name. */
  private async services(page: Page): Promise<{ id: string; name: string }[]> {
    const teams = await this.useCases.teams.list({});
    const own = page.limited('POST /api/v1/self-assessments/draft');
    const byId = new Map<string, string>();
    for (const team of teams) {
      if (own && !page.principal.teamIds.includes(team.teamId)) continue;
      byId.set(serviceIdOf(team.service), team.service);
    }
    return [...byId].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
  }

  private async showChoice(page: Page, values: Record<string, unknown>, problems = noProblems()): Promise<void> {
    const services = await this.services(page);
    this.render(
      page,
      'plans/self-assessment-draft-choose.njk',
      {
        title: 'Draft a self-assessment',
        serviceItems: selectItems(
          'Choose a service',
          services.map((s) => [s.id, s.name]),
          values.service,
        ),
        periodItems: selectItems(
          'Choose a quarter',
          recentQuarters(businessToday()).map((q) => [q.label, periodText(q.label)]),
          values.period,
        ),
        noService: services.length === 0,
      },
      problems,
    );
  }

  private async showDraft(
    page: Page,
    values: Record<string, unknown>,
    sources: DraftSource[],
    on: string | null,
    problems: FormProblems = noProblems(),
  ): Promise<void> {
    const service = String(values.service ?? '');
    const teams = await this.useCases.teams.list({ includeClosed: 'true' });
    const serviceName = teams.find((t) => serviceIdOf(t.service) === service)?.service ?? service;
    const listed = sources.filter((s) => s && typeof s === 'object' && typeof s.label === 'string' && typeof s.href === 'string');
    this.render(
      page,
      'plans/self-assessment-draft.njk',
      {
        title: `Self-assessment draft: ${serviceName}, ${periodText(values.period)}`,
        serviceName,
        periodWords: periodText(values.period),
        on,
        values,
        parts: PARTS.map(({ part, label }) => ({
          part,
          label,
          sources: listed.filter((s) => s.part === part).map((s) => ({ label: s.label, href: pageHrefOf(s.href) })),
        })),
        sourcesJson: JSON.stringify(listed),
      },
      problems,
    );
  }
}
