export const ROLES = ['qa-officer', 'iro', 'team-manager', 'improvement-lead', 'inspector', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The authenticated caller. Every event's actor comes from here, never from a request body. */
export interface Principal {
  userId: string;
  name: string;
  role: Role;
  teamIds: string[];
  tokenId: string;
}
