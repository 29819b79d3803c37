import { Body, Get, Param, Post } from '@nestjs/common';
import { CreateAuditProgrammeDto, ProgrammeIdParam, PROGRAMME_KINDS, type ProgrammeSummary } from '../../../audits';
import { programmeFindings } from '../../../impact';
import type { PageUseCases } from '../../use-cases';
import { csv, sendCsv } from '../../csv';
import { dateItems, dayFromParts, partsOfDay, typedParts } from '../../dates';
import { filled, type FormProblems, selectItems } from '../../forms';
import { inputPipe, Page, PageIn, Pages, type Input, PageController } from '../../kit';
import type { SignedIn } from '../../page-helpers';
import { words } from '../../views';
import { programmeSample } from './sample.page';

const programmeInput = inputPipe(CreateAuditProgrammeDto, (body) => ({
  ...filled(body, ['title', 'kind', 'theme', 'reAuditOf']),
  from: dayFromParts(body, 'from'),
  to: dayFromParts(body, 'to'),
  teamIds: body.teamIds === undefined ? [] : Array.isArray(body.teamIds) ? body.teamIds : [body.teamIds],
}));

/** Every programme and its summary: the audit list, the programmes page and its CSV show them. */
export async function programmeSummaries(useCases: PageUseCases, request: SignedIn) {
  const programmes = await useCases.auditProgrammes.list();
  const summaries = await Promise.all(programmes.map((p) => useCases.auditProgrammes.summary({ id: p.programmeId }, request)));
  return { programmes, summaries };
}

/** The summary's counts as table rows, best grade first, then the audits not yet submitted. */
const summaryRows = (summary: ProgrammeSummary): { grade: string; audits: number }[] => [
  { grade: 'Outstanding', audits: summary.counts.outstanding },
  { grade: 'Good', audits: summary.counts.good },
  { grade: 'Requires improvement', audits: summary.counts.requiresImprovement },
  { grade: 'Inadequate', audits: summary.counts.inadequate },
  { grade: 'In progress (not yet audited)', audits: summary.inProgress },
];

/** Audit programmes and their summaries. Registered before AuditPage: "/audits/programmes" is not an audit id. */
@PageController('audits')
export class ProgrammesPage extends Pages {
  @Get('programmes')
  async programmes(@PageIn() page: Page): Promise<void> {
    const { programmes, summaries } = await programmeSummaries(this.useCases, page.request);
    this.render(page, 'audits/programmes.njk', {
      title: 'Audit programmes',
      programmes: programmes.map((p, i) => ({ ...p, summary: summaries[i].summary })),
      mayCreate: page.may('POST /api/v1/audit-programmes'),
      created: typeof page.query.created === 'string' ? page.query.created : null,
    });
  }

  @Get('programmes.csv')
  async programmesCsv(@PageIn() page: Page): Promise<void> {
    const [{ programmes, summaries }, team] = await Promise.all([
      programmeSummaries(this.useCases, page.request),
      this.names.teams(),
    ]);
    const titles = new Map(programmes.map((p) => [p.programmeId, p.title]));
    // Teams and the programme re-audited by name, each beside its id.
    const rows = programmes.map((p, i) => {
      const { audited, inProgress, summary } = summaries[i];
      const reAuditOfTitle = p.reAuditOf ? (titles.get(p.reAuditOf) ?? p.reAuditOf) : '';
      return { ...p, teamNames: p.teamIds.map(team).join('; '), reAuditOfTitle, audited, inProgress, summary };
    });
    const columns = 'programmeId title kind theme from to teamIds teamNames reAuditOf reAuditOfTitle audited inProgress summary';
    sendCsv(page.response, 'audit-programmes.csv', csv(columns, rows));
  }

  @Get('programmes/new')
  async newProgrammePage(@PageIn() page: Page): Promise<void> {
    await this.showNewProgramme(page, {});
  }

