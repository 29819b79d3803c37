import { Get, NotFoundException, Param, Post } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import { ProgrammeIdParam } from '../../../audits';
import { DrawSampleDto, SampleNotFound, type CaseListSummary, type SampleView } from '../../../sampling';
import { filled, type FormProblems } from '../../forms';
import { dayText, whenText } from '../../dates';
import { inputPipe, Page, PageIn, Pages, type Input, PageController } from '../../kit';
import type { PageUseCases } from '../../use-cases';
import { hrefWith } from '../../page-helpers';

const samplePath = (programmeId: string): string => `/audits/programmes/${encodeURIComponent(programmeId)}/sample`;
const NUMBER = /^\s*-?\d+(\.\d+)?\s*$/;
const isNumber = (value: unknown): boolean => typeof value === 'string' && NUMBER.test(value);
/** A number as typed, as a number (the DTO says if it is not whole, or too small or large); anything else as typed. */
const wholeNumber = (value: unknown): unknown => (isNumber(value) ? Number(value) : value);

/** What the draw form keeps of a post: as typed, so the page shows it again. */
const drawValues = (body: Record<string, unknown>): Record<string, unknown> => ({
  ...filled(body, ['caseListId', 'sizeBy', 'size', 'excludeAuditedWithinMonths', 'seed']),
  stratifyByCategory: body.stratifyByCategory === 'yes',
});
/** The form's values as the API's DTO: the size under the key the radio chose. */
const drawDto = (programmeId: string, values: Record<string, unknown>): Record<string, unknown> => ({
  programmeId,
  caseListId: values.caseListId,
  ...(values.sizeBy === 'perTeam' || values.sizeBy === 'total' ? { [values.sizeBy]: wholeNumber(values.size ?? '') } : {}),
  stratifyByCategory: values.stratifyByCategory === true,
  ...(values.excludeAuditedWithinMonths !== undefined
    ? { excludeAuditedWithinMonths: wholeNumber(values.excludeAuditedWithinMonths) }
    : {}),
  seed: values.seed,
});

/** "cases-june.csv, uploaded 5 December 2026 at 09:30 (200 cases)": how people tell case lists apart. */
const caseListText = (list: CaseListSummary): string =>
  `${list.fileName ?? 'Case list'}, uploaded ${whenText(list.recordedAt)} (${list.cases} case${list.cases === 1 ? '' : 's'})`;

/**
 * A recorded reason as the page says it: days in words, the team by name ("audited on 3 November 2026,
 * within the 12 months before 5 December 2026"; "among 10 eligible CIN cases of CIN North").
 */
const reasonText = (reason: string, teamId: string, teamName: string): string =>
  reason
    .replace(/\b\d{4}-\d{2}-\d{2}\b/g, (day) => dayText(day))
    .replace(new RegExp(`(?<![\\w-])${teamId.replace(/[^\w-]/g, '')}(?![\\w-])`, 'g'), teamName);

const sizeText = (size: SampleView['inputs']['size']): string =>
  'perTeam' in size ? `${size.perTeam} per team` : `${size.total} in all, shared across teams in proportion to their caseloads`;

/** The programme page's line about its sample: "5 of 20 sampled cases audited", or whether one may be drawn. */
export async function programmeSample(useCases: PageUseCases, page: Page, programmeId: string) {
  const mayDraw = page.may('POST /api/v1/samples');
  try {
    const sample = await useCases.sampling.sample(programmeId, page.principal.userId);
    return { drawn: true, audited: sample.auditedOfSample, size: sample.sampleSize, href: samplePath(programmeId), mayDraw };
  } catch (error) {
    if (error instanceof SampleNotFound) return { drawn: false, href: samplePath(programmeId), mayDraw };
    throw error;
  }
}

/**
 * A programme's case sample (issue 19): draw it from a recorded case list, see each case chosen or
 * left out with its reason and whether it is audited yet, start each audit from it, check it.
 */
@PageController('audits/programmes')
export class SamplePage extends Pages {
  private async programmeTitle(programmeId: string): Promise<string> {
    const programme = (await this.useCases.auditProgrammes.list()).find((p) => p.programmeId === programmeId);
    if (!programme) throw new NotFoundException('There is no audit programme with that id');
    return programme.title;
  }

  /** The sample; at …/verify, with the check of it (the draw recomputed from the record). */
  @Get([':id/sample', ':id/sample/verify'])
  async sample(@PageIn() page: Page, @Param() { id }: ProgrammeIdParam): Promise<void> {
    await this.showSample(page, id, page.routeEnd === 'verify' ? await this.useCases.sampling.verify(id) : null);
  }

