import { teamActionsAsOn } from './audits.queries';
import type { AuditActionRow } from './projections/audit.projection';

const action = (actionId: string, extra: Partial<AuditActionRow>): AuditActionRow => ({
  auditId: 'a-1',
  actionId,
  caseRef: 'CASE-1',
  description: 'Update the chronology',
  ownerId: 'manager',
  teamId: 'cin-north',
  raisedOn: '2026-05-01',
  dueOn: '2026-05-29',
  status: 'open',
  immediateReview: 'no',
  closedOn: null,
  closedNote: null,
  safeguardingActionNeeded: null,
  revision: '3',
  updatedAt: '2026-05-01T09:00:00.000Z',
  ...extra,
});

describe('audit actions as on a past day', () => {
  const rows = [
    action('open-still', {}),
    action('raised-later', { raisedOn: '2026-06-10' }),
    action('completed-later', { status: 'completed', closedOn: '2026-06-20', closedNote: 'Done' }),
    action('completed-before', { status: 'completed', closedOn: '2026-05-20', closedNote: 'Done' }),
    action('cancelled-later', { status: 'cancelled', closedOn: '2026-06-20', closedNote: 'Case closed' }),
  ];
  const ids = (views: { actionId: string }[]): string[] => views.map((v) => v.actionId).sort();

  it('the list for a day leaves out actions raised after that day', () =>
    expect(ids(teamActionsAsOn(rows, undefined, '2026-06-01'))).not.toContain('raised-later'));

  it('an action still open that day but completed (or cancelled) later is listed as open that day', () => {
    const views = teamActionsAsOn(rows, undefined, '2026-06-01');
    expect(ids(views)).toEqual(['cancelled-later', 'completed-later', 'open-still']);
    expect(views.find((v) => v.actionId === 'completed-later')).toMatchObject({ status: 'open', overdue: true });
    expect(ids(teamActionsAsOn(rows, 'overdue', '2026-06-01'))).toEqual(['cancelled-later', 'completed-later', 'open-still']);
    expect(ids(teamActionsAsOn(rows, 'completed', '2026-06-01'))).toEqual(['completed-before']);
  });

  it('a completion after the due date is flagged as late', () => {
    const today = teamActionsAsOn(rows, 'completed', '2026-07-01');
    expect(today.find((v) => v.actionId === 'completed-later')).toMatchObject({ completedLate: true, completedOn: '2026-06-20' });
    expect(today.find((v) => v.actionId === 'completed-before')).toMatchObject({ completedLate: false });
  });
});
