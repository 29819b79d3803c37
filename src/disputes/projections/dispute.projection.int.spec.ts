import { ProjectionHarness } from '@casetrail/testing';
import { DEFAULT_DISPUTE_PROTOCOL } from '../dispute-protocol.decider';
import type { DisputeEvent, DisputeProtocolPublished, GoodPracticeAlertRaised } from '../disputes.events';
import { DisputeProtocolRow, disputeProtocolsProjection } from './dispute-protocol.projection';
import { DisputeProtocolSnapshotRow, DisputeRow, disputesProjection, protocolKeyOf } from './dispute.projection';
import { GoodPracticeAlertRow, goodPracticeAlertsProjection } from './good-practice-alert.projection';

const protocol = { version: 1, ...DEFAULT_DISPUTE_PROTOCOL };
const disputeId = '6f1c1c1e-0000-4000-8000-000000000001';
const history: DisputeEvent[] = [
  {
    type: 'DisputeRaised',
    data: {
      disputeId,
      childRef: 'C-1001',
      teamId: 'lac-1',
      raisedBy: 'iro-1',
      raisedOn: '2020-05-04',
      category: 'matching',
      summary: 'Drift',
      desiredOutcome: 'Panel',
      stage: 'informal',
      protocol,
    },
  },
  {
    type: 'DisputeResponseRecorded',
    data: {
      disputeId,
      stage: 'informal',
      respondentId: 'tm-1',
      respondedOn: '2020-05-11',
      response: 'Booked',
      satisfactory: false,
    },
  },
  {
    type: 'DisputeEscalated',
    data: {
      disputeId,
      fromStage: 'informal',
      toStage: 'stage-2',
      escalatedOn: '2020-05-12',
      reason: 'Late',
      bypassed: ['stage-1'],
    },
  },
  { type: 'DisputeReferredToCafcass', data: { disputeId, referredOn: '2020-05-13', reason: 'Harm' } },
  { type: 'DisputeResolved', data: { disputeId, resolvedOn: '2020-05-20', outcome: 'partly-resolved', note: 'Panel set' } },
  { type: 'DisputeReopened', data: { disputeId, reopenedOn: '2020-05-21', reason: 'Panel cancelled' } },
];

describe('disputes projection', () => {
  const h = ProjectionHarness.perTest(disputesProjection);

  it('keeps one row per DR with every stage entered, responses, status changes and the Cafcass referral', async () => {
    await h.record(`dispute-${disputeId}`, history);
    // The protocol stream shares the prefix: its events are not DR events and are skipped.
    await h.record('dispute-protocol', [{ type: 'DisputeProtocolPublished', data: protocol }]);
    await h.project();
    const [row] = await h.rows(DisputeRow, 'disputeId');
    expect(row).toMatchObject({ disputeId, teamId: 'lac-1', status: 'open', stage: 'stage-2', revision: '5' });
    // The row names its protocol's snapshot, kept once, instead of copying the protocol into every version.
    expect(row.protocolKey).toBe(protocolKeyOf(protocol));
    expect(await h.rows(DisputeProtocolSnapshotRow, 'protocolKey')).toEqual([{ protocolKey: row.protocolKey, protocol }]);
    expect(row.stages).toEqual([
      {
        stage: 'informal',
        enteredOn: '2020-05-04',
        bypassed: [],
        reason: null,
        response: {
          respondentId: 'tm-1',
          respondentName: null,
          respondedOn: '2020-05-11',
          response: 'Booked',
          satisfactory: false,
        },
      },
      { stage: 'stage-2', enteredOn: '2020-05-12', bypassed: ['stage-1'], reason: 'Late', response: null },
    ]);
    expect(row.statusChanges).toEqual([
      { status: 'resolved', on: '2020-05-20', outcome: 'partly-resolved', note: 'Panel set' },
      { status: 'open', on: '2020-05-21', reason: 'Panel cancelled' },
    ]);
    expect(row.cafcassReferral).toEqual({ referredOn: '2020-05-13', reason: 'Harm' });
  });

  it('a DR ended unresolved and then referred to Cafcass keeps the outcome and marks the referral as after the local process', async () => {
    const [raisedEvent] = history;
    await h.record(`dispute-${disputeId}`, [
      raisedEvent,
      { type: 'DisputeResolved', data: { disputeId, resolvedOn: '2020-05-20', outcome: 'unresolved', note: 'No agreement' } },
      {
        type: 'DisputeReferredToCafcass',
        data: { disputeId, referredOn: '2020-05-22', reason: 'Drift', afterLocalProcess: true },
      },
    ]);
    await h.project();
    const [row] = await h.rows(DisputeRow, 'disputeId');
    expect(row.statusChanges).toEqual([{ status: 'resolved', on: '2020-05-20', outcome: 'unresolved', note: 'No agreement' }]);
    expect(row).toMatchObject({ status: 'resolved' });
    expect(row.cafcassReferral).toEqual({ referredOn: '2020-05-22', reason: 'Drift', afterLocalProcess: true });
  });

  it('replaying the same events gives the same rows', async () => {
    await h.record(`dispute-${disputeId}`, history);
    await h.project();
    await h.expectRebuildKeeps(() => h.rows(DisputeRow, 'disputeId'));
  });
});

describe('protocol and good-practice alert projections', () => {
  it('keeps one row per protocol version, with who published it', async () => {
    const h = await ProjectionHarness.open(disputeProtocolsProjection);
    const published: DisputeProtocolPublished[] = [
      { type: 'DisputeProtocolPublished', data: protocol },
      { type: 'DisputeProtocolPublished', data: { ...protocol, version: 2, formalTargetWorkingDays: 15 } },
    ];
    await h.record('dispute-protocol', published);
    await h.project();
    const rows = await h.rows(DisputeProtocolRow, 'version');
    expect(rows.map((r) => [r.version, r.formalTargetWorkingDays, r.stages.length, r.publishedBy])).toEqual([
      [1, 20, 5, 'user-test'],
      [2, 15, 5, 'user-test'],
    ]);
    await h.expectRebuildKeeps(() => h.rows(DisputeProtocolRow, 'version'));
    await h.close();
  });

  it('keeps one row per good-practice alert', async () => {
    const h = await ProjectionHarness.open(goodPracticeAlertsProjection);
    const alert: GoodPracticeAlertRaised = {
      type: 'GoodPracticeAlertRaised',
      data: { alertId: 'a-1', childRef: 'C-2', teamId: 'lac-1', raisedBy: 'iro-1', raisedOn: '2020-05-05', summary: 'Great' },
    };
    await h.record('good-practice-alert-a-1', [alert]);
    await h.project();
    const rows = await h.rows(GoodPracticeAlertRow, 'alertId');
    expect(rows).toEqual([expect.objectContaining(alert.data)]);
    await h.expectRebuildKeeps(() => h.rows(GoodPracticeAlertRow, 'alertId'));
    await h.close();
  });
});
