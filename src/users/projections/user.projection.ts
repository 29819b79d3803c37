import { ApiProperty } from '@nestjs/swagger';
import { Column, Entity, Index, PrimaryColumn, type EntityManager } from 'typeorm';
import { updateRows, type Projection } from '@casetrail/projections';
import { ROLES, type Role } from '../../shared';
import type { UserEvent } from '../users.events';

@Entity({ name: 'users' })
export class UserRow {
  @ApiProperty() @PrimaryColumn({ type: 'varchar', length: 36 }) userId!: string;
  @ApiProperty() @Column({ type: 'varchar', length: 100 }) name!: string;
  @ApiProperty({ enum: ROLES }) @Column({ type: 'varchar', length: 20 }) role!: Role;
  @ApiProperty({ type: [String] }) @Column({ type: 'simple-json' }) teamIds!: string[];
  @ApiProperty({ enum: ['active', 'deactivated'] }) @Column({ type: 'varchar', length: 12 }) status!: 'active' | 'deactivated';
  @ApiProperty() @Column({ type: 'varchar', length: 30 }) registeredAt!: string;
  @ApiProperty({ nullable: true, type: String }) @Column({ type: 'varchar', length: 30, nullable: true }) deactivatedAt!:
    string | null;
  /**
   * Goes up whenever all of the user's web sessions must end: sign-out, a new password,
   * deactivation. A session cookie carries the number it was signed in under; any other number is
   * no session (see WebSessionMiddleware).
   */
  @Column({ type: 'integer', default: 0 }) sessionVersion!: number;
}

/** Only the hash of each personal access token; the token itself is never stored. */
@Entity({ name: 'user_tokens' })
export class UserTokenRow {
  @ApiProperty() @PrimaryColumn({ type: 'varchar', length: 36 }) tokenId!: string;
  @ApiProperty() @Index() @Column({ type: 'varchar', length: 36 }) userId!: string;
  @Index({ unique: true }) @Column({ type: 'varchar', length: 64 }) tokenHash!: string;
  @ApiProperty() @Column({ type: 'varchar', length: 100 }) label!: string;
  @ApiProperty() @Column({ type: 'varchar', length: 30 }) issuedAt!: string;
  @ApiProperty() @Column({ type: 'varchar', length: 30 }) expiresAt!: string;
  @ApiProperty({ nullable: true, type: String }) @Column({ type: 'varchar', length: 30, nullable: true }) revokedAt!:
    string | null;
  @ApiProperty({ nullable: true, type: String }) @Column({ type: 'varchar', length: 500, nullable: true }) revokedReason!:
    string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The last day the token was used.' })
  @Column({ type: 'varchar', length: 10, nullable: true })
  lastUsedOn!: string | null;
  @ApiProperty({ type: [String], description: 'Every day the token was used, oldest first.' })
  @Column({ type: 'simple-json', default: '[]' })
  usedOn!: string[];
}

/** Web sign-in: one username and password hash per user. Kept apart from UserRow so no user listing can show a hash. */
@Entity({ name: 'user_credentials' })
export class UserCredentialRow {
  @PrimaryColumn({ type: 'varchar', length: 36 }) userId!: string;
  @Index({ unique: true }) @Column({ type: 'varchar', length: 60 }) username!: string;
  @Column({ type: 'varchar', length: 200 }) passwordHash!: string;
  @Column({ type: 'varchar', length: 30 }) setAt!: string;
}

export const usersProjection: Projection = {
  name: 'users',
  // 2: user_credentials (web sign-in). 3: users.sessionVersion.
  version: 3,
  filter: { streamPrefixes: ['user-'] },
  entities: [UserRow, UserTokenRow, UserCredentialRow],
  async apply(recorded, manager) {
    const event = recorded as unknown as UserEvent;
    const at = recorded.metadata.occurredAt;
    switch (event.type) {
      case 'UserRegistered':
        await manager.insert(UserRow, {
          ...event.data,
          status: 'active',
          registeredAt: at,
          deactivatedAt: null,
          sessionVersion: 0,
        });
        return;
      case 'UserTeamsChanged':
        await updateRows(manager, UserRow, { userId: event.data.userId }, { teamIds: event.data.teamIds });
        return;
      case 'UserTokenIssued': {
        const { tokenId, userId, tokenHash, label, expiresAt } = event.data;
        await manager.insert(UserTokenRow, {
          tokenId,
          userId,
          tokenHash,
          label,
          expiresAt,
          issuedAt: at,
          revokedAt: null,
          revokedReason: null,
          lastUsedOn: null,
          usedOn: [],
        });
        return;
      }
      case 'UserTokenRevoked':
        await updateRows(
          manager,
          UserTokenRow,
          { tokenId: event.data.tokenId },
          { revokedAt: at, revokedReason: event.data.reason },
        );
        return;
      case 'PersonalAccessTokenUsed': {
        const token = await manager.findOne(UserTokenRow, { where: { tokenId: event.data.tokenId }, select: ['usedOn'] });
        if (!token) return;
        await updateRows(
          manager,
          UserTokenRow,
          { tokenId: event.data.tokenId },
          { lastUsedOn: event.data.on, usedOn: [...token.usedOn, event.data.on] },
        );
        return;
      }
      case 'UserDeactivated':
        await updateRows(manager, UserRow, { userId: event.data.userId }, { status: 'deactivated', deactivatedAt: at });
        await endSessions(manager, event.data.userId);
        return;
      case 'UserSessionsEnded':
        await endSessions(manager, event.data.userId);
        return;
      case 'UserPasswordSet': {
        const { userId, username, passwordHash } = event.data;
        // A new password may come with a new username: replace the user's one row.
        await manager.delete(UserCredentialRow, { userId });
        await manager.insert(UserCredentialRow, { userId, username, passwordHash, setAt: at });
        await endSessions(manager, userId);
        return;
      }
    }
  },
};

/** Every web session the user has ends: their cookies carry the old number. */
async function endSessions(manager: EntityManager, userId: string): Promise<void> {
  await manager.increment(UserRow, { userId }, 'sessionVersion', 1);
}
