import { Controller, Get, Inject, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  IssueTokenDto,
  ReasonDto,
  SetPasswordDto,
  type IssuedToken,
  UserUseCases,
  verifyPassword,
  FindCredentialQuery,
  type UserTokenRow,
} from '../../users';
import { PageUseCases } from '../use-cases';
import { csv, sendCsv } from '../csv';
import { filled, noProblems, problemsFrom, submitForm, validated, type FormProblems } from '../forms';
import type { SignedIn } from '../page-helpers';
import { may } from '../may';
import { WebErrorFilter } from '../web-errors.filter';
import { WebViews } from '../web-views';
import { SessionCodec } from '../session';
import { UserSessions } from '../user-sessions';
import { setSessionCookie } from '../web-session.middleware';
import type { WebRequest } from '../web-request';
import { mergeProblems, pageContext } from './sign-in.page';

export const TOKEN_LABELS = { label: 'Name', expiresInDays: 'Days until it expires', reason: 'Reason' };

const STATUS_TAG = {
  active: { text: 'Active', classes: 'govuk-tag--green' },
  expired: { text: 'Expired', classes: 'govuk-tag--grey' },
  revoked: { text: 'Revoked', classes: 'govuk-tag--red' },
} as const;

export type TokenStatus = keyof typeof STATUS_TAG;

/** A token as a list shows it: its status worked out now (revoked, expired or active). */
export function tokenRows(tokens: UserTokenRow[], now = new Date().toISOString()) {
  return tokens.map((token) => {
    const status: TokenStatus = token.revokedAt ? 'revoked' : token.expiresAt <= now ? 'expired' : 'active';
    return { ...token, status, tag: STATUS_TAG[status] };
  });
}

export const tokensCsv = (tokens: UserTokenRow[]): string =>
  csv(['tokenId', 'label', 'issuedAt', 'expiresAt', 'lastUsedOn', 'status', 'revokedAt', 'revokedReason'], tokenRows(tokens));

/**
 * The issue-token form's values -> the API's DTO. The number of days arrives as text: it is
 * turned into a number only when it is one, so the DTO's own rules refuse anything else.
 */
export async function issueTokenDto(values: Record<string, unknown>): Promise<IssueTokenDto> {
  const days = values.expiresInDays;
  const expiresInDays = typeof days === 'string' && /^\s*\d+\s*$/.test(days) ? Number(days) : days;
  return validated(IssueTokenDto, { label: values.label, expiresInDays });
}

/** A revoke-token page's token: one's own (/account/tokens) or any user's (/admin/users/:id); the same form. */
export interface RevokeTarget {
  userId: string;
  tokenId: string;
  /** the user's tokens, and whose they are in the page's words ("your", "Sam’s") */
  owner: () => Promise<{ tokens: UserTokenRow[]; whose: string }>;
  /** the form's address, the back link, and where to go once revoked */
  action: string;
  back: string;
  done: string;
}

export async function showRevokeToken(
  views: WebViews,
  request: WebRequest,
  response: Response,
  target: RevokeTarget,
  context: Record<string, unknown>,
  status = 200,
): Promise<void> {
  const { tokens, whose } = await target.owner();
  const token = tokens.find((t) => t.tokenId === target.tokenId);
  if (!token) return views.send(request, response, 'errors/404.njk', {}, 404);
  views.send(
    request,
    response,
    'account/revoke-token.njk',
    { title: 'Revoke a token', token, whose, action: target.action, back: target.back, ...context },
    status,
  );
}

export async function revokeToken(
  useCases: PageUseCases,
  views: WebViews,
  request: WebRequest,
  response: Response,
  target: RevokeTarget,
): Promise<void> {
  const values = filled(request.body, ['reason']);
  await submitForm({
    run: async () => {
      const dto = await validated(ReasonDto, values);
      await useCases.users.revokeToken({ id: target.userId, tokenId: target.tokenId }, dto, pageContext(request));
      response.redirect(303, target.done);
    },
    problems: { labels: TOKEN_LABELS, fieldOf: { TOKEN_ALREADY_REVOKED: 'reason' } },
    onProblems: (problems) => showRevokeToken(views, request, response, target, { values, ...problems }, 400),
  });
}

/** The token is in this response only: never in a URL, a redirect or a cache. */
export function sendIssuedToken(
  views: WebViews,
  request: WebRequest,
  response: Response,
  issued: IssuedToken & { label: string },
  back: { href: string; text: string },
): void {
  response.set('Cache-Control', 'no-store');
  views.send(request, response, 'account/token-issued.njk', { title: 'Your new token', issued, back });
}

/** Every signed-in person: their own password and their own personal access tokens. */
@ApiExcludeController()
@UseFilters(WebErrorFilter)
@Controller('account')
export class AccountPagesController {
  constructor(
    private readonly useCases: PageUseCases,
    private readonly users: UserUseCases,
    private readonly queries: QueryBus,
    private readonly codec: SessionCodec,
    private readonly sessions: UserSessions,
    @Inject(WebViews) private readonly views: WebViews,
  ) {}

  @Get('password')
  async passwordPage(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    await this.showPassword(request, response, { ...noProblems(), changed: request.query.changed === '1' });
  }

