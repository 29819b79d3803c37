/**
 * OIDC sign-in against a local identity provider this test starts itself: an RSA key pair, a
 * discovery document and a JWKS endpoint on 127.0.0.1. Personal access tokens keep working.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload, type KeyLike } from 'jose';
import { OidcVerifier } from '../../src/auth/oidc';
import { loadConfig } from '../../src/config/app-config';
import { PROFILES, TestApp } from '../support/test-app';

const AUDIENCE = 'casetrail-test';
const KID = 'test-key-1';

describe('OIDC sign-in with a local issuer (sqlite)', () => {
  const profile = PROFILES.find((p) => p.name === 'sqlite')!;
  let storage: Awaited<ReturnType<typeof profile.create>>;
  let t: TestApp;
  let issuerServer: Server;
  let issuer: string;
  let signingKey: KeyLike;
  let strangerKey: KeyLike;
  let discoveryRequests = 0;

  /** A token as the identity provider would issue it; `overrides` change claims or the key. */
  const token = async (
    claims: JWTPayload,
    options: { key?: KeyLike; audience?: string; issuer?: string; expiresAt?: number } = {},
  ): Promise<string> =>
    new SignJWT({ name: 'Olive Oidc', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: KID })
      .setSubject((claims.sub as string | undefined) ?? 'oidc-user-1')
      .setIssuer(options.issuer ?? issuer)
      .setAudience(options.audience ?? AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(options.expiresAt ?? Math.floor(Date.now() / 1000) + 600)
      .sign(options.key ?? signingKey);

  const get = (url: string, bearer: string) => t.http.get(url).set('Authorization', `Bearer ${bearer}`);

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    signingKey = pair.privateKey;
    strangerKey = (await generateKeyPair('RS256')).privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: KID, alg: 'RS256', use: 'sig' };
    issuerServer = createServer((request, response) => {
      response.setHeader('Content-Type', 'application/json');
      if (request.url === '/.well-known/openid-configuration') {
        discoveryRequests++;
        response.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }));
      } else if (request.url === '/jwks') {
        response.end(JSON.stringify({ keys: [jwk] }));
      } else {
        response.statusCode = 404;
        response.end('{}');
      }
    });
    await new Promise<void>((resolve) => issuerServer.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(issuerServer.address() as AddressInfo).port}`;
    storage = await profile.create();
    t = await TestApp.start({ ...storage.env, AUTH_OIDC_ISSUER: issuer, AUTH_OIDC_AUDIENCE: AUDIENCE });
  });
  afterAll(async () => {
    await t?.close();
    await storage?.drop();
    await new Promise((resolve) => issuerServer?.close(resolve));
  });

  it('a valid token signs in with the role and teams from its claims; the policy applies to them', async () => {
    const admin = await t.userWithToken('admin', [], 'Pat Admin'); // personal access tokens still work
    for (const teamId of ['north', 'south']) {
      await t.http
        .post('/api/v1/teams')
        .set('Authorization', `Bearer ${admin.token}`)
        .send({ teamId, name: `Team ${teamId}`, service: 'CIN' })
        .expect(201);
    }
    const manager = await token({ casetrail_role: 'team-manager', casetrail_teams: ['north'] });
    await get('/api/v1/teams', manager).expect(200);
    await get('/api/v1/teams/north/audit-actions', manager).expect(200);
    await get('/api/v1/teams/south/audit-actions', manager).expect(404); // not one of their teams
    await t.http.post('/api/v1/teams').set('Authorization', `Bearer ${manager}`).send({}).expect(403);
    const inspector = await token({ sub: 'oidc-inspector', casetrail_role: 'inspector' });
    await get('/api/v1/users', inspector).expect(200);
    expect(discoveryRequests).toBe(1); // discovery once, then cached
  });

  it('a wrong audience, a wrong issuer, a wrong signature or an expired token is refused with 401', async () => {
    const claims = { casetrail_role: 'admin' };
    const cases: [string, string][] = [
      ['wrong audience', await token(claims, { audience: 'another-app' })],
      ['wrong issuer', await token(claims, { issuer: 'http://127.0.0.1:1' })],
      ['wrong signature', await token(claims, { key: strangerKey })],
      ['expired', await token(claims, { expiresAt: Math.floor(Date.now() / 1000) - 3600 })],
    ];
    for (const [what, bearer] of cases) {
      const response = await get('/api/v1/teams', bearer);
      expect([what, response.status]).toEqual([what, 401]);
      expect(response.body.message).toMatch(/not valid/);
    }
    // A token that is valid apart from its signature bytes: tampered payload.
    const good = await token(claims);
    const [header, , signature] = good.split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify({ sub: 'x', casetrail_role: 'admin', aud: AUDIENCE, iss: issuer })).toString('base64url')}.${signature}`;
    await get('/api/v1/teams', forged).expect(401);
  });

  it('a token without a Casetrail role (unknown or missing role claim) is refused with 403', async () => {
    const unknown = await get('/api/v1/teams', await token({ casetrail_role: 'superuser' })).expect(403);
    expect(unknown.body.message).toMatch(/casetrail_role/);
    await get('/api/v1/teams', await token({})).expect(403);
  });

  it('role and teams claims are configurable', async () => {
    const config = loadConfig({
      AUTH_OIDC_ISSUER: issuer,
      AUTH_OIDC_AUDIENCE: AUDIENCE,
      AUTH_OIDC_ROLE_CLAIM: 'https://council.example/role',
      AUTH_OIDC_TEAMS_CLAIM: 'groups',
    });
    const verifier = new OidcVerifier(config);
    const principal = await verifier.verify(
      await token({ sub: 'u-7', 'https://council.example/role': 'iro', groups: ['north', 42], casetrail_role: 'admin' }),
    );
    expect(principal).toEqual({ userId: 'u-7', name: 'Olive Oidc', role: 'iro', teamIds: ['north'], tokenId: 'oidc' });
  });

  it('configuration: an issuer needs an audience, and must be https (http only on loopback)', () => {
    expect(() => loadConfig({ AUTH_OIDC_ISSUER: 'https://login.example.gov.uk' })).toThrow(/AUTH_OIDC_AUDIENCE/);
    expect(() => loadConfig({ AUTH_OIDC_ISSUER: 'http://login.example.gov.uk', AUTH_OIDC_AUDIENCE: 'x' })).toThrow(
      /AUTH_OIDC_ISSUER/,
    );
    expect(loadConfig({ AUTH_OIDC_ISSUER: 'https://login.example.gov.uk', AUTH_OIDC_AUDIENCE: 'x' }).AUTH_OIDC_ROLE_CLAIM).toBe(
      'casetrail_role',
    );
  });

  it('without OIDC configured, a JWT is just an invalid token (401)', async () => {
    const scratch = await profile.create();
    const plain = await TestApp.start(scratch.env);
    try {
      const response = await plain.http
        .get('/api/v1/teams')
        .set('Authorization', `Bearer ${await token({ casetrail_role: 'admin' })}`);
      expect(response.status).toBe(401);
    } finally {
      await plain.close();
      await scratch.drop();
    }
  });
});