  private async showSample(
    page: Page,
    id: string,
    check: { valid: boolean; problems: string[]; chosen: number } | null,
  ): Promise<void> {
    const title = await this.programmeTitle(id);
    let sample: SampleView;
    try {
      sample = await this.useCases.sampling.sample(id, page.principal.userId);
    } catch (error) {
      if (!(error instanceof SampleNotFound)) throw error;
      const mayDraw = page.may('POST /api/v1/samples');
      return this.render(page, 'audits/sample.njk', {
        title: `Sample: ${title}`,
        programmeTitle: title,
        id,
        sample: null,
        mayDraw,
      });
    }
    // The audits list's own rule: a team manager reads their own teams' audits only (links elsewhere would 404).
    const scope = page.limited('GET /api/v1/audits') ? page.principal.teamIds : null;
    const [team, lists, audits] = await Promise.all([
      this.names.teams(),
      this.useCases.sampling.caseLists(),
      this.useCases.audits.list({ programmeId: id }, page.request, scope),
    ]);
    const list = lists.find((l) => l.caseListId === sample.inputs.caseListId);
    const mayStart = page.may('POST /api/v1/audits');
    const auditOf = new Map(audits.map((a) => [`${a.teamId}/${a.caseRef}`, a]));
    // A case as the tables show it: its team by name, its reason in words.
    const inWords = <T extends { teamId: string; reason: string }>(c: T) => ({
      ...c,
      reason: reasonText(c.reason, c.teamId, team(c.teamId)),
      teamName: team(c.teamId),
    });
    const chosen = sample.chosen.map((c) => {
      const audit = auditOf.get(`${c.teamId}/${c.caseRef}`) ?? null;
      return {
        ...inWords(c),
        audit: audit ? { auditId: audit.auditId, status: audit.status } : null,
        otherTeam: scope !== null && !scope.includes(c.teamId),
        startHref:
          !audit && mayStart ? hrefWith('/audits/start', { caseRef: c.caseRef, teamId: c.teamId, programmeId: id }) : null,
      };
    });
    const months = sample.inputs.excludeAuditedWithinMonths;
    this.render(page, 'audits/sample.njk', {
      title: `Sample: ${title}`,
      programmeTitle: title,
      id,
      sample,
      chosen,
      excluded: sample.excluded.map(inWords),
      inputs: {
        caseList: list ? caseListText(list) : 'A case list that is not recorded',
        caseListHref: list ? `/case-lists/${encodeURIComponent(list.caseListId)}` : null,
        size: sizeText(sample.inputs.size),
        stratified: sample.inputs.stratifyByCategory ? 'Yes: each team’s cases drawn from each category in proportion' : 'No',
        exclusions:
          months === 0
            ? 'None: recently audited cases may be chosen'
            : `Cases audited in the ${months} month${months === 1 ? '' : 's'} before the draw`,
      },
      check,
      drawn: page.flag('drawn'),
    });
  }

  @Get(':id/sample/new')
  async drawPage(@PageIn() page: Page, @Param() { id }: ProgrammeIdParam): Promise<void> {
    await this.showDraw(page, id, {
      sizeBy: 'perTeam',
      excludeAuditedWithinMonths: '12',
      seed: String(randomInt(100_000, 1_000_000)),
      stratifyByCategory: false,
    });
  }

  @Post(':id/sample')
  async draw(@PageIn() page: Page, @Param() { id }: ProgrammeIdParam): Promise<void> {
    const input: Input<DrawSampleDto> = await inputPipe(DrawSampleDto, drawValues, (values) => drawDto(id, values)).transform(
      page.body,
    );
    const { values } = input;
    await this.submit(page, input, {
      send: (dto, context) => this.useCases.sampling.draw(dto, context),
      to: () => `${samplePath(id)}?drawn=1`,
      show: (problems) => this.showDraw(page, id, values, problems),
      labels: { caseListId: 'Case list', excludeAuditedWithinMonths: 'Months', seed: 'Seed' },
      // Both sizes are typed in the one box.
      rename: { perTeam: 'size', total: 'size' },
      fieldOf: {
        UNKNOWN_CASE_LIST: 'caseListId',
        SAMPLE_SIZE_INVALID: 'size',
        SAMPLE_ALREADY_DRAWN: 'caseListId',
      },
      formId: 'draw-sample',
      // Words, not a number at all: every check of the number fails, and the first would say "1000 or fewer".
      reword: {
        ...(isNumber(values.size)
          ? {}
          : Object.fromEntries(
              ['perTeam', 'total'].map((f) => [
                f,
                values.size ? 'Enter the number of cases as a whole number, like 5' : 'Enter the number of cases',
              ]),
            )),
        ...(isNumber(values.excludeAuditedWithinMonths ?? '0')
          ? {}
          : { excludeAuditedWithinMonths: 'Enter the months as a whole number, like 12' }),
      },
      idOf: (field) => (field === 'perTeam' || field === 'total' ? 'size' : field),
    });
  }

  private async showDraw(page: Page, id: string, values: Record<string, unknown>, problems?: FormProblems): Promise<void> {
    const [title, lists] = await Promise.all([this.programmeTitle(id), this.useCases.sampling.caseLists()]);
    this.render(
      page,
      'audits/sample-new.njk',
      {
        title: `Draw a sample: ${title}`,
        programmeTitle: title,
        id,
        values,
        caseListItems: lists.map((l) => ({
          value: l.caseListId,
          text: caseListText(l),
          checked: values.caseListId === l.caseListId,
        })),
        sizeByItems: [
          { value: 'perTeam', text: 'A number from each team', checked: values.sizeBy === 'perTeam' },
          {
            value: 'total',
            text: 'A total, shared across teams in proportion to their caseloads',
            checked: values.sizeBy === 'total',
          },
        ],
      },
      problems,
    );
  }
}
