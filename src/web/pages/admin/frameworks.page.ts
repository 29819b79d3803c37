import { Get, Post } from '@nestjs/common';
import { FrameworkDomainDto, PublishAuditFrameworkDto, DEFAULT_FRAMEWORK_ID, type AuditFrameworkRow } from '../../../audits';
import { InvalidInputException } from '../../../core';
import { csv, sendCsv } from '../../csv';
import { filled, noProblems, validated, type FormProblems } from '../../forms';
import { Page, PageIn, Pages, PageController } from '../../kit';

/** One domain a line, "key: title" and, when there is guidance, " | guidance" after it. */
export function domainsText(domains: { key: string; title: string; guidance: string }[]): string {
  return domains.map((d) => `${d.key}: ${d.title}${d.guidance ? ` | ${d.guidance}` : ''}`).join('\n');
}

/** The domains textarea -> domains, each line checked by the API's own domain DTO; a problem names its line. */
async function domainsFrom(text: string): Promise<{ domains: FrameworkDomainDto[]; problems: string[] }> {
  const domains: FrameworkDomainDto[] = [];
  const problems: string[] = [];
  for (const [index, line] of text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .entries()) {
    if (!line) continue;
    const colon = line.indexOf(':');
    if (colon < 0) {
      problems.push(`Line ${index + 1}: write the domain as "key: title", for example "voice-of-child: Voice of the child"`);
      continue;
    }
    const rest = line.slice(colon + 1);
    const bar = rest.indexOf('|');
    const plain = {
      key: line.slice(0, colon).trim(),
      title: (bar < 0 ? rest : rest.slice(0, bar)).trim(),
      guidance: bar < 0 ? '' : rest.slice(bar + 1).trim(),
    };
    try {
      domains.push(await validated(FrameworkDomainDto, plain));
    } catch (error) {
      if (!(error instanceof InvalidInputException)) throw error;
      const text = error.fields[0].problems[0];
      problems.push(`Line ${index + 1}: ${text.charAt(0).toUpperCase()}${text.slice(1)}`);
    }
  }
  return { domains, problems };
}

/** Admin: audit frameworks (publish a version) and dispute protocols. */
@PageController('admin')
export class AdminFrameworksPage extends Pages {
  @Get('audit-frameworks')
  async frameworksPage(@PageIn() page: Page): Promise<void> {
    await this.showFrameworks(page, { published: page.query.published });
  }

  @Get('audit-frameworks.csv')
  async frameworksCsv(@PageIn() page: Page): Promise<void> {
    const rows = (await this.useCases.auditFrameworks.list()).flatMap((f) =>
      f.domains.map((d) => ({ frameworkId: f.frameworkId, version: f.version, publishedAt: f.publishedAt, ...d })),
    );
    sendCsv(page.response, 'audit-frameworks.csv', csv('frameworkId version publishedAt key title guidance', rows));
  }

  @Post('audit-frameworks')
  async publishFramework(@PageIn() page: Page): Promise<void> {
    const values = filled(page.body, ['frameworkId', 'domains']);
    let problems: FormProblems = noProblems();
    const { domains, problems: lines } = await domainsFrom(typeof values.domains === 'string' ? values.domains : '');
    if (!lines.length && !domains.length) lines.push('Enter at least one domain, as "key: title"');
    if (lines.length) {
      problems.errors.domains = lines.join('. ');
      for (const text of lines) problems.errorList.push({ text, href: '#domains' });
    } else {
      try {
        const dto = await validated(PublishAuditFrameworkDto, {
          frameworkId: values.frameworkId ?? DEFAULT_FRAMEWORK_ID,
          domains,
        });
        await this.useCases.auditFrameworks.publish(dto, page.context);
        return page.response.redirect(303, `/admin/audit-frameworks?published=${encodeURIComponent(dto.frameworkId ?? '')}`);
      } catch (error) {
        const domainsField = ['DUPLICATE_DOMAIN_KEY', 'RESERVED_DOMAIN_KEY', 'FRAMEWORK_UNCHANGED', 'FRAMEWORK_NEEDS_DOMAINS'];
        problems = this.problems(error, {
          labels: { frameworkId: 'Framework', domains: 'Domains' },
          fieldOf: Object.fromEntries(domainsField.map((code) => [code, 'domains'])),
        });
      }
    }
    await this.showFrameworks(page, { formValues: values }, problems);
  }

  private async showFrameworks(page: Page, context: Record<string, unknown>, problems = noProblems()): Promise<void> {
    const [rows, name] = await Promise.all([this.useCases.auditFrameworks.list(), this.names.users()]);
    const byId = new Map<string, AuditFrameworkRow[]>();
    for (const row of rows) byId.set(row.frameworkId, [...(byId.get(row.frameworkId) ?? []), row]);
    const frameworks = [...byId.entries()].map(([frameworkId, versions]) => ({
      frameworkId,
      versions: [...versions].sort((a, b) => b.version - a.version).map((v) => ({ ...v, publishedByName: name(v.publishedBy) })),
    }));
    const current = byId.get(DEFAULT_FRAMEWORK_ID)?.reduce((a, b) => (b.version > a.version ? b : a));
    const values = (context.formValues as Record<string, unknown> | undefined) ?? {
      frameworkId: DEFAULT_FRAMEWORK_ID,
      domains: current ? domainsText(current.domains) : '',
    };
    this.render(page, 'admin/audit-frameworks.njk', { title: 'Audit frameworks', frameworks, ...context, values }, problems);
  }

  @Get('dispute-protocols')
  async protocolsPage(@PageIn() page: Page): Promise<void> {
    const [rows, name] = await Promise.all([this.useCases.disputeProtocols.list(), this.names.users()]);
    const protocols = [...rows]
      .sort((a, b) => b.version - a.version)
      .map((p) => ({ ...p, publishedByName: name(p.publishedBy) }));
    this.render(page, 'admin/dispute-protocols.njk', { title: 'Dispute protocols', protocols });
  }

  @Get('dispute-protocols.csv')
  async protocolsCsv(@PageIn() page: Page): Promise<void> {
    const rows = (await this.useCases.disputeProtocols.list()).flatMap((p) =>
      p.stages.map((stage, index) => ({
        version: p.version,
        publishedAt: p.publishedAt,
        formalTargetWorkingDays: p.formalTargetWorkingDays,
        order: index + 1,
        ...stage,
      })),
    );
    const columns = 'version publishedAt formalTargetWorkingDays order key title respondentRole responseWorkingDays';
    sendCsv(page.response, 'dispute-protocols.csv', csv(columns, rows));
  }
}
