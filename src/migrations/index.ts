import type { MigrationInterface } from 'typeorm';
import { Initial1795309503762 } from './1795309503762-Initial';
import { UserCredentials1795310708965 } from './1795310708965-UserCredentials';
import { TokenUse1795310872693 } from './1795310872693-TokenUse';
import { AuditActionsByTeamAndStatus1795322722756 } from './1795322722756-AuditActionsByTeamAndStatus';
import { IdempotencyKeys1795323098308 } from './1795323098308-IdempotencyKeys';
import { BankHolidays1795330000000 } from './1795330000000-BankHolidays';
import { ImmediateReviewAnswer1795400000000 } from './1795400000000-ImmediateReviewAnswer';
import { UserSessionVersion1795400000001 } from './1795400000001-UserSessionVersion';
import { ActionCompletions1796455178067 } from './1796455178067-ActionCompletions';
import { SelfAssessmentDecimalScore1796457253477 } from './1796457253477-SelfAssessmentDecimalScore';
import { AuditGrades1797200000000 } from './1797200000000-AuditGrades';
import { PlanRagSettingsAndAgencies1797300000001 } from './1797300000001-PlanRagSettingsAndAgencies';
import { IndicatorBandsComparatorsTeamTargets1797300000002 } from './1797300000002-IndicatorBandsComparatorsTeamTargets';
import { ImpactLinksAndSelfAssessmentSources1798300000000 } from './1798300000000-ImpactLinksAndSelfAssessmentSources';
import { ActionAnswersSeveralFindings1799700000000 } from './1799700000000-ActionAnswersSeveralFindings';
import { AuditActionRevisions1799950000000 } from './1799950000000-AuditActionRevisions';
import { DisputeProtocolSnapshots1799950000001 } from './1799950000001-DisputeProtocolSnapshots';
import { AuditGradesOpenVersion1800000100000 } from './1800000100000-AuditGradesOpenVersion';
import { AuditGradesCoveringIndex1800000500000 } from './1800000500000-AuditGradesCoveringIndex';

/**
 * Versioned schema of the PostgreSQL read database, oldest first. Generate a new one with
 * `npm run migration:generate -- Name` whenever a projection entity changes; a test fails
 * when the entities and the migrations disagree. (The embedded SQLite read database is
 * disposable and still uses TypeORM synchronize.)
 */
export const ALL_MIGRATIONS: (new () => MigrationInterface)[] = [
  Initial1795309503762,
  UserCredentials1795310708965,
  TokenUse1795310872693,
  AuditActionsByTeamAndStatus1795322722756,
  IdempotencyKeys1795323098308,
  BankHolidays1795330000000,
  ImmediateReviewAnswer1795400000000,
  UserSessionVersion1795400000001,
  ActionCompletions1796455178067,
  SelfAssessmentDecimalScore1796457253477,
  AuditGrades1797200000000,
  PlanRagSettingsAndAgencies1797300000001,
  IndicatorBandsComparatorsTeamTargets1797300000002,
  ImpactLinksAndSelfAssessmentSources1798300000000,
  ActionAnswersSeveralFindings1799700000000,
  AuditActionRevisions1799950000000,
  DisputeProtocolSnapshots1799950000001,
  AuditGradesOpenVersion1800000100000,
  AuditGradesCoveringIndex1800000500000,
];
