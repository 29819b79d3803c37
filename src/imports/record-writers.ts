/**
 * THE ONE PLACE where imports reach the write path (and the few read models they consult).
 *
 * It calls the audits' use cases (AuditUseCases), the ones the API's controllers and the pages call,
 * with input validated by the API's own DTOs, so an import is one command per record through the
 * same look-ups, deciders and generic command handler as the API: no back door. Nothing else in
 * src/imports calls a use case, a decider or the CommandBus.
 */
import { Inject, Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { DomainError, NotFoundError } from '@casetrail/kernel';
import type { ProjectionRunner } from '@casetrail/projections';
import {
  type AuditRecordStep,
  type FrameworkDomain,
  type Grade,
  GradeDomainDto,
  StartAuditDto,
  SubmitAuditDto,
  AuditUseCases,
  FindProgrammeQuery,
  GetAuditQuery,
  GetCurrentFrameworkQuery,
  DEFAULT_FRAMEWORK_ID,
} from '../audits';
import { type CommandContext, deterministicUuid, APP_MODE, PROJECTION_RUNNER, type AppMode, fieldProblems } from '../core';
import { CodeParam, IndicatorUseCases, RecordMeasurementDto } from '../improvement';
import { ListUsersQuery, RegisterUserDto, UserUseCases } from '../users';
import type { IndicatorImportRow } from './indicator-rows';
import type { UserImportRow } from './user-rows';
import { FindTeamsQuery } from '../teams';
import type { AuditImportRow } from './audit-rows';

export interface CurrentFramework {
  frameworkId: string;
  version: number;
  domains: FrameworkDomain[];
}

/** What is already recorded for an audit the import would write. */
export interface RecordedAudit {
  status: string;
  overallGrade: string | null;
  grades: Record<string, Grade>;
}

/** A rule the record breaks, with the field it concerns (for the column of the error). */
export interface RecordProblem {
  field: string;
  message: string;
}

/** The audit an import row names: derived from case reference, team and audit date (its natural key). */
export const importedAuditId = (row: Pick<AuditImportRow, 'caseRef' | 'teamId' | 'auditedOn'>): string =>
  deterministicUuid('imported-audit', row.caseRef, row.teamId, row.auditedOn);

/** Which column a rule of the audit decider concerns. */
const AUDIT_RULE_FIELDS: Record<string, string> = {
  UNKNOWN_TEAM: 'teamId',
  TEAM_CLOSED: 'teamId',
  TEAM_NOT_IN_PROGRAMME: 'programmeId',
  UNKNOWN_PROGRAMME: 'programmeId',
  AUDITED_OUTSIDE_PROGRAMME: 'programmeId',
  BUSINESS_DATE_IN_FUTURE: 'auditedOn',
  DATE_OUT_OF_ORDER: 'submittedOn',
  LIMITING_DOMAIN_INADEQUATE: 'overallGrade',
  OVERALL_BETTER_THAN_DOMAINS: 'overallGrade',
  OVERALL_GRADE_REQUIRED: 'overallGrade',
};

/** The first failing field of a DTO, as the API's 400 would name it. */
function dtoProblem<T extends object>(
  cls: new () => T,
  input: Record<string, unknown>,
  field: string,
  fields: Record<string, string> = AUDIT_DTO_FIELDS,
): RecordProblem | null {
  const errors: ValidationError[] = validateSync(plainToInstance(cls, input), { whitelist: true, forbidNonWhitelisted: true });
  if (!errors.length) return null;
  const first = errors[0];
  return {
    field: fields[first.property] ?? field,
    // As the API says it: a field left empty says only "Enter …".
    message: fieldProblems([first])[0]?.problems[0] ?? 'is not valid',
  };
}
const AUDIT_DTO_FIELDS: Record<string, string> = {
  caseRef: 'caseRef',
  teamId: 'teamId',
  auditedOn: 'auditedOn',
  programmeId: 'programmeId',
  submittedOn: 'submittedOn',
  overallGrade: 'overallGrade',
  overallGradeReason: 'overallGradeReason',
  strengths: 'strengths',
  areasForDevelopment: 'areasForDevelopment',
};

/** Business time of a step: noon UTC on its day (London's same day all year), never later than now. */
export const businessInstant = (day: string, now = new Date()): string => {
  const noon = `${day}T12:00:00.000Z`;
  return new Date(noon) > now ? now.toISOString() : noon;
};

@Injectable()
export class RecordWriters {
  constructor(
    private readonly auditUseCases: AuditUseCases,
    private readonly indicatorUseCases: IndicatorUseCases,
    private readonly userUseCases: UserUseCases,
    private readonly queries: QueryBus,
    @Inject(PROJECTION_RUNNER) private readonly runner: ProjectionRunner,
    @Inject(APP_MODE) private readonly mode: AppMode,
  ) {}

  /**
   * The CLI runs no projections: before reading a view it just wrote to (the audit, for the
   * immediate-review facts of submit), bring that projection up to date. The server's runner
   * already waits for them after each command.
   */
  private async catchUp(names: string[]): Promise<void> {
    if (this.mode !== 'cli') return;
    await this.runner.catchUp(this.runner.projections.filter((p) => names.includes(p.name)));
  }

  /** Everything already recorded (the CLI's views may be behind the log). */
  async catchUpAll(): Promise<void> {
    if (this.mode === 'cli') await this.runner.catchUp();
  }

  // ---- look-ups --------------------------------------------------------------------------------------
  async currentFramework(): Promise<CurrentFramework | null> {
    const row = await this.queries.execute(new GetCurrentFrameworkQuery(DEFAULT_FRAMEWORK_ID));
    return row ? { frameworkId: row.frameworkId, version: row.version, domains: row.domains } : null;
  }

  async teamStatus(teamId: string): Promise<{ status: string } | null> {
    const [team] = await this.queries.execute(new FindTeamsQuery([teamId]));
    return team ? { status: team.status } : null;
  }

  async programme(programmeId: string): Promise<{ teamIds: string[]; from: string; to: string } | null> {
    return this.queries.execute(new FindProgrammeQuery(programmeId));
  }

  /** Every registered user (active or not: a historic audit's auditor may have left), for the Auditor column. */
  async users(): Promise<{ userId: string; name: string; role: string; teamIds: string[]; status: string }[]> {
    return this.queries.execute(new ListUsersQuery());
  }

  async recordedAudit(auditId: string, viewerId: string, today: string): Promise<RecordedAudit | null> {
    try {
      const audit = await this.queries.execute(new GetAuditQuery(auditId, viewerId, today));
      const grades: Record<string, Grade> = {};
      for (const [domain, g] of Object.entries(audit.grades ?? {})) grades[domain] = g.grade;
      return { status: audit.status, overallGrade: audit.overallGrade, grades };
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
  }

  // ---- audits ----------------------------------------------------------------------------------------
  private startBody(row: AuditImportRow): Record<string, unknown> {
    return {
      auditId: importedAuditId(row),
      caseRef: row.caseRef,
      teamId: row.teamId,
      auditedOn: row.auditedOn,
      ...(row.programmeId ? { programmeId: row.programmeId } : {}),
    };
  }

  private submitBody(row: AuditImportRow): Record<string, unknown> {
    return {
      overallGrade: row.overallGrade,
      submittedOn: row.submittedOn,
      strengths: row.strengths,
      areasForDevelopment: row.areasForDevelopment,
      ...(row.overallGradeReason ? { overallGradeReason: row.overallGradeReason } : {}),
    };
  }

  /**
   * Would this audit be accepted? The API's input validation, then the audits' own use cases, asked to
   * check the whole record (start, grade each domain, submit) without appending: the same look-ups,
   * commands and decider rules as writeAudit sends (AuditUseCases.checkRecord).
   */
  async checkAudit(
    row: AuditImportRow,
    context: (step: string, day: string) => CommandContext,
    auditorId?: string,
  ): Promise<RecordProblem | null> {
    const invalid =
      dtoProblem(StartAuditDto, this.startBody(row), '') ??
      Object.entries(row.grades)
        .map(([domain, grade]) =>
          dtoProblem(
            GradeDomainDto,
            { domain, grade, ...(row.evidence[domain] ? { evidence: row.evidence[domain] } : {}) },
            `domain:${domain}`,
          ),
        )
        .find((p) => p !== null) ??
      dtoProblem(SubmitAuditDto, this.submitBody(row), '');
    if (invalid) return invalid;
    const problem = await this.auditUseCases.checkRecord(
      {
        start: plainToInstance(StartAuditDto, this.startBody(row)) as StartAuditDto & { auditId: string },
        grades: this.gradeBodies(row),
        submit: plainToInstance(SubmitAuditDto, this.submitBody(row)),
      },
      (step) => this.stepContext(row, step, context),
      { ...(auditorId ? { auditorId } : {}) },
    );
    if (!problem) return null;
    const field = problem.step.kind === 'grade' ? `domain:${problem.step.domain}` : (AUDIT_RULE_FIELDS[problem.error.code] ?? '');
    return { field, message: problem.error.message };
  }

  private gradeBodies(row: AuditImportRow): GradeDomainDto[] {
    return Object.entries(row.grades).map(([domain, grade]) =>
      plainToInstance(GradeDomainDto, { domain, grade, ...(row.evidence[domain] ? { evidence: row.evidence[domain] } : {}) }),
    );
  }

  /** Each step's context: its command id suffix and business day (the same in the check and the write). */
  private stepContext(
    row: AuditImportRow,
    step: AuditRecordStep,
    context: (step: string, day: string) => CommandContext,
  ): CommandContext {
    if (step.kind === 'start') return context('', row.auditedOn);
    if (step.kind === 'grade') return context(`:grade:${step.domain}`, row.auditedOn);
    return context(':submit', row.submittedOn);
  }

  /**
   * Records the audit: start, grade each domain, submit, each a command of its own whose id
   * (`<base>`, `<base>:grade:<domain>`, `<base>:submit`) makes a repeat append nothing.
   */
  async writeAudit(
    row: AuditImportRow,
    context: (step: string, day: string) => CommandContext,
    auditorId?: string,
  ): Promise<string> {
    const audits = this.auditUseCases;
    const start = plainToInstance(StartAuditDto, this.startBody(row));
    const { auditId } = await audits.start(start, this.stepContext(row, { kind: 'start' }, context), {
      ...(auditorId ? { auditorId } : {}),
    });
    for (const body of this.gradeBodies(row)) {
      await audits.grade({ id: auditId }, body, this.stepContext(row, { kind: 'grade', domain: body.domain }, context));
    }
    await this.catchUp(['audits']);
    await audits.submit(
      { id: auditId },
      plainToInstance(SubmitAuditDto, this.submitBody(row)),
      this.stepContext(row, { kind: 'submit' }, context),
    );
    return auditId;
  }

  // ---- indicator values ------------------------------------------------------------------------------
  /** The values recorded for an indicator, by team ('*' council-wide) and period; null when it is not defined. */
  async recordedMeasurements(
    code: string,
  ): Promise<Map<string, { value: number; numerator: number | null; denominator: number | null }> | null> {
    try {
      const detail = await this.indicatorUseCases.get({ code });
      return new Map(detail.measurements.map((m) => [measurementKey(m.teamId, m.period), m]));
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
  }

  private measurementBody(row: IndicatorImportRow): Record<string, unknown> {
    const { teamId, period, value, numerator, denominator, note } = row;
    return { teamId, period, value, numerator, denominator, note };
  }

  /** Would this value be recorded? The API's validation, then the indicators' use case checking the command (nothing appended). */
  async checkMeasurement(row: IndicatorImportRow, context: CommandContext): Promise<RecordProblem | null> {
    const body = JSON.parse(JSON.stringify(this.measurementBody(row))) as Record<string, unknown>;
    const invalid =
      dtoProblem(CodeParam, { code: row.code }, 'code', INDICATOR_DTO_FIELDS) ??
      dtoProblem(RecordMeasurementDto, body, '', INDICATOR_DTO_FIELDS);
    if (invalid) return invalid;
    return this.ruled(
      () => this.indicatorUseCases.checkRecord({ code: row.code }, plainToInstance(RecordMeasurementDto, body), context),
      INDICATOR_RULE_FIELDS,
    );
  }

  async writeMeasurement(row: IndicatorImportRow, context: CommandContext): Promise<void> {
    const body = JSON.parse(JSON.stringify(this.measurementBody(row))) as Record<string, unknown>;
    await this.indicatorUseCases.record({ code: row.code }, plainToInstance(RecordMeasurementDto, body), context);
  }

  // ---- users -----------------------------------------------------------------------------------------
  /** Would this user be registered? The API's validation, then the users' use case checking the command (nothing appended). */
  async checkUser(row: UserImportRow, context: CommandContext): Promise<RecordProblem | null> {
    const body = { name: row.name, role: row.role, teamIds: row.teamIds };
    const invalid = dtoProblem(RegisterUserDto, body, '', USER_DTO_FIELDS);
    if (invalid) return invalid;
    return this.ruled(() => this.userUseCases.checkRegister(plainToInstance(RegisterUserDto, body), context), USER_RULE_FIELDS);
  }

  /** Registers the user with no token and no password. */
  async writeUser(row: UserImportRow, context: CommandContext): Promise<void> {
    const body = plainToInstance(RegisterUserDto, { name: row.name, role: row.role, teamIds: row.teamIds });
    await this.userUseCases.register(body, context);
  }

  /** A typed error of a use case's check, as the row's problem in the column its rule concerns. */
  private async ruled(check: () => Promise<void>, fields: Record<string, string>): Promise<RecordProblem | null> {
    try {
      await check();
      return null;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return { field: fields[error.code] ?? '', message: error.message };
    }
  }
}

/** The key of a recorded measurement: its team ('*' council-wide) and period. */
export const measurementKey = (teamId: string | null | undefined, period: string): string => `${teamId ?? '*'}\u0000${period}`;

const INDICATOR_RULE_FIELDS: Record<string, string> = {
  INDICATOR_NOT_FOUND: 'code',
  PERCENT_OUT_OF_RANGE: 'value',
  PERIOD_DOES_NOT_MATCH_FREQUENCY: 'period',
  PERIOD_NOT_STARTED: 'period',
  MEASUREMENT_ALREADY_RECORDED: 'period',
  RATIO_INCOMPLETE: 'numerator',
  VALUE_DISAGREES_WITH_RATIO: 'value',
  MEASUREMENT_TEAM_UNKNOWN: 'teamId',
};
const USER_RULE_FIELDS: Record<string, string> = { UNKNOWN_TEAMS: 'teamIds' };
const INDICATOR_DTO_FIELDS: Record<string, string> = Object.fromEntries(
  ['code', 'teamId', 'period', 'value', 'numerator', 'denominator', 'note'].map((f) => [f, f]),
);
const USER_DTO_FIELDS: Record<string, string> = { name: 'name', role: 'role', teamIds: 'teamIds' };