  /** The current password first (a session left open is not enough to take over the account), then the users decider rules. */
  @Post('password')
  async changePassword(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const values = filled(request.body, ['currentPassword', 'newPassword', 'confirmPassword']);
    const credential = await this.queries.execute(new FindCredentialQuery({ userId: request.principal.userId }));
    let problems: FormProblems = noProblems();
    const add = (field: string, text: string): void => {
      problems.errors[field] = text;
      problems.errorList.push({ text, href: `#${field}` });
    };
    if (!values.currentPassword) add('currentPassword', 'Enter your current password');
    else if (!credential || !(await verifyPassword(String(values.currentPassword), credential.passwordHash))) {
      add('currentPassword', 'Your current password is not right');
    }
    const login = await validated(SetPasswordDto, {
      // Only the password is the person's to change here; the username stays as it is.
      username: credential?.username ?? 'unknown',
      password: values.newPassword ?? '',
    }).catch((error: unknown) => {
      problems = mergeProblems(
        problems,
        problemsFrom(error, {
          labels: { password: 'New password' },
          idOf: (field) => (field === 'password' ? 'newPassword' : field),
        }),
      );
      if (problems.errors.password) {
        problems.errors.newPassword = problems.errors.password;
        delete problems.errors.password;
      }
      return null;
    });
    if (!problems.errors.newPassword && values.newPassword !== values.confirmPassword) {
      add('confirmPassword', 'The new passwords do not match');
    }
    if (credential && login && problems.errorList.length === 0) {
      try {
        await this.users.setPassword(request.principal.userId, login, pageContext(request));
        // A new password ends every session of the user; this browser, which just proved the old one, carries on in a new session.
        setSessionCookie(request, response, this.codec, await this.sessions.fresh(request.principal.userId));
        return response.redirect(303, '/account/password?changed=1');
      } catch (error) {
        problems = mergeProblems(problems, problemsFrom(error, { formId: 'change-password' }));
      }
    }
    // Passwords are never sent back to the browser.
    await this.showPassword(request, response, { ...problems }, 400);
  }

  private async showPassword(
    request: SignedIn,
    response: Response,
    context: Record<string, unknown>,
    status = 200,
  ): Promise<void> {
    const credential = await this.queries.execute(new FindCredentialQuery({ userId: request.principal.userId }));
    this.views.send(
      request,
      response,
      'account/password.njk',
      { title: 'Change your password', username: credential?.username ?? null, ...context },
      status,
    );
  }

  @Get('tokens')
  async tokensPage(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    await this.showTokens(request, response, { values: {}, ...noProblems(), revoked: request.query.revoked === '1' });
  }

  @Get('tokens.csv')
  async tokensCsv(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const me = await this.useCases.users.me(request);
    sendCsv(response, 'my-tokens.csv', tokensCsv(me.tokens));
  }

  /** Issuing is the API's to allow (administrators only today); the token is shown in this response and never again. */
  @Post('tokens')
  async issue(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const values = filled(request.body, ['label', 'expiresInDays']);
    try {
      const dto = await issueTokenDto(values);
      const issued = await this.useCases.users.issueToken({ id: request.principal.userId }, dto, pageContext(request));
      return sendIssuedToken(
        this.views,
        request,
        response,
        { ...issued, label: dto.label ?? 'personal access token' },
        { href: '/account/tokens', text: 'Back to your tokens' },
      );
    } catch (error) {
      const problems = problemsFrom(error, { labels: TOKEN_LABELS, formId: 'issue-token' });
      await this.showTokens(request, response, { values, ...problems }, 400);
    }
  }

  @Get('tokens/:tokenId/revoke')
  async revokePage(@Req() request: SignedIn, @Res() response: Response, @Param('tokenId') tokenId: string): Promise<void> {
    await showRevokeToken(this.views, request, response, this.revokeTarget(request, tokenId), { values: {}, ...noProblems() });
  }

  @Post('tokens/:tokenId/revoke')
  async revoke(@Req() request: SignedIn, @Res() response: Response, @Param('tokenId') tokenId: string): Promise<void> {
    await revokeToken(this.useCases, this.views, request, response, this.revokeTarget(request, tokenId));
  }

  private revokeTarget(request: SignedIn, tokenId: string): RevokeTarget {
    return {
      userId: request.principal.userId,
      tokenId,
      owner: async () => ({ tokens: (await this.useCases.users.me(request)).tokens, whose: 'your' }),
      action: `/account/tokens/${encodeURIComponent(tokenId)}/revoke`,
      back: '/account/tokens',
      done: '/account/tokens?revoked=1',
    };
  }

  private async showTokens(request: SignedIn, response: Response, context: Record<string, unknown>, status = 200): Promise<void> {
    const me = await this.useCases.users.me(request);
    this.views.send(
      request,
      response,
      'account/tokens.njk',
      {
        title: 'Your personal access tokens',
        tokens: tokenRows(me.tokens),
        // The API lets administrators issue tokens (POST /api/v1/users/:id/tokens); everyone may revoke their own.
        mayIssue: may(request.principal, 'POST /api/v1/users/:id/tokens'),
        ...context,
      },
      status,
    );
  }
}
