/**
 * The framework's floor for the command rows: the same three requests (start an audit, grade a
 * domain, submit) through NestJS 11 on Express with helmet, the JSON body parser and Casetrail's
 * own validation pipe and DTOs, answered at once with nothing decided, stored or projected. What
 * Casetrail spends per command above this is its own; this much no change inside Casetrail can
 * remove without leaving the framework.
 *
 * Beside it, the floor without the framework (startBareFloor): the same requests on a bare
 * `node:http` server that still sets helmet's headers, parses the JSON body and runs the same
 * validation pipe and DTOs. The two floors' difference is what leaving NestJS and Express for the
 * command path could save at most.
 *
 * The bench runs both in a child process of their own (startFloorsInChild): in the bench's process,
 * beside the Casetrail server and its heap, the same floors cost about twice the CPU per request, which
 * would be counted as the framework's.
 */
import { Body, Controller, HttpCode, Module, Param, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { randomUUID } from 'node:crypto';
import { fork } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
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

const ROUTES: { pattern: RegExp; dto: new () => object; answer: (match: RegExpExecArray) => { auditId: string } }[] = [
  { pattern: /^\/api\/v1\/audits$/, dto: StartAuditDto, answer: () => ({ auditId: randomUUID() }) },
  { pattern: /^\/api\/v1\/audits\/([^/]+)\/grades$/, dto: GradeDomainDto, answer: (m) => ({ auditId: m[1] }) },
  { pattern: /^\/api\/v1\/audits\/([^/]+)\/submit$/, dto: SubmitAuditDto, answer: (m) => ({ auditId: m[1] }) },
];

/** The same three routes on a bare `node:http` server: helmet's headers, JSON body, the same validation; nothing else. */
export async function startBareFloor(): Promise<{ port: number; close(): Promise<void> }> {
  const pipe = validationPipe();
  const headers = helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } });
  const send = (res: ServerResponse, status: number, body: unknown): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const route = req.method === 'POST' ? ROUTES.find((r) => r.pattern.test(req.url ?? '')) : undefined;
    const match = route?.pattern.exec(req.url ?? '');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (!route || !match) return send(res, 404, { message: 'Not found' });
    try {
      await pipe.transform(JSON.parse(Buffer.concat(chunks).toString('utf8')), { type: 'body', metatype: route.dto });
      send(res, 201, route.answer(match));
    } catch {
      send(res, 400, { message: 'Invalid input' });
    }
  };
  const server = createServer((req, res) => headers(req, res, () => void handle(req, res)));
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Both floors in a child process: their ports, and the child's CPU seconds so far (to add to the load loop's). */
export async function startFloorsInChild(): Promise<{
  nestPort: number;
  barePort: number;
  cpuSeconds(): Promise<number>;
  close(): Promise<void>;
}> {
  const child = fork(__filename, ['--floors-child'], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = <T>(): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      child.once('message', (m) => resolve(m as T));
      child.once('exit', (code) => reject(new Error(`the floors' process ended (${code})`)));
    });
  const { nestPort, barePort } = await next<{ nestPort: number; barePort: number }>();
  return {
    nestPort,
    barePort,
    async cpuSeconds() {
      const answer = next<{ cpu: NodeJS.CpuUsage }>();
      child.send('cpu');
      const { cpu } = await answer;
      return (cpu.user + cpu.system) / 1e6;
    },
    async close() {
      const ended = new Promise((resolve) => child.once('exit', resolve));
      child.send('close');
      await ended;
    },
  };
}

if (process.argv.includes('--floors-child')) {
  void (async () => {
    const [nest, bare] = await Promise.all([startNestFloor(), startBareFloor()]);
    process.on('message', (m) => {
      if (m === 'cpu') process.send!({ cpu: process.cpuUsage() });
      if (m === 'close') void Promise.all([nest.close(), bare.close()]).then(() => process.exit(0));
    });
    process.send!({ nestPort: nest.port, barePort: bare.port });
  })();
}
