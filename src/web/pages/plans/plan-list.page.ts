import { Body, Get, Post } from '@nestjs/common';
import { londonToday } from '@casetrail/kernel';
import { RecordAccess } from '../../../auth';
import {
  CreatePlanDto,
  INSPECTION_AREA_TEXT,
  INSPECTION_AREAS,
  JUDGEMENTS,
  TRIGGER_KINDS,
  TRIGGER_TEXT,
} from '../../../improvement';
import { csv, sendCsv } from '../../csv';
import { dateItems, dayFromParts, partsOfDay } from '../../dates';
import { filled, type FormProblems, selectItems } from '../../forms';
import { inputPipe, Page, PageIn, Pages, type Input, PageController } from '../../kit';
import { words } from '../../views';
import { idFromStream, planHref, sentence } from './plan-views';

type Values = Record<string, unknown>;
const JUDGEMENT_ITEMS = (selected: unknown): object[] =>
  selectItems(
    'Not judged',
    JUDGEMENTS.map((j) => [j, words(j)]),
    selected,
  );
const DATES = ['triggerDate', 'startOn', 'endOn', 'publishedOn'];
const planInput = inputPipe(
  CreatePlanDto,
  (body) => ({
    ...filled(body, ['title', 'triggerKind', 'judgement', ...INSPECTION_AREAS]),
    ...Object.fromEntries(DATES.map((d) => [d, dayFromParts(body, d)])),
  }),
  (values) => {
    const areaJudgements = Object.fromEntries(INSPECTION_AREAS.filter((a) => values[a]).map((a) => [a, values[a]]));
    const optional = ['judgement', 'startOn', 'endOn', 'publishedOn'].filter((n) => values[n] !== undefined);
    return {
      title: values.title,
      trigger: {
        kind: values.triggerKind,
        date: values.triggerDate,
        ...Object.fromEntries(optional.map((n) => [n, values[n]])),
        ...(Object.keys(areaJudgements).length ? { areaJudgements } : {}),
      },
    };
  },
);

/** Improvement plans: the list with every plan's RAG counts today (and its CSV), and creating one. */
@PageController()
export class PlanListPage extends Pages {
  constructor(private readonly access: RecordAccess) {
    super();
  }

  @Get('plans')
  async list(@PageIn() page: Page): Promise<void> {
    await this.showList(page, { triggerDate: londonToday() });
  }

  @Get('plans.csv')
  async plansCsv(@PageIn() page: Page): Promise<void> {
    const [plans, person] = await Promise.all([this.plansWithCounts(page), this.names.users()]);
    // The owner by name, beside the id.
    const rows = plans.map(({ planId, title, ownerId, trigger, counts }) => ({
      planId,
      title,
      ownerId,
      ownerName: person(ownerId),
      trigger: trigger.kind,
      triggerDate: trigger.date,
      red: counts?.red,
      amber: counts?.amber,
      green: counts?.green,
      notStarted: counts?.grey,
      complete: counts?.blue,
    }));
    const columns = 'planId title ownerId ownerName trigger triggerDate red amber green notStarted complete';
    sendCsv(page.response, 'improvement-plans.csv', csv(columns, rows));
  }

  /**
   * Every plan with its actions' RAG counts today (the plan status route's own figures), counted
   * only for the plans whose status the API would give this person (a team manager: their teams'
   * or their own); the others are listed, as the API lists them, without counts (null).
   */
  private async plansWithCounts(page: Page) {
    const plans = await this.useCases.plans.listPlans();
    const readable = await this.access.filter('GET /api/v1/plans/:id/status', page.principal, plans, (p) => p.planId);
    const ids = new Set(readable.map((p) => p.planId));
    const statuses = await Promise.all(
      plans.map((p) => (ids.has(p.planId) ? this.useCases.plans.status({ id: p.planId }, {}) : null)),
    );
    return plans.map((p, i) => ({ ...p, counts: statuses[i]?.counts ?? null }));
  }

  @Post('plans')
  async create(@PageIn() page: Page, @Body(planInput) input: Input<CreatePlanDto>): Promise<void> {
    await this.submit(page, input, {
      send: (dto, context) => this.useCases.plans.create(dto, page.request, context),
      to: (result) => planHref(idFromStream(result.streamId, 'plan-')),
      show: (problems) => this.showList(page, input.values, problems),
      labels: { title: 'Title' },
      fieldOf: {
        JUDGEMENT_ONLY_FROM_INSPECTION: 'judgement',
        AREA_JUDGEMENTS_ONLY_FROM_INSPECTION: 'judgement',
        INSPECTION_DATES_ONLY_FOR_INSPECTION: 'startOn',
        INSPECTION_DATES_OUT_OF_ORDER: 'publishedOn',
      },
      idOf: (f) =>
        f === 'trigger' ? 'triggerKind' : DATES.includes(f.replace('trigger.', '')) ? `${f.replace('trigger.', '')}-day` : f,
    });
  }

  private async showList(page: Page, values: Values, problems?: FormProblems): Promise<void> {
    const plans = await this.plansWithCounts(page);
    const dates = (name: string, error = Boolean(problems?.errors[name])) =>
      dateItems(partsOfDay(values[name] as string | undefined), error);
    const context = {
      title: 'Improvement plans',
      plans,
      mayManage: page.may('POST /api/v1/plans'),
      values,
      triggerItems: selectItems(
        'Choose one',
        TRIGGER_KINDS.map((k) => [k, sentence(TRIGGER_TEXT[k])]),
        values.triggerKind,
      ),
      triggerDateItems: dates('triggerDate', false),
      startOnItems: dates('startOn'),
      endOnItems: dates('endOn'),
      publishedOnItems: dates('publishedOn'),
      judgementItems: JUDGEMENT_ITEMS(values.judgement),
      areaItems: INSPECTION_AREAS.map((area) => ({
        area,
        label: sentence(INSPECTION_AREA_TEXT[area]),
        items: JUDGEMENT_ITEMS(values[area]),
      })),
      triggerText: TRIGGER_TEXT,
    };
    this.render(page, 'plans/list.njk', context, problems);
  }
}