  @Post('programmes')
  async createProgramme(@PageIn() page: Page, @Body(programmeInput) input: Input<CreateAuditProgrammeDto>): Promise<void> {
    await this.submit(page, input, {
      send: (dto, context) => this.useCases.auditProgrammes.create(dto, context),
      to: ({ programmeId }) => `/audits/programmes/${encodeURIComponent(programmeId)}?created=1`,
      show: (problems) => this.showNewProgramme(page, input.values, problems),
      labels: {
        title: 'Title',
        kind: 'Kind',
        theme: 'Theme',
        from: 'Start date',
        to: 'End date',
        teamIds: 'Teams',
        reAuditOf: 'Programme it re-audits',
      },
      fieldOf: {
        PROGRAMME_ENDS_BEFORE_START: 'to',
        UNKNOWN_TEAM: 'teamIds',
        RE_AUDIT_NEEDS_ORIGINAL: 'reAuditOf',
        ONLY_RE_AUDITS_HAVE_ORIGINAL: 'reAuditOf',
        UNKNOWN_PROGRAMME: 'reAuditOf',
      },
      formId: 'programme',
      days: ['from', 'to'],
    });
  }

  private async showNewProgramme(page: Page, values: Record<string, unknown>, problems?: FormProblems): Promise<void> {
    const [teams, programmes] = await Promise.all([this.useCases.teams.list({}), this.useCases.auditProgrammes.list()]);
    const chosen = Array.isArray(values.teamIds) ? (values.teamIds as string[]) : [];
    const dateParts = (name: string) =>
      page.request.method === 'POST' ? typedParts(page.body, name) : partsOfDay(values[name] as string | undefined);
    this.render(
      page,
      'audits/programme-new.njk',
      {
        title: 'Create an audit programme',
        values,
        kindItems: PROGRAMME_KINDS.map((k) => ({ value: k, text: words(k), checked: values.kind === k })),
        teamItems: teams.map((t) => ({ value: t.teamId, text: t.name, checked: chosen.includes(t.teamId) })),
        reAuditItems: selectItems(
          'Not a re-audit',
          programmes.map((p) => [p.programmeId, p.title]),
          values.reAuditOf,
        ),
        fromItems: dateItems(dateParts('from'), Boolean(problems?.errors.from)),
        toItems: dateItems(dateParts('to'), Boolean(problems?.errors.to)),
      },
      problems,
    );
  }

  @Get('programmes/:id')
  async programme(@PageIn() page: Page, @Param() { id }: ProgrammeIdParam): Promise<void> {
    const summary = await this.useCases.auditProgrammes.summary({ id }, page.request);
    const programme = (await this.useCases.auditProgrammes.list()).find((p) => p.programmeId === id);
    const created = page.flag('created');
    // Its findings as GET /api/v1/audit-programmes/:id/findings answers them (team managers: their own teams' audits).
    const scope = page.limited('GET /api/v1/audit-programmes/:id/findings') ? page.principal.teamIds : null;
    const findings = await programmeFindings(this.queries, id, page.principal.userId, scope);
    const programmeSampleView = await programmeSample(this.useCases, page, id);
    this.render(page, 'audits/programme.njk', {
      title: summary.title,
      summary,
      programme,
      rows: summaryRows(summary),
      created,
      findings,
      programmeSample: programmeSampleView,
    });
  }

  @Get('programmes/:id/summary.csv')
  async programmeCsv(@PageIn() page: Page, @Param() { id }: ProgrammeIdParam): Promise<void> {
    const summary = await this.useCases.auditProgrammes.summary({ id }, page.request);
    // The programme by title, beside its id.
    const rows = summaryRows(summary).map((r) => ({ programmeId: id, programmeTitle: summary.title, ...r }));
    sendCsv(page.response, `audit-programme-${id}.csv`, csv(['programmeId', 'programmeTitle', 'grade', 'audits'], rows));
  }
}
