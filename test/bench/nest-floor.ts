/**
 * The framework's floor for the command rows: the same three requests (start an audit, grade a
 * domain, submit) through NestJS 11 on Express with helmet, the JSON body parser and Casetrail's
 * own validation pipe and DTOs, answered at once with nothing decided, stored or projected. What
 * Casetrail spends per command above this is its own; this much no change inside Casetrail can
 * remove without leaving the framework.
 */
import { Body, Controller, HttpCode, Module, Param, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { GradeDomainDto, StartAuditDto, SubmitAuditDto } from '../../src/audits/audits.dto';
import { BODY_LIMIT, validationPipe } from '../../src/core/http-errors';

@Controller('api/v1/audits')
class FloorController {
  @Post()
  @HttpCode(201)
  start(@Body() _body: StartAuditDto): { auditId: string } {
    return { auditId: randomUUID() };
  }

  @Post(':auditId/grades')
  @HttpCode(201)
  grade(@Param('auditId') auditId: string, @Body() _body: GradeDomainDto): { auditId: string } {
    return { auditId };
  }

  @Post(':auditId/submit')
  @HttpCode(201)
  submit(@Param('auditId') auditId: string, @Body() _body: SubmitAuditDto): { auditId: string } {
    return { auditId };
  }
}

@Module({ controllers: [FloorController] })
class FloorModule {}

/** Starts the floor server on a free port of 127.0.0.1; `close` stops it. */
export async function startNestFloor(): Promise<{ port: number; close(): Promise<void> }> {
  const app = await NestFactory.create<NestExpressApplication>(FloorModule, { logger: false, bodyParser: false });
  app.disable('x-powered-by');
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.useGlobalPipes(validationPipe());
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  return { port, close: () => app.close() };
}
