import { Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import type nunjucks from 'nunjucks';
import { AppConfig } from '../config/app-config';
import { createViews } from './views';
import type { WebRequest } from './web-request';

interface NavItem {
  href: string;
  text: string;
  active: boolean;
}

/** Renders a page with what every page needs: the organisation, the signed-in user, the CSRF token, the navigation. */
@Injectable()
export class WebViews {
  private readonly env: nunjucks.Environment = createViews();

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  render(request: WebRequest, template: string, context: Record<string, unknown>): string {
    return this.env.render(template, {
      orgName: this.config.ORG_NAME,
      principal: request.principal ?? null,
      csrfToken: request.csrfToken,
      navigation: request.principal ? this.navigation(request) : [],
      currentPath: request.path,
      ...context,
    });
  }

  send(request: WebRequest, response: Response, template: string, context: Record<string, unknown> = {}, status = 200): void {
    response
      .status(status)
      .type('html')
      .send(this.render(request, template, context));
  }

  private navigation(request: WebRequest): NavItem[] {
    const items = [
      { href: '/dashboard', text: 'Dashboard' },
      { href: '/audits', text: 'Audits' },
      { href: '/disputes', text: 'Disputes' },
      { href: '/plans', text: 'Improvement plans' },
      { href: '/scorecard', text: 'Scorecard' },
      ...(request.principal?.role === 'admin'
        ? [
            { href: '/admin/teams', text: 'Teams' },
            { href: '/admin/users', text: 'Users' },
          ]
        : []),
    ];
    return items.map((item) => ({ ...item, active: request.path === item.href || request.path.startsWith(`${item.href}/`) }));
  }
}
