import { Metrics } from './metrics';

/** One series' value from the Prometheus text. */
const value = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('metrics', () => {
  it('a projection behind the log shows its lag, how far its rebuild has got, and its failures', async () => {
    const metrics = new Metrics();
    metrics.projectionFailed('audits');
    metrics.projectionFailed('audits');
    metrics.projections(
      [
        { name: 'audits', version: 3, position: '250', lag: 750, lastError: 'UNIQUE constraint failed' },
        { name: 'teams', version: 1, position: '1000', lag: 0, lastError: null },
      ],
      1000n,
      false,
    );
    const text = await metrics.text();
    expect(value(text, 'casetrail_projection_lag_events{projection="audits"}')).toBe(750);
    expect(value(text, 'casetrail_projection_rebuild_progress_ratio{projection="audits"}')).toBe(0.25);
    expect(value(text, 'casetrail_projection_failing{projection="audits"}')).toBe(1);
    expect(value(text, 'casetrail_projection_failures_total{projection="audits"}')).toBe(2);
    expect(value(text, 'casetrail_projection_lag_events{projection="teams"}')).toBe(0);
    expect(value(text, 'casetrail_projection_rebuild_progress_ratio{projection="teams"}')).toBe(1);
    expect(value(text, 'casetrail_projection_failing{projection="teams"}')).toBe(0);
    expect(value(text, 'casetrail_event_store_head_position')).toBe(1000);
    expect(value(text, 'casetrail_projections_running')).toBe(0);
    // Without process metrics unless asked (the CLI).
    expect(text).not.toContain('process_cpu_user_seconds_total');
  });

  it('counts commands by outcome and events by type', async () => {
    const metrics = new Metrics();
    metrics.command('RaiseDispute', 'appended', ['DisputeRaised']);
    metrics.command('RaiseDispute', 'replayed');
    metrics.command('RaiseDispute', 'rejected');
    const text = await metrics.text();
    expect(value(text, 'casetrail_commands_total{command="RaiseDispute",outcome="appended"}')).toBe(1);
    expect(value(text, 'casetrail_commands_total{command="RaiseDispute",outcome="replayed"}')).toBe(1);
    expect(value(text, 'casetrail_commands_total{command="RaiseDispute",outcome="rejected"}')).toBe(1);
    expect(value(text, 'casetrail_events_appended_total{event_type="DisputeRaised"}')).toBe(1);
  });
});
