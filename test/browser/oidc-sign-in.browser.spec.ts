/**
 * Browser sign-in through the council's identity provider (OIDC authorization code flow with
 * PKCE), against a small provider this test runs on 127.0.0.1: discovery, JWKS, an authorize
 * endpoint that signs the person in at once (as when they are already signed in to the council's
 * network) and a token endpoint that checks the code, the redirect URI and the PKCE verifier.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@casetrail/event-store';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload, type KeyLike } from 'jose';
import request, { type Response } from 'supertest';
import { launchBrowser, newPerson, screenshot, seriousAccessibilityProblems } from './browser';
import { PROFILES, TestApp } from '../support/test-app';
import { cookieOf, csrfOf } from '../support/web-http';

jest.setTimeout(120_000);
const CLIENT_ID = 'casetrail-web';
const SECRET = 'a-confidential-client-secret';
const KID = 'browser-test-key';

const body = (request: IncomingMessage): Promise<string> =>
  new Promise((resolve) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => resolve(text));
  });

describe('sign-in with the council identity provider (OIDC, sqlite)', () => {
  const profile = PROFILES[0];
  let storage: Awaited<ReturnType<typeof profile.create>>;
  let app: TestApp;
  let base: string;
  let provider: Server;
  let issuer: string;
  let key: KeyLike;
  /** What the next authorize request signs in as; `nonce: 'other'` makes the provider send a wrong nonce. */
  let person: JWTPayload = {};
  const codes = new Map<string, { challenge: string; nonce: string; redirectUri: string; claims: JWTPayload }>();
  const tokenRequests: URLSearchParams[] = [];

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    key = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: KID, alg: 'RS256', use: 'sig' };
    provider = createServer((request, response) => {
      const url = new URL(request.url ?? '/', issuer);
      const json = (status: number, value: unknown): void => {
        response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(value));
      };
      if (url.pathname === '/.well-known/openid-configuration') {
        return json(200, {
          issuer,
          jwks_uri: `${issuer}/jwks`,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          end_session_endpoint: `${issuer}/logout`,
        });
      }
      if (url.pathname === '/jwks') return json(200, { keys: [jwk] });
      if (url.pathname === '/authorize') {
        const q = url.searchParams;
        if (q.get('client_id') !== CLIENT_ID || q.get('response_type') !== 'code' || q.get('code_challenge_method') !== 'S256') {
          return json(400, { error: 'invalid_request' });
        }
        const code = randomBytes(12).toString('hex');
        codes.set(code, {
          challenge: q.get('code_challenge')!,
          nonce: q.get('nonce')!,
          redirectUri: q.get('redirect_uri')!,
          claims: person,
        });
        const back = new URL(q.get('redirect_uri')!);
        back.searchParams.set('code', code);
        back.searchParams.set('state', q.get('state')!);
        response.writeHead(302, { Location: back.toString() }).end();
        return;
      }
      if (url.pathname === '/token' && request.method === 'POST') {
        void body(request).then(async (text) => {
          const form = new URLSearchParams(text);
          tokenRequests.push(form);
          const grant = codes.get(form.get('code') ?? '');
          codes.delete(form.get('code') ?? '');
          const verifier = form.get('code_verifier') ?? '';
          if (
            !grant ||
            form.get('client_secret') !== SECRET ||
            form.get('redirect_uri') !== grant.redirectUri ||
            createHash('sha256').update(verifier).digest('base64url') !== grant.challenge
          ) {
            return json(400, { error: 'invalid_grant' });
          }
          const { nonce, ...claims } = grant.claims;
          const idToken = await new SignJWT({ name: 'Olive Oidc', ...claims, nonce: nonce ?? grant.nonce })
            .setProtectedHeader({ alg: 'RS256', kid: KID })
            .setSubject('olive@northshire.example')
            .setIssuer(issuer)
            .setAudience(CLIENT_ID)
            .setIssuedAt()
            .setExpirationTime('5m')
            .sign(key);
          json(200, { id_token: idToken, access_token: 'unused', token_type: 'Bearer' });
        });
        return;
      }
      json(404, {});
    });
    await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
    storage = await profile.create();
    app = await TestApp.start({
      ...storage.env,
      AUTH_OIDC_ISSUER: issuer,
      AUTH_OIDC_AUDIENCE: CLIENT_ID,
      AUTH_OIDC_CLIENT_SECRET: SECRET,
      TRUST_PROXY: 'loopback',
    });
    await app.userWithToken('admin'); // someone exists, so /sign-in is not the first-run page
    const server = (await app.app.listen(0, '127.0.0.1')) as Server;
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await app?.close();
    await storage?.drop();
    await new Promise((resolve) => provider?.close(resolve));
  });

  // One listening server: the callback URL names its host and port, so every request must reach the same one.
  const http = () => request(base);

  /** Start a sign-in, let the provider answer, and come back to the callback: the callback's answer. */
  async function signInThroughProvider(claims: JWTPayload, tamper: (callback: URL) => void = () => undefined): Promise<Response> {
    person = claims;
    const start = await http().get('/sign-in/oidc?next=%2Fdisputes').expect(303);
    const authorize = new URL(start.headers.location as string);
    expect(authorize.origin + authorize.pathname).toBe(`${issuer}/authorize`);
    const answer = await fetch(authorize, { redirect: 'manual' });
    const callback = new URL(answer.headers.get('location')!);
    tamper(callback);
    return http()
      .get(callback.pathname + callback.search)
      .set('Cookie', cookieOf(start));
  }

  it('signs a person in with the role and teams the provider gives, and sends them where they were going', async () => {
    const done = await signInThroughProvider({ casetrail_role: 'iro', casetrail_teams: [] });
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/disputes');
    const page = await http().get('/disputes').set('Cookie', cookieOf(done)).expect(200);
    expect(page.text).toContain('Olive Oidc (IRO)');
    // Their password is the identity provider's business, not Casetrail's.
    expect(page.text).not.toContain('Change your password');
    // The code went back with the PKCE verifier and the client secret (the provider checked both).
    expect(tokenRequests.at(-1)?.get('grant_type')).toBe('authorization_code');
  });

  it('refuses a callback whose state is not this sign-in’s, and signs nobody in', async () => {
    const done = await signInThroughProvider({ casetrail_role: 'iro' }, (callback) =>
      callback.searchParams.set('state', 'forged'),
    );
    expect(done.status).toBe(400);
    expect(done.text).toContain('This sign-in was started in another window or has expired.');
    await http().get('/disputes').set('Cookie', cookieOf(done)).expect(303).expect('Location', '/sign-in?next=%2Fdisputes');
  });

  it('refuses an ID token issued for another sign-in (wrong nonce)', async () => {
    const done = await signInThroughProvider({ casetrail_role: 'iro', nonce: 'someone-elses' });
    expect(done.status).toBe(400);
    expect(done.text).toContain('it was issued for another sign-in');
    await http().get('/disputes').set('Cookie', cookieOf(done)).expect(303);
  });

  it('shows "you do not have access" to a person the provider gives no Casetrail role', async () => {
    const done = await signInThroughProvider({ casetrail_role: 'janitor' });
    expect(done.status).toBe(403);
    expect(done.text).toContain('does not give you a Casetrail role');
  });

  it('sets Secure cookies and an https callback behind a trusted TLS proxy (TRUST_PROXY)', async () => {
    const start = await http().get('/sign-in/oidc').set('X-Forwarded-Proto', 'https').expect(303);
    expect(new URL(start.headers.location as string).searchParams.get('redirect_uri')).toMatch(
      /^https:\/\/127\.0\.0\.1:\d+\/sign-in\/oidc\/callback$/,
    );
    expect((start.headers['set-cookie'] as unknown as string[]).join(';')).toMatch(/Secure/);
    const plain = await http().get('/sign-in/oidc').expect(303);
    expect((plain.headers['set-cookie'] as unknown as string[]).join(';')).not.toMatch(/Secure/);
  });

  it('signing out ends the session for good (its cookie signs nobody in again) and ends it at the provider too', async () => {
    const done = await signInThroughProvider({ casetrail_role: 'iro', casetrail_teams: [] });
    const cookie = cookieOf(done);
    const page = await http().get('/disputes').set('Cookie', cookie).expect(200);
    const out = await http()
      .post('/sign-out')
      .set('Cookie', cookie)
      .type('form')
      .send({ _csrf: csrfOf(page.text) })
      .expect(303);
    // On to the provider's end_session_endpoint, to come back to the sign-in page.
    const provider = new URL(out.headers.location as string);
    expect(provider.origin + provider.pathname).toBe(`${issuer}/logout`);
    expect(provider.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(provider.searchParams.get('post_logout_redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/sign-in$/);
    // The old cookie, kept (or copied) by anyone, is signed out: not only this browser's new one.
    await http().get('/disputes').set('Cookie', cookie).expect(303).expect('Location', '/sign-in?next=%2Fdisputes');
    // It is recorded in the log, as the local accounts' sign-outs are (so every instance knows).
    const ended: RecordedEvent[] = [];
    for await (const event of app.app.get<EventStore>(EVENT_STORE).readAll({ filter: { eventTypes: ['OidcSessionEnded'] } })) {
      ended.push(event);
    }
    expect(ended).toHaveLength(1);
    expect(ended[0].data).toMatchObject({ userId: 'olive@northshire.example', reason: 'signed out' });
    expect(ended[0].metadata.actorId).toBe('olive@northshire.example');
    // Signing in again starts a new session, which works.
    const again = await signInThroughProvider({ casetrail_role: 'iro', casetrail_teams: [] });
    await http().get('/disputes').set('Cookie', cookieOf(again)).expect(200);
  });

  it('works in a real browser: "Sign in with your council account" lands on the dashboard, signed in', async () => {
    person = { casetrail_role: 'inspector', casetrail_teams: [] };
    const browser = await launchBrowser();
    try {
      const page = await (await newPerson(browser)).newPage();
      await page.goto(`${base}/sign-in`);
      expect(await seriousAccessibilityProblems(page)).toEqual([]);
      await screenshot(page, 'oidc-sign-in');
      await page.getByRole('button', { name: 'Sign in with your council account' }).click();
      await page.waitForURL((url) => url.pathname === '/dashboard');
      expect(await page.locator('.ct-header__who').innerText()).toBe('Olive Oidc (Inspector)');
    } finally {
      await browser.close();
    }
  });
});
