import { Body, Get, Param, Post } from '@nestjs/common';
import {
  IssueTokenDto,
  ReasonDto,
  SetPasswordDto,
  UserUseCases,
  verifyPassword,
  FindCredentialQuery,
  type UserTokenRow,
} from '../../users';
import { csv, sendCsv } from '../csv';
import { filled, noProblems, validated, type FormProblems, mergeProblems } from '../forms';
import { inputPipe, Page, PageIn, Pages, type Input, PageController } from '../kit';
import { SessionCodec } from '../session';
import { UserSessions } from '../user-sessions';
import { setSessionCookie } from '../web-session.middleware';

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
 * The issue-token form's values -> the API's DTO's input. The number of days arrives as text: it is
 * turned into a number only when it is one, so the DTO's own rules refuse anything else.
 */
const issueTokenInput = (values: Record<string, unknown>): Record<string, unknown> => {
  const days = values.expiresInDays;
  return { label: values.label, expiresInDays: typeof days === 'string' && /^\s*\d+\s*$/.test(days) ? Number(days) : days };
};

export const issueInput = inputPipe(IssueTokenDto, (body) => filled(body, ['label', 'expiresInDays']), issueTokenInput);
export const reasonInput = inputPipe(ReasonDto, (body) => filled(body, ['reason']));
const passwordFields = (body: Record<string, unknown>) => filled(body, ['currentPassword', 'newPassword', 'confirmPassword']);

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

/**
 * The token forms of one's own account and of any user (admin): issue (shown once), and revoke with a
 * reason at `<tokens>/:tokenId/revoke`. The page says whose token the route's params name (`revokeTarget`).
 */
export function TokenPages(tokens: string) {
  abstract class TokenForms extends Pages {
    /** The token the route names (`tokenId`, and for an admin's page the user's `id`). */
    protected abstract revokeTarget(page: Page, params: Record<string, string>): RevokeTarget;

    @Get(`${tokens}/:tokenId/revoke`)
    revokePage(@PageIn() page: Page, @Param() params: Record<string, string>): Promise<void> {
      return this.revokeTokenPage(page, this.revokeTarget(page, params));
    }

    @Post(`${tokens}/:tokenId/revoke`)
    revoke(
      @PageIn() page: Page,
      @Param() params: Record<string, string>,
      @Body(reasonInput) input: Input<ReasonDto>,
    ): Promise<void> {
      return this.revokeToken(page, this.revokeTarget(page, params), input);
    }

    /** The token is in this response only: never in a URL, a redirect or a cache. */
    protected async issueToken(
      page: Page,
      userId: string,
      input: Input<IssueTokenDto>,
      back: { href: string; text: string },
      show: (problems: FormProblems) => Promise<void>,
    ): Promise<void> {
      let error = input.error;
      if (input.dto) {
        try {
          const issued = await this.useCases.users.issueToken({ id: userId }, input.dto, page.context);
          page.response.set('Cache-Control', 'no-store');
          const label = input.dto.label ?? 'personal access token';
          return this.render(page, 'account/token-issued.njk', { title: 'Your new token', issued: { ...issued, label }, back });
        } catch (thrown) {
          error = thrown;
        }
      }
      await show(this.problems(error, { labels: TOKEN_LABELS, formId: 'issue-token' }));
    }

    protected async revokeTokenPage(page: Page, target: RevokeTarget, values = {}, problems = noProblems()): Promise<void> {
      const { tokens, whose } = await target.owner();
      const token = tokens.find((t) => t.tokenId === target.tokenId);
      if (!token) return this.views.send(page.request, page.response, 'errors/404.njk', {}, 404);
      const { action, back } = target;
      this.render(page, 'account/revoke-token.njk', { title: 'Revoke a token', token, whose, action, back, values }, problems);
    }

    protected revokeToken(page: Page, target: RevokeTarget, input: Input<ReasonDto>): Promise<void> {
      return this.submit(page, input, {
        send: (dto, context) => this.useCases.users.revokeToken({ id: target.userId, tokenId: target.tokenId }, dto, context),
        to: () => target.done,
        show: (problems) => this.revokeTokenPage(page, target, input.values, problems),
        labels: TOKEN_LABELS,
        fieldOf: { TOKEN_ALREADY_REVOKED: 'reason' },
      });
    }
  }
  return TokenForms;
}

