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
import { DomainError, NotFoundError, fold, type WorkingDayCalendar } from '@casetrail/kernel';
import type { ProjectionRunner } from '@casetrail/projections';
import {
  auditDecider,
  type AuditCommand,
  type AuditEvent,
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
import { CurrentCalendarQuery } from '../calendar';
import { type CommandContext, deterministicUuid, APP_MODE, PROJECTION_RUNNER, type AppMode, fieldProblems } from '../core';
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
function dtoProblem<T extends object>(cls: new () => T, input: Record<string, unknown>, field: string): RecordProblem | null {
  const errors: ValidationError[] = validateSync(plainToInstance(cls, input), { whitelist: true, forbidNonWhitelisted: true });
  if (!errors.length) return null;
  const first = errors[0];
  return {
    field: AUDIT_DTO_FIELDS[first.property] ?? field,
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

  calendar(): Promise<WorkingDayCalendar> {
    return this.queries.execute(new CurrentCalendarQuery());
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
   * Would this audit be accepted? The API's input validation, then the audit decider itself on the
   * commands the import would send (start, grade each domain, submit): the same rules, nothing appended.
   */
  async checkAudit(
    row: AuditImportRow,
    facts: { framework: CurrentFramework | null; calendar: WorkingDayCalendar },
    now: Date,
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
    const auditId = importedAuditId(row);
    const team = await this.teamStatus(row.teamId);
    const programme = row.programmeId ? await this.programme(row.programmeId) : null;
    const { framework } = facts;
    const commands: AuditCommand[] = [
      {
        type: 'StartCaseAudit',
        now: businessInstant(row.auditedOn, now),
        auditId,
        caseRef: row.caseRef,
        teamId: row.teamId,
        auditorId: 'import-check',
        auditedOn: row.auditedOn,
        team,
        framework: framework
          ? {
              frameworkId: framework.frameworkId,
              version: framework.version,
              domains: framework.domains.map((d) => d.key),
              limitingDomains: framework.domains.filter((d) => d.limiting).map((d) => d.key),
            }
          : null,
        ...(row.programmeId ? { programmeId: row.programmeId, programme } : {}),
      } as AuditCommand,
      ...Object.entries(row.grades).map(([domain, grade]): AuditCommand => ({
        type: 'GradeDomain',
        now: businessInstant(row.auditedOn, now),
        auditId,
        domain,
        grade,
        evidence: row.evidence[domain] ?? '',
      })),
      {
        type: 'SubmitAudit',
        now: businessInstant(row.submittedOn, now),
        auditId,
        submittedOn: row.submittedOn,
        overallGrade: row.overallGrade,
        strengths: row.strengths,
        areasForDevelopment: row.areasForDevelopment,
        ...(row.overallGradeReason ? { overallGradeReason: row.overallGradeReason } : {}),
        teamManagerId: null,
        immediateReviewActionId: deterministicUuid('import-check', auditId),
        calendar: facts.calendar,
      } as AuditCommand,
    ];
    const history: AuditEvent[] = [];
    for (const command of commands) {
      try {
        history.push(...(auditDecider.decide(command, fold(auditDecider, history)) as AuditEvent[]));
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        const field = command.type === 'GradeDomain' ? `domain:${command.domain}` : (AUDIT_RULE_FIELDS[error.code] ?? '');
        return { field, message: error.message };
      }
    }
    return null;
  }

  /**
   * Records the audit: start, grade each domain, submit, each a command of its own whose id
   * (`<base>`, `<base>:grade:<domain>`, `<base>:submit`) makes a repeat append nothing.
   */
  async writeAudit(row: AuditImportRow, context: (step: string, day: string) => CommandContext): Promise<string> {
    const audits = this.auditUseCases;
    const start = plainToInstance(StartAuditDto, this.startBody(row));
    const { auditId } = await audits.start(start, context('', row.auditedOn));
    for (const [domain, grade] of Object.entries(row.grades)) {
      const body = plainToInstance(GradeDomainDto, {
        domain,
        grade,
        ...(row.evidence[domain] ? { evidence: row.evidence[domain] } : {}),
      });
      await audits.grade({ id: auditId }, body, context(`:grade:${domain}`, row.auditedOn));
    }
    await this.catchUp(['audits']);
    await audits.submit(
      { id: auditId },
      plainToInstance(SubmitAuditDto, this.submitBody(row)),
      context(':submit', row.submittedOn),
    );
    return auditId;
  }
}
