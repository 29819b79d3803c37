import { createHash, randomBytes } from 'node:crypto';
import { Get, Inject, NotFoundException, Post, UnauthorizedException } from '@nestjs/common';
import { ConflictError } from '@casetrail/kernel';
import { OidcVerifier } from '../../auth';
import { AppConfig } from '../../config';
import { systemContext, type CommandContext, RateLimiter } from '../../core';
import {
  RegisterUserDto,
  SetPasswordDto,
  verifyPassword,
  CountUsersQuery,
  FindCredentialQuery,
  GetUserQuery,
  UserUseCases,
  OidcSessionAlreadyEnded,
} from '../../users';
import { filled, noProblems, validated, type FormProblems, mergeProblems } from '../forms';
import { Page, PageIn, Pages, PageController } from '../kit';
import { SessionCodec } from '../session';
import { oidcSessionId, UserSessions } from '../user-sessions';
import { setSessionCookie } from '../web-session.middleware';
import type { Principal } from '../../shared';
import type { WebRequest } from '../web-request';

// Compared against when the username is unknown, so a wrong username costs as long as a wrong password.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

/**
 * Only a path on this site, so sign-in cannot be used to send people elsewhere: it starts with one
 * "/" not followed by another "/" ("//evil.example" is another host to a browser), no backslash
 * anywhere (browsers read "/\evil.example" as "//evil.example"), no scheme, no spaces or control characters.
 * Anything else goes to "/", which sends a signed-in person to their dashboard.
 */
export const safeNext = (next: unknown): string =>
  typeof next === 'string' && /^\/(?![/\\])[\x21-\x5b\x5d-\x7e]*$/.test(next) && !next.startsWith('/sign-') ? next : '/';

const LABELS = { name: 'Your name', username: 'Username', password: 'Password' };

@PageController()
export class SignInController extends Pages {
  constructor(
    private readonly users: UserUseCases,
    private readonly codec: SessionCodec,
    private readonly sessions: UserSessions,
    private readonly limiter: RateLimiter,
    private readonly oidc: OidcVerifier,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {
    super();
  }

  @Get()
  async home(@PageIn() page: Page): Promise<void> {
    if (page.request.principal) return page.response.redirect(303, '/dashboard');
    const users = await this.queries.execute(new CountUsersQuery());
    page.response.redirect(303, users === 0 ? '/first-run' : '/sign-in');
  }

  @Get('sign-in')
  async signInPage(@PageIn() page: Page): Promise<void> {
    if ((await this.queries.execute(new CountUsersQuery())) === 0) return page.response.redirect(303, '/first-run');
    this.render(page, 'sign-in.njk', { next: safeNext(page.query.next), oidc: this.oidc.enabled, values: {} });
  }

  /**
   * Sign-in with the council's identity provider: the authorization code flow with PKCE. The
   * state, nonce and code verifier wait in the (signed) session cookie until the provider sends
   * the person back to the callback.
   */
  @Get('sign-in/oidc')
  async oidcStart(@PageIn() page: Page): Promise<void> {
    const { request, response } = page;
    if (!this.oidc.enabled) throw new NotFoundException('Sign-in with an identity provider is not set up here.');
    const { authorization_endpoint: endpoint } = await this.oidc.discovery();
    if (!endpoint) throw new Error('The identity provider’s discovery document names no authorization_endpoint');
    const pending = {
      state: randomBytes(18).toString('base64url'),
      nonce: randomBytes(18).toString('base64url'),
      verifier: randomBytes(32).toString('base64url'),
      next: safeNext(request.query.next),
    };
    setSessionCookie(request, response, this.codec, this.codec.fresh(null, Date.now(), { pending }));
    const url = new URL(endpoint);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: this.config.AUTH_OIDC_AUDIENCE!,
      redirect_uri: callbackUrl(request),
      scope: 'openid profile',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: createHash('sha256').update(pending.verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }).toString();
    response.redirect(303, url.toString());
  }