/** Every signed-in person: their own password and their own personal access tokens. */
@PageController('account')
export class AccountPagesController extends TokenPages('tokens') {
  constructor(
    private readonly users: UserUseCases,
    private readonly codec: SessionCodec,
    private readonly sessions: UserSessions,
  ) {
    super();
  }

  @Get('password')
  async passwordPage(@PageIn() page: Page): Promise<void> {
    await this.showPassword(page, { changed: page.flag('changed') });
  }

  /** The current password first (a session left open is not enough to take over the account), then the users decider rules. */
  @Post('password')
  async changePassword(@PageIn() page: Page): Promise<void> {
    const values = passwordFields(page.body);
    const credential = await this.queries.execute(new FindCredentialQuery({ userId: page.principal.userId }));
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
      // The DTO calls the new password "password"; the page calls its box "newPassword".
      problems = mergeProblems(
        problems,
        this.problems(error, { labels: { password: 'New password' }, rename: { password: 'newPassword' } }),
      );
      return null;
    });
    if (!problems.errors.newPassword && values.newPassword !== values.confirmPassword) {
      add('confirmPassword', 'The new passwords do not match');
    }
    if (credential && login && problems.errorList.length === 0) {
      try {
        await this.users.setPassword(page.principal.userId, login, page.context);
        // A new password ends every session of the user; this browser, which just proved the old one, carries on in a new session.
        setSessionCookie(page.request, page.response, this.codec, await this.sessions.fresh(page.principal.userId));
        return page.response.redirect(303, '/account/password?changed=1');
      } catch (error) {
        problems = mergeProblems(problems, this.problems(error, { formId: 'change-password' }));
      }
    }
    // Passwords are never sent back to the browser.
    await this.showPassword(page, {}, problems);
  }

  private async showPassword(page: Page, context: Record<string, unknown>, problems = noProblems()): Promise<void> {
    const credential = await this.queries.execute(new FindCredentialQuery({ userId: page.principal.userId }));
    this.render(
      page,
      'account/password.njk',
      { title: 'Change your password', username: credential?.username ?? null, ...context },
      problems,
    );
  }

  @Get('tokens')
  async tokensPage(@PageIn() page: Page): Promise<void> {
    await this.showTokens(page, { values: {}, revoked: page.flag('revoked') });
  }

  @Get('tokens.csv')
  async tokensCsv(@PageIn() page: Page): Promise<void> {
    const me = await this.useCases.users.me(page.request);
    sendCsv(page.response, 'my-tokens.csv', tokensCsv(me.tokens));
  }

  /** Issuing is the API's to allow (administrators only today); the token is shown in this response and never again. */
  @Post('tokens')
  async issue(@PageIn() page: Page, @Body(issueInput) input: Input<IssueTokenDto>): Promise<void> {
    await this.issueToken(
      page,
      page.principal.userId,
      input,
      { href: '/account/tokens', text: 'Back to your tokens' },
      (problems) => this.showTokens(page, { values: input.values }, problems),
    );
  }

  protected revokeTarget(page: Page, { tokenId }: Record<string, string>): RevokeTarget {
    return {
      userId: page.principal.userId,
      tokenId,
      owner: async () => ({ tokens: (await this.useCases.users.me(page.request)).tokens, whose: 'your' }),
      action: `/account/tokens/${encodeURIComponent(tokenId)}/revoke`,
      back: '/account/tokens',
      done: '/account/tokens?revoked=1',
    };
  }

  private async showTokens(page: Page, context: Record<string, unknown>, problems = noProblems()): Promise<void> {
    const me = await this.useCases.users.me(page.request);
    this.render(
      page,
      'account/tokens.njk',
      {
        title: 'Your personal access tokens',
        tokens: tokenRows(me.tokens),
        // The API lets administrators issue tokens (POST /api/v1/users/:id/tokens); everyone may revoke their own.
        mayIssue: page.may('POST /api/v1/users/:id/tokens'),
        ...context,
      },
      problems,
    );
  }
}
