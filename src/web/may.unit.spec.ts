import type { Principal, Role } from '../shared';
import { may, rolesOf } from './may';

const person = (role: Role, teamIds: string[] = [], userId = 'u-1'): Principal => ({
  userId,
  name: 'Someone',
  role,
  teamIds,
  tokenId: 'web-session',
});

describe('may(principal, route): the pages offer what the policy allows', () => {
  it('lets in the roles of the route’s rule and no others', () => {
    expect(may(person('qa-officer'), 'POST /api/v1/audits')).toBe(true);
    expect(may(person('iro'), 'POST /api/v1/audits')).toBe(false);
    expect(may(undefined, 'GET /api/v1/audits')).toBe(false);
  });

  it('holds a team-bound role to its own teams when the team is known', () => {
    const manager = person('team-manager', ['team-a']);
    const route = 'POST /api/v1/audits/:id/actions/:actionId/complete';
    expect(may(manager, route, { teamId: 'team-a' })).toBe(true);
    expect(may(manager, route, { teamId: 'team-b' })).toBe(false);
    expect(may(person('qa-officer'), route, { teamId: 'team-b' })).toBe(true);
  });

  it('holds an owner-bound role to the records it owns', () => {
    const route = 'POST /api/v1/actions/:id/progress';
    expect(may(person('team-manager'), route, { ownerId: 'u-1' })).toBe(true);
    expect(may(person('team-manager'), route, { ownerId: 'u-2' })).toBe(false);
    expect(may(person('improvement-lead'), route, { ownerId: 'u-2' })).toBe(true);
    expect(may(person('inspector'), route, { ownerId: 'u-1' })).toBe(false);
  });

  it('lists the roles of a route', () => {
    expect(rolesOf('POST /api/v1/audits/:id/moderation')).toEqual(['qa-officer', 'admin']);
  });
});
