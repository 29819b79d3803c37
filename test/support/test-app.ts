/**
 * Starts the real application (same bootstrap as production) on scratch storage:
 * an embedded store in a temporary DATA_DIR, or a fresh PostgreSQL database.
 */
import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { POSTGRES_TEST_URL, postgresAdmin, postgresTestsEnabled } from '@casetrail/testing';
import { createApp } from '../../src/bootstrap';
import { loadConfig, type AppConfig } from '../../src/config/app-config';
import { systemContext } from '../../src/core/command-context';
import type { Role } from '../../src/shared/principal';
import { UserUseCases } from '../../src/users/users.use-cases';

export interface Profile {
  name: string;
  enabled: boolean;
  /** Environment for a fresh, empty profile; `drop` removes what it created. */
  create(): Promise<{ env: Record<string, string>; drop(): Promise<void> }>;
}

export const PROFILES: Profile[] = [
  {
    name: 'sqlite',
    enabled: true,
    create: () => {
      const dir = mkdtempSync(join(tmpdir(), 'casetrail-e2e-'));
      return Promise.resolve({
        env: { DATA_DIR: dir },
        drop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
      });
    },
  },
  {
    name: 'postgres',
    enabled: postgresTestsEnabled(),
    create: async () => {
      const db = `ct_e2e_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
      await postgresAdmin(`CREATE DATABASE ${db}`);
      const url = new URL(POSTGRES_TEST_URL);
      url.pathname = `/${db}`;
      const dir = mkdtempSync(join(tmpdir(), 'casetrail-e2e-'));
      return {
        env: { DATA_DIR: dir, EVENT_STORE: 'postgres', EVENT_STORE_URL: url.toString(), READ_DB_URL: url.toString() },
        drop: async () => {
          await postgresAdmin(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
];

/** A user as `userWithToken` registers them: their id and their token. */
export type User = { userId: string; token: string };

export class TestApp {
  private constructor(
    readonly app: NestExpressApplication,
    readonly config: AppConfig,
    readonly env: Record<string, string>,
  ) {}

  static async start(env: Record<string, string>): Promise<TestApp> {
    // Free disk space is the machine's, not the test's: no minimum unless a test sets one.
    const config = loadConfig({ LOG_LEVEL: 'error', HEALTH_MIN_FREE_DISK_MB: '0', ...env });
    const app = await createApp(config, false);
    await app.init();
    return new TestApp(app, config, env);
  }

  get http(): ReturnType<typeof request> {
    return request(this.app.getHttpServer());
  }

  /** Requests as `user`, with their token (a body, when none is given, is `{}`). */
  as(user: { token: string }) {
    const bearer = `Bearer ${user.token}`;
    return {
      get: (url: string) => this.http.get(url).set('Authorization', bearer),
      post: (url: string, body: object = {}) => this.http.post(url).set('Authorization', bearer).send(body),
      patch: (url: string, body: object = {}) => this.http.patch(url).set('Authorization', bearer).send(body),
    };
  }

  /** Registers a user directly through the use case (as the CLI does) and returns their token. */
  async userWithToken(role: Role, teamIds: string[] = [], name = `Test ${role}`): Promise<User> {
    const issued = await this.app.get(UserUseCases).registerWithToken({ name, role, teamIds }, systemContext('test-setup'));
    // The first use of a token each day is recorded (PersonalAccessTokenUsed): use it once here, so
    // tests comparing the log before and after a request see only what that request appended.
    await this.http.get('/api/v1/users/me').set('authorization', `Bearer ${issued.token}`).expect(200);
    return { userId: issued.userId, token: issued.token };
  }

  /**
   * Starts, grades (each domain in the order given) and submits an audit over HTTP as `by`, each step
   * checked; returns its id. The case reference is a random one unless the test names it.
   */
  async submittedAudit(by: { token: string }, audit: SubmittedAudit): Promise<string> {
    const post = (url: string, body: object) => this.http.post(url).set('Authorization', `Bearer ${by.token}`).send(body);
    const { grades, overallGrade, submittedOn, caseRef = `CASE-${Math.random().toString(36).slice(2, 8)}`, ...start } = audit;
    const started = await post('/api/v1/audits', { caseRef, ...start }).expect(201);
    const auditId = started.body.auditId as string;
    for (const [domain, grade] of Object.entries(grades))
      await post(`/api/v1/audits/${auditId}/grades`, { domain, grade }).expect(200);
    await post(`/api/v1/audits/${auditId}/submit`, { overallGrade, submittedOn }).expect(200);
    return auditId;
  }

  async close(): Promise<void> {
    await this.app.close();
  }
}

/** An audit as `submittedAudit` records it: grades by domain. */
export interface SubmittedAudit {
  caseRef?: string;
  teamId: string;
  auditedOn: string;
  programmeId?: string;
  grades: Record<string, string>;
  overallGrade: string;
  submittedOn: string;
}