  @Get('sign-in/oidc/callback')
  async oidcCallback(@PageIn() page: Page): Promise<void> {
    const { request, response } = page;
    if (!this.oidc.enabled) throw new NotFoundException('Sign-in with an identity provider is not set up here.');
    const pending = request.webSession.pending;
    const { code, state, error } = request.query;
    // Whatever happens next, this sign-in attempt is used up.
    setSessionCookie(request, response, this.codec, this.codec.fresh(null));
    if (typeof error === 'string') return this.oidcProblem(page, 'The identity provider did not sign you in.');
    if (!pending || typeof state !== 'string' || state !== pending.state || typeof code !== 'string' || !code) {
      return this.oidcProblem(page, 'This sign-in was started in another window or has expired.');
    }
    const { token_endpoint: endpoint } = await this.oidc.discovery();
    if (!endpoint) throw new Error('The identity provider’s discovery document names no token_endpoint');
    const answer = await fetch(endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: callbackUrl(request),
        client_id: this.config.AUTH_OIDC_AUDIENCE!,
        code_verifier: pending.verifier,
        ...(this.config.AUTH_OIDC_CLIENT_SECRET ? { client_secret: this.config.AUTH_OIDC_CLIENT_SECRET } : {}),
      }),
    });
    const tokens = (await answer.json().catch(() => ({}))) as { id_token?: unknown };
    if (!answer.ok || typeof tokens.id_token !== 'string') {
      return this.oidcProblem(page, 'The identity provider did not confirm your sign-in.');
    }
    let principal;
    try {
      principal = await this.oidc.verify(tokens.id_token, { nonce: pending.nonce });
    } catch (problem) {
      if (problem instanceof UnauthorizedException) return this.oidcProblem(page, problem.message);
      throw problem; // 403 (no Casetrail role): the "you do not have access" page says why
    }
    const { userId, name, role, teamIds } = principal;
    setSessionCookie(request, response, this.codec, this.codec.fresh(userId, Date.now(), { oidc: { name, role, teamIds } }));
    response.redirect(303, pending.next);
  }

  private oidcProblem(page: Page, message: string): void {
    this.render(
      page,
      'sign-in.njk',
      { next: '/dashboard', oidc: true, values: {} },
      { errors: {}, errorList: [{ text: `${message} Try signing in again.`, href: '#oidc-sign-in' }] },
    );
  }

  @Post('sign-in')
  async signIn(@PageIn() page: Page): Promise<void> {
    const { request, response, body } = page;
    const username = typeof body.username === 'string' ? body.username.trim().toLowerCase() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const next = safeNext(body.next);
    const problems = noProblems();
    if (!username) problems.errors.username = 'Enter your username';
    if (!password) problems.errors.password = 'Enter your password';
    const address = request.ip ?? 'unknown';
    const wait = username ? this.limiter.signInWait(address, username) : 0;
    if (wait > 0) {
      // Too many failed sign-ins for this account or from this address: not even the right password is tried.
      response.setHeader('Retry-After', String(wait));
      const text = `Too many failed sign-ins. Wait ${waitInWords(wait)} and try again.`;
      problems.errors.password = text;
      problems.errorList.push({ text, href: '#password' });
      return this.views.send(request, response, 'sign-in.njk', { next, values: { username }, ...problems }, 429);
    }
    if (!problems.errors.username && !problems.errors.password) {
      const credential = await this.queries.execute(new FindCredentialQuery({ username }));
      const matches = await verifyPassword(password, credential?.passwordHash ?? DUMMY_HASH);
      const active =
        credential && matches ? (await this.queries.execute(new GetUserQuery(credential.userId))).status === 'active' : false;
      if (credential && matches && active) {
        this.limiter.signInSucceeded(username);
        // A new nonce at sign-in: a session (and CSRF token) seen before signing in is worth nothing after.
        setSessionCookie(request, response, this.codec, await this.sessions.fresh(credential.userId));
        return response.redirect(303, next);
      }
      this.limiter.signInFailed(address, username);
      problems.errors.password = 'The username or password is not right';
    }
    for (const [field, text] of Object.entries(problems.errors)) problems.errorList.push({ text, href: `#${field}` });
    this.render(page, 'sign-in.njk', { next, values: { username } }, problems);
  }

  /**
   * Signing out of a local account ends every session of it, in every browser (the session version
   * goes up). Signing out of a session signed in through the identity provider ends that session for
   * good (its cookie signs nobody in again, on any instance), then, when the provider offers an
   * end_session_endpoint, goes there so the provider's own session ends too.
   */
  @Post('sign-out')
  async signOut(@PageIn() page: Page): Promise<void> {
    const { request, response } = page;
    const principal = request.principal as Principal | undefined;
    const oidc = principal !== undefined && request.webSession.oidc !== undefined;
    if (principal && !oidc) {
      await this.users.endSessions(principal.userId, 'signed out', page.context);
    }
    if (principal && oidc) {
      try {
        await this.users.endOidcSession(oidcSessionId(request.webSession), principal.userId, 'signed out', page.context);
      } catch (error) {
        if (!(error instanceof OidcSessionAlreadyEnded)) throw error; // a second click of the same button
      }
    }
    setSessionCookie(request, response, this.codec, this.codec.fresh(null));
    const endSession = oidc ? await this.providerSignOut(request) : null;
    if (endSession) return response.redirect(303, endSession);
    this.views.send({ ...request, principal: undefined } as WebRequest, response, 'signed-out.njk', {});
  }

  /** The provider's end_session_endpoint (RP-initiated logout), coming back to the sign-in page; null when it has none. */
  private async providerSignOut(request: WebRequest): Promise<string | null> {
    const endpoint = (await this.oidc.discovery().catch(() => null))?.end_session_endpoint;
    if (typeof endpoint !== 'string' || !/^https?:\/\//.test(endpoint)) return null;
    const url = new URL(endpoint);
    url.searchParams.set('client_id', this.config.AUTH_OIDC_AUDIENCE!);
    url.searchParams.set('post_logout_redirect_uri', `${request.protocol}://${request.get('host')}/sign-in`);
    return url.toString();
  }

  @Get('first-run')
  async firstRunPage(@PageIn() page: Page): Promise<void> {
    if ((await this.queries.execute(new CountUsersQuery())) > 0) return page.response.redirect(303, '/sign-in');
    this.render(page, 'first-run.njk', { values: {} });
  }

  /** The first admin, while there are no users at all. A fixed command id makes a second, simultaneous attempt a replay. */
  @Post('first-run')
  async firstRun(@PageIn() page: Page): Promise<void> {
    if ((await this.queries.execute(new CountUsersQuery())) > 0) return page.response.redirect(303, '/sign-in');
    const values = filled(page.body, ['name', 'username', 'password', 'confirmPassword']);
    let problems: FormProblems = noProblems();
    // Every field is checked at once, so the error summary lists all that needs fixing.
    const person = await validated(RegisterUserDto, { name: values.name, role: 'admin' }).catch((error: unknown) => {
      problems = mergeProblems(problems, this.problems(error, { labels: LABELS }));
      return null;
    });
    const login = await validated(SetPasswordDto, { username: values.username, password: values.password }).catch(
      (error: unknown) => {
        problems = mergeProblems(problems, this.problems(error, { labels: LABELS }));
        return null;
      },
    );
    if (values.password !== values.confirmPassword && !problems.errors.password) {
      problems.errors.confirmPassword = 'The passwords do not match';
      problems.errorList.push({ text: problems.errors.confirmPassword, href: '#confirmPassword' });
    }
    if (person && login && problems.errorList.length === 0) {
      try {
        const context: CommandContext = { ...systemContext('first-run', 'system'), commandId: 'first-run-admin' };
        const { userId } = await this.users.register({ name: person.name, role: 'admin' }, context);
        await this.users.setPassword(userId, login, {
          ...context,
          actorId: userId,
          actorRole: 'admin',
          commandId: 'first-run-admin:password',
        });
        setSessionCookie(page.request, page.response, this.codec, await this.sessions.fresh(userId));
        return page.response.redirect(303, '/admin/teams?welcome=1');
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        problems.errorList.push({ text: 'Casetrail has already been set up by someone else. Sign in instead.', href: '#name' });
      }
    }
    this.render(page, 'first-run.njk', { values: { name: values.name, username: values.username } }, problems);
  }
}

/** "45 seconds", "2 minutes": how long a refused sign-in must wait. */
const waitInWords = (seconds: number): string => (seconds < 90 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`);

/** Where the identity provider sends people back; https behind a TLS proxy when TRUST_PROXY is set. */
const callbackUrl = (request: WebRequest): string => `${request.protocol}://${request.get('host')}/sign-in/oidc/callback`;
