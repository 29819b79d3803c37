import { Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import type nunjucks from 'nunjucks';
import { AppConfig } from '../config';
import type { AsAtRequest } from '../core';
import { AS_AT_FIELD, DATE_TIME_PARTS, keptQuery, pageNow, partsOfLocal, typedAsAt, ukTimeOf, ukWhen } from './as-at-form';
import { may } from './may';
import type { PrintFooterRequest } from './print-footer.middleware';
import { createViews } from './views';
import type { WebRequest } from './web-request';

interface NavItem {
  href: string;
  text: string;
  active: boolean;
}

/** Pages that belong to a navigation item without living under its address. */
const ALSO_UNDER: Record<string, RegExp> = {
  '/plans': /^\/actions\//,
  '/outstanding-actions': /^\/teams\/[^/]+\/outstanding-actions/,
};

/** Renders a page with what every page needs: the organisation, the signed-in user, the CSRF token, the navigation. */
@Injectable()
export class WebViews {
  private readonly env: nunjucks.Environment = createViews();

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  render(request: WebRequest, template: string, context: Record<string, unknown>, status = 200): string {
    return this.env.render(template, {
      orgName: this.config.ORG_NAME,
      principal: request.principal ?? null,
      csrfToken: request.csrfToken,
      navigation: request.principal ? this.navigation(request) : [],
      currentPath: request.path,
      printFooter: (request as PrintFooterRequest).printFooter ?? null,
      ...context,
      ...this.asAtForm(request, context, status),
    });
  }

  send(request: WebRequest, response: Response, template: string, context: Record<string, unknown> = {}, status = 200): void {
    response
      .status(status === 200 && request.asAtProblem ? 400 : status)
      .type('html')
      .send(this.render(request, template, context, status));
  }

  /**
   * "Show this page as at" on every page a signed-in person reads (a GET that worked): the form,
   * the banner while looking at an earlier time, and the field's problem when it had one.
   */
  private asAtForm(request: WebRequest, context: Record<string, unknown>, status: number): Record<string, unknown> {
    const asAt = (request as WebRequest & AsAtRequest).asAt?.asAt ?? null;
    const params = new URL(request.originalUrl, 'http://casetrail.invalid').searchParams;
    const typed = typedAsAt(request.originalUrl);
    const shown = Boolean(request.principal) && request.method === 'GET' && (status < 400 || Boolean(request.asAtProblem));
    if (!shown) return { asAtForm: null };
    const base = {
      asAt,
      // The form reads and shows UK time (GMT or BST), as the banner says it.
      asAtWhen: asAt ? ukWhen(asAt) : null,
      asAtForm: {
        kept: keptQuery(request.originalUrl),
        now: pageNow(request.originalUrl),
        // GOV.UK date boxes with hour and minute: exactly what was typed after a problem, else the time shown.
        items: DATE_TIME_PARTS.map((name) => ({
          name,
          label: name[0].toUpperCase() + name.slice(1),
          value: request.asAtProblem
            ? (params.get(`${AS_AT_FIELD}-${name}`) ?? partsOfLocal(typed)[name])
            : partsOfLocal(typed ?? (asAt ? ukTimeOf(asAt) : ''))[name],
          classes: `govuk-input--width-${name === 'year' ? 4 : 2}${request.asAtProblem ? ' govuk-input--error' : ''}`,
        })),
      },
    };
    if (!request.asAtProblem) return base;
    const errors = { ...((context.errors as Record<string, string> | undefined) ?? {}), [AS_AT_FIELD]: request.asAtProblem };
    const errorList = [
      ...((context.errorList as { text: string; href: string }[] | undefined) ?? []),
      { text: request.asAtProblem, href: `#${AS_AT_FIELD}-day` },
    ];
    return { ...base, errors, errorList };
  }

  private navigation(request: WebRequest): NavItem[] {
    const items = [
      { href: '/dashboard', text: 'Dashboard' },
      { href: '/audits', text: 'Audits' },
      { href: '/audits/programmes', text: 'Audit programmes' },
      { href: '/disputes', text: 'Disputes' },
      { href: '/plans', text: 'Improvement plans' },
      { href: '/scorecard', text: 'Scorecard' },
      { href: '/outstanding-actions', text: 'Outstanding actions' },
      { href: '/self-assessments', text: 'Self-assessments' },
      ...(may(request.principal, 'GET /api/v1/reports/board') ? [{ href: '/reports', text: 'Board report' }] : []),
      // Those the policy lets read the trail, and administrators (teams, users, frameworks and protocols: one index page).
      ...(may(request.principal, 'GET /api/v1/trail') ? [{ href: '/trail', text: 'Trail' }] : []),
      ...((['POST /api/v1/imports/audits', 'POST /api/v1/imports/indicators', 'POST /api/v1/imports/users'] as const).some(
        (route) => may(request.principal, route),
      )
        ? [{ href: '/imports', text: 'Imports' }]
        : []),
      ...(may(request.principal, 'POST /api/v1/teams') ? [{ href: '/admin', text: 'Admin' }] : []),
    ];
    const matches = (href: string): boolean =>
      request.path === href || request.path.startsWith(`${href}/`) || !!ALSO_UNDER[href]?.test(request.path);
    // The most specific item is the current one: /audits/programmes/x is under "Audit programmes", not "Audits".
    const current = items.filter((item) => matches(item.href)).sort((a, b) => b.href.length - a.href.length)[0]?.href;
    return items.map((item) => ({ ...item, active: item.href === current }));
  }
}
