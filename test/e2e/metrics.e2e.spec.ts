/**
 * GET /metrics (issue 17), scraped from the real server process: Prometheus text with request
 * counts by route pattern that move with the traffic, commands and events appended, projection
 * lag, failures and rebuild progress per projection, and the default process metrics. Readable
 * with an administrator's token or the scrape token METRICS_TOKEN, by nobody else.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess } from '../support/app-process';
import { runCli } from '../support/cli-process';

const SCRAPE_TOKEN = 'scrape-0123456789abcdef0123456789abcdef';

/** The value of one series of the Prometheus text, or undefined when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = (match[3] ?? '').split(/,(?=\w+=")/).filter(Boolean);
    if (wanted.every((w) => have.includes(w))) return Number(match[4]);
  }
  return undefined;
}

describe('GET /metrics', () => {
  let dir: string;
  let app: AppProcess;
  let admin: string;
  let manager: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'casetrail-metrics-'));
    const env = { DATA_DIR: dir, METRICS_TOKEN: SCRAPE_TOKEN };
    admin = (JSON.parse((await runCli(env, ['user:add', '--name', 'Ada Admin', '--role', 'admin'])).stdout) as { token: string })
      .token;
    manager = (
      JSON.parse((await runCli(env, ['user:add', '--name', 'Tom Manager', '--role', 'team-manager'])).stdout) as { token: string }
    ).token;
    app = await AppProcess.start(env);
  });
  afterAll(async () => {
    await app?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (path: string, token?: string): Promise<Response> =>
    fetch(`${app.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const scrape = async (): Promise<string> => {
    const response = await get('/metrics', SCRAPE_TOKEN);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain;.*version=0\.0\.4/);
    return response.text();
  };

  it('only administrators and the scrape token read it', async () => {
    expect((await get('/metrics')).status).toBe(401);
    expect((await get('/metrics', 'ct_not-a-real-token-at-all')).status).toBe(401);
    expect((await get('/metrics', `${SCRAPE_TOKEN}x`)).status).toBe(401);
    expect((await get('/metrics', manager)).status).toBe(403);
    expect((await get('/metrics', admin)).status).toBe(200);
    // The scrape token is no key to anything else.
    expect((await get('/api/v1/teams', SCRAPE_TOKEN)).status).toBe(401);
    expect((await get('/metrics', SCRAPE_TOKEN)).status).toBe(200);
  });

  it('counts requests by route pattern, commands and events, and shows projection lag and progress', async () => {
    const before = await scrape();
    const created = { method: 'POST', route: '/api/v1/teams', status: '201' };
    const read = { method: 'GET', route: '/api/v1/teams/:id', status: '200' };
    const createdBefore = sample(before, 'casetrail_http_requests_total', created) ?? 0;
    const readBefore = sample(before, 'casetrail_http_requests_total', read) ?? 0;

    for (const teamId of ['cin-north', 'cin-south']) {
      const response = await fetch(`${app.url}/api/v1/teams`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        body: JSON.stringify({ teamId, name: `Team ${teamId}`, service: 'Children in need' }),
      });
      expect(response.status).toBe(201);
      expect((await get(`/api/v1/teams/${teamId}`, admin)).status).toBe(200);
    }

    const after = await scrape();
    expect(sample(after, 'casetrail_http_requests_total', created)).toBe(createdBefore + 2);
    expect(sample(after, 'casetrail_http_requests_total', read)).toBe(readBefore + 2);
    // By pattern, never by the raw URL.
    expect(after).not.toContain('route="/api/v1/teams/cin-north"');
    expect(sample(after, 'casetrail_http_request_duration_seconds_count', { method: 'POST', route: '/api/v1/teams' })).toBe(
      createdBefore + 2,
    );
    expect(sample(after, 'casetrail_commands_total', { command: 'RegisterTeam', outcome: 'appended' })).toBe(2);
    expect(sample(after, 'casetrail_events_appended_total', { event_type: 'TeamRegistered' })).toBe(2);

    // Every projection has its lag, failures, position and rebuild progress, as /health reports them.
    const health = (await (await get('/health')).json()) as { projections: { name: string; lag: number; position: string }[] };
    expect(health.projections.length).toBeGreaterThan(3);
    for (const p of health.projections) {
      expect(sample(after, 'casetrail_projection_lag_events', { projection: p.name })).toBe(p.lag);
      expect(sample(after, 'casetrail_projection_failing', { projection: p.name })).toBe(0);
      expect(sample(after, 'casetrail_projection_rebuild_progress_ratio', { projection: p.name })).toBe(
        p.lag === 0 ? 1 : expect.any(Number),
      );
    }
    expect(sample(after, 'casetrail_event_store_head_position')).toBeGreaterThan(0);
    expect(sample(after, 'casetrail_projections_running')).toBe(1);
    // prom-client's default process metrics.
    expect(sample(after, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(after).toContain('nodejs_heap_size_used_bytes');
  });
});
