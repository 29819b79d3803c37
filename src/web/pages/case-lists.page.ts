import { Get, NotFoundException, Param, Post } from '@nestjs/common';
import { createReadStream, rmSync } from 'node:fs';
import { formatOf, UnreadableFileError, type RowError } from '../../imports';
import { CaseListIdParam } from '../../sampling';
import { problem, type FormProblems } from '../forms';
import { Page, PageIn, Pages, PageController } from '../kit';

type UploadedFile = { path: string; originalname: string; mimetype: string; size: number };

/** The problems of a refused list, most useful first: the file as a whole (bad headings), then row by row. */
const summaryOf = (errors: RowError[]): FormProblems => {
  const [first] = errors;
  const text = !first
    ? 'The case list was not recorded'
    : first.column
      ? `The case list was not recorded. Row ${first.row}, column "${first.column}": ${first.message}`
      : `The case list was not recorded. Row ${first.row}: ${first.message}`;
  return problem('file', text);
};

/** Counts of a list's cases by some key, largest first, then by name. */
const countsBy = <T>(items: T[], key: (item: T) => string): { key: string; count: number }[] => {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts.entries()]
    .map(([k, count]) => ({ key: k, count }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
};

/**
 * Case lists in the browser (issue 19): upload a CSV or XLSX of open cases (recorded whole, or not at
 * all: a column that looks like a child's name or date of birth is refused), see what was recorded.
 * The multipart upload is parsed by SamplingModule's middleware before the session middleware checks
 * the form's CSRF token.
 */
@PageController('case-lists')
export class CaseListsPage extends Pages {
  @Get()
  async page(@PageIn() page: Page): Promise<void> {
    await this.showUpload(page);
  }

  private async showUpload(page: Page, problems?: FormProblems, errors: RowError[] = []): Promise<void> {
    const lists = await this.useCases.sampling.caseLists();
    this.render(page, 'case-lists/upload.njk', { title: 'Case lists', lists, rowErrors: errors }, problems);
  }

  @Post()
  async upload(@PageIn() page: Page): Promise<void> {
    const file = (page.request as Page['request'] & { file?: UploadedFile }).file;
    try {
      const format = file ? (formatOf(file.originalname) ?? formatOf(file.mimetype)) : null;
      if (!file || !format) {
        return await this.showUpload(page, problem('file', 'Choose a .csv or .xlsx file of open cases'));
      }
      let upload;
      try {
        upload = await this.useCases.sampling.uploadCaseList(
          () => createReadStream(file.path),
          format,
          page.context,
          file.originalname,
        );
      } catch (error) {
        if (!(error instanceof UnreadableFileError)) throw error;
        const text = `The file could not be read as ${format === 'xlsx' ? 'an Excel (XLSX)' : 'a CSV'} file: ${error.message}`;
        return await this.showUpload(page, problem('file', text));
      }
      if (!upload.recorded || !upload.caseListId) return await this.showUpload(page, summaryOf(upload.errors), upload.errors);
      page.response.redirect(303, `/case-lists/${encodeURIComponent(upload.caseListId)}?recorded=1`);
    } finally {
      if (file) rmSync(file.path, { force: true });
    }
  }

  @Get(':id')
  async caseList(@PageIn() page: Page, @Param() { id }: CaseListIdParam): Promise<void> {
    const [list, team] = await Promise.all([this.useCases.sampling.caseList(id), this.names.teams()]);
    if (!list) throw new NotFoundException('There is no case list with that id');
    const summary = (await this.useCases.sampling.caseLists()).find((l) => l.caseListId === id);
    this.render(page, 'case-lists/show.njk', {
      title: list.fileName ? `Case list ${list.fileName}` : 'Case list',
      list,
      recordedAt: summary?.recordedAt ?? null,
      teams: countsBy(list.cases, (c) => c.teamId).map((t) => ({ ...t, name: team(t.key) })),
      categories: countsBy(list.cases, (c) => c.category || 'Not given'),
      recorded: page.flag('recorded'),
      mayDraw: page.may('POST /api/v1/samples'),
    });
  }
}
