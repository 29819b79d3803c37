import {
  applyDecorators,
  Controller,
  createParamDecorator,
  Get,
  Inject,
  Injectable,
  Param,
  Post,
  UseFilters,
  type ExecutionContext,
  type PipeTransform,
  type Type,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { QueryBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import type { Principal } from '../shared';
import { contextFromRequest, type CommandContext, InvalidInputException } from '../core';
import { ListUsersQuery } from '../users';
import { PageUseCases } from './use-cases';
import { fieldIdOf, noProblems, problemsFrom, reworded, validated, type FormProblems, type ProblemOptions } from './forms';
import type { SignedIn } from './page-helpers';
import { may, ruleOf, type About, type PolicyRoute } from './may';
import { recordScope } from './web-request';
import { WebErrorFilter } from './web-errors.filter';
import { WebViews } from './web-views';

/**
 * The page kit: what every page controller says the same way. A page handler takes `@PageIn() page`
 * (the request, the response, who is signed in, the command context), its route input through the
 * global validation pipe (`@Param() params: SomeDto`) and its form through `@Form(Dto, shape)`; it
 * renders with `render` (400 when there are problems) and posts with `submit` (303, or the same page
 * again with the problems and the input kept).
 */
export { may, rolesOf } from './may';

/** A page controller at `path`: not in the API's docs, and its errors shown as pages (WebErrorFilter). */
export const PageController = (path?: string): ClassDecorator =>
  applyDecorators(ApiExcludeController(), UseFilters(WebErrorFilter), path === undefined ? Controller() : Controller(path));

export class Page {
  constructor(
    readonly request: SignedIn,
    readonly response: Response,
  ) {}
  get principal(): Principal {
    return this.request.principal;
  }
  /** The command context of this request: the actor is the signed-in user. */
  get context(): CommandContext {
    return contextFromRequest(this.request);
  }
  /** What a list may show (the team scope AuthGuard left on the request). */
  get scope(): { teamIds: string[]; ownerId?: string } | null {
    return recordScope(this.request);
  }
  get query(): Record<string, unknown> {
    return this.request.query as Record<string, unknown>;
  }
  get body(): Record<string, unknown> {
    return this.request.body ?? {};
  }
  /** Which of a handler's addresses was asked for: the last part of its route ("escalate" of /disputes/:id/escalate). */
  get routeEnd(): string {
    const path = (this.request.route as { path?: string } | undefined)?.path ?? '';
    return path.slice(path.lastIndexOf('/') + 1);
  }
  /** What a form just did (?done=added after its redirect), for the page's banner; a re-shown form has none. */
  get done(): string | undefined {
    const done = this.request.query.done;
    return this.request.method === 'GET' && typeof done === 'string' ? done : undefined;
  }
  /** A one-word query flag such as ?created=1. */
  flag(name: string): boolean {
    return this.request.query[name] === '1';
  }
  may(route: PolicyRoute, about: About = {}): boolean {
    return may(this.principal, route, about);
  }
  /** Does the route's limit (own teams, owner, self) bind this person's role? */
  limited(route: PolicyRoute): boolean {
    const rule = ruleOf(route);
    return 'roles' in rule && rule.roles.includes(this.principal.role) && Boolean(rule.limit?.for.includes(this.principal.role));
  }
}

export const PageIn = createParamDecorator(
  (_: unknown, context: ExecutionContext) =>
    new Page(context.switchToHttp().getRequest<SignedIn>(), context.switchToHttp().getResponse<Response>()),
);

/** A form's input: what was typed (kept for the page), and the DTO the API's own pipe made of it, or why it could not. */
export interface Input<T> {
  values: Record<string, unknown>;
  dto: T | null;
  error: unknown;
}

class InputPipe<T extends object> implements PipeTransform {
  constructor(
    private readonly dto: Type<T>,
    private readonly shape: (raw: Record<string, unknown>) => Record<string, unknown>,
    private readonly toDto: (values: Record<string, unknown>) => Record<string, unknown>,
  ) {}
  async transform(raw: unknown): Promise<Input<T>> {
    const values = this.shape((raw ?? {}) as Record<string, unknown>);
    try {
      return { values, dto: await validated(this.dto, this.toDto(values)), error: null };
    } catch (error) {
      return { values, dto: null, error };
    }
  }
}

/**
 * A form (or a list's query string) as a pipe: `shape` picks what was typed (kept for the page), `toDto`
 * (when the DTO's fields differ from the form's) makes the DTO's input, validated by the API's pipe.
 */
export const inputPipe = <T extends object>(
  dto: Type<T>,
  shape: (raw: Record<string, unknown>) => Record<string, unknown>,
  toDto: (values: Record<string, unknown>) => Record<string, unknown> = (values) => values,
) => new InputPipe(dto, shape, toDto);

/** Like inputPipe, but invalid input is the error page's (400): for CSVs and a record's route input. */
export const checkedPipe = <T extends object>(
  dto: Type<T>,
  shape: (raw: Record<string, unknown>) => Record<string, unknown>,
) => ({
  transform: async (raw: unknown): Promise<T> => validated(dto, shape((raw ?? {}) as Record<string, unknown>)),
});

/** Display names for ids: users, teams and the like, read once per page. */
@Injectable()
export class Names {
  constructor(
    private readonly queries: QueryBus,
    private readonly useCases: PageUseCases,
  ) {}

  async users(): Promise<Lookup> {
    const users = await this.queries.execute(new ListUsersQuery());
    return lookup(users.map((u) => [u.userId, u.name]));
  }

  /** Every user, as registered (for a filter of who did something). */
  all() {
    return this.queries.execute(new ListUsersQuery());
  }

  /** Active users by name: the people a form may choose (an owner, a moderator). */
  async activeUsers(byName = true) {
    const users = (await this.queries.execute(new ListUsersQuery())).filter((u) => u.status === 'active');
    return byName ? users.sort((a, b) => a.name.localeCompare(b.name)) : users;
  }

  async teams(): Promise<Lookup> {
    const teams = await this.useCases.teams.list({ includeClosed: 'true' });
    return lookup(teams.map((t) => [t.teamId, t.name]));
  }
}

/** id -> name, or the id itself when there is no name. */
export type Lookup = ((id: string) => string) & { map: Map<string, string> };
export const lookup = (entries: Iterable<readonly [string, string]>): Lookup => {
  const map = new Map(entries);
  return Object.assign((id: string) => map.get(id) ?? id, { map });
};

export interface SubmitOptions<T, R> extends ProblemOptions {
  /** Calls the API with the valid input. */
  send: (dto: T, context: CommandContext) => Promise<R>;
  /** Where to go after: the record (with its success banner). */
  to: (result: R) => string;
  /** The same page again, with the problems and the input kept. */
  show: (problems: FormProblems) => Promise<void>;
  /** The page's words for the validator's messages about a field. */
  reword?: Record<string, string>;
}
type ProblemWords = ProblemOptions & Pick<SubmitOptions<unknown, unknown>, 'reword'>;

type Values = Record<string, unknown>;

/**
 * One form of a record, as a row of the page's table of forms: how its input is read, the use case it
 * calls with the route's `params`, where it goes after (`done`: the record's banner, or an address of
 * the result) and the words of its problems. `form(row)` makes it a `PageForm` that `Pages.runForm` runs.
 */
export interface FormRow<P, T, R> extends ProblemWords {
  input: { transform(raw: unknown): Promise<Input<T>> };
  send: (useCases: PageUseCases, dto: T, context: CommandContext, params: P, page: Page) => Promise<R>;
  done: string | ((result: R) => string);
}
/** A form's post: where to go after, or the input kept and its problems. */
export type Posted = { to: string } | { values: Values; problems: FormProblems };
/** A form row with its DTO's type inside, so that one table holds the forms of many DTOs. */
export type PageForm<P> = (useCases: PageUseCases, page: Page, params: P, back: (done: string) => string) => Promise<Posted>;

export const form =
  <P, T, R>(row: FormRow<P, T, R>): PageForm<P> =>
  async (useCases, page, params, back) => {
    const input = await row.input.transform(page.body);
    const sent = await attempt(input, (dto) => row.send(useCases, dto, page.context, params, page), row);
    if ('problems' in sent) return { values: input.values, problems: sent.problems };
    return { to: typeof row.done === 'string' ? back(row.done) : row.done(sent.result) };
  };

/** The use case with valid input: its result, or the problems of the input or of the command in the page's words. */
async function attempt<T, R>(
  input: Input<T>,
  send: (dto: T) => Promise<R>,
  words: ProblemWords,
): Promise<{ result: R } | { problems: FormProblems }> {
  let error = input.error;
  if (input.dto) {
    try {
      return { result: await send(input.dto) };
    } catch (thrown) {
      error = thrown;
    }
  }
  return { problems: problemsOf(error, words) };
}

/** The problems of a failed input or command, in the page's words; anything not the user's to fix is rethrown. */
export function problemsOf(error: unknown, options: ProblemWords = {}): FormProblems {
  if (!error) return noProblems();
  const problems = problemsFrom(error, options);
  if (options.reword && error instanceof InvalidInputException) reworded(problems, options.reword, fieldIdOf(options));
  const names = options.rename ?? {};
  const errors = Object.entries(problems.errors).map(([field, text]) => [names[field] ?? field, text]);
  return { errors: Object.fromEntries(errors), errorList: problems.errorList };
}

/** The base of every page controller: the views, the API's controllers, the names. */
export abstract class Pages {
  @Inject(WebViews) protected readonly views!: WebViews;
  @Inject(PageUseCases) protected readonly useCases!: PageUseCases;
  @Inject(Names) protected readonly names!: Names;
  @Inject(QueryBus) protected readonly queries!: QueryBus;

  /** Sends a page; with problems, at status 400 and with the error summary. */
  protected render(page: Page, template: string, context: Record<string, unknown>, problems = noProblems()): void {
    this.views.send(page.request, page.response, template, { ...context, ...problems }, problems.errorList.length ? 400 : 200);
  }

  /** A read with a query's input (a list's filters): its result, or `empty` and why (for `problems`: the input's or the read's). */
  protected async read<T, R>(input: Input<T>, read: (dto: T) => Promise<R>, empty: R): Promise<{ result: R; error: unknown }> {
    if (!input.dto) return { result: empty, error: input.error };
    try {
      return { result: await read(input.dto), error: null };
    } catch (error) {
      return { result: empty, error };
    }
  }

  /** validate -> call -> 303 to the record, or the same page again with the problems (400). */
  protected async submit<T, R>(page: Page, input: Input<T>, options: SubmitOptions<T, R>): Promise<void> {
    const sent = await attempt(input, (dto) => options.send(dto, page.context), options);
    if ('problems' in sent) return options.show(sent.problems);
    page.response.redirect(303, options.to(sent.result));
  }

  /** One form of the page's table: 303 to `back(done)` (or the result's address), or `show` the input again with its problems. */
  protected async runForm<P>(
    page: Page,
    form: PageForm<P>,
    params: P,
    back: (done: string) => string,
    show: (values: Values, problems: FormProblems) => Promise<void>,
  ): Promise<void> {
    const posted = await form(this.useCases, page, params, back);
    if ('to' in posted) return page.response.redirect(303, posted.to);
    await show(posted.values, posted.problems);
  }

  /** The problems of a failed input or command, in the page's words; anything not the user's to fix is rethrown. */
  protected problems(error: unknown, options: ProblemWords = {}): FormProblems {
    return problemsOf(error, options);
  }
}

/**
 * The pages of a record whose forms each have a page of their own, at the address the form posts to (a
 * button on the record leads there): GET the record, GET a form's page, POST a form (its row of `forms`,
 * by the address's last part): back to the record with the form's banner, or the form's page again with
 * the input kept and its problems. The page says where the record is (`hrefOf`) and how it shows it, or
 * one of its forms (`showRecord`). `param` is the route's input, validated as the API validates it.
 */
export function RecordPages<P extends object>(param: Type<P>, forms: Record<string, PageForm<P>>) {
  const paramsPipe = checkedPipe(param, (raw) => raw);
  abstract class RecordPage extends Pages {
    /** The record's address. */
    protected abstract hrefOf(params: P): string;
    /** The record (`form` undefined), or one of its forms by its address, with the input and its problems. */
    protected abstract showRecord(page: Page, params: P, values: Values, problems?: FormProblems, form?: string): Promise<void>;

    @Get()
    show(@PageIn() page: Page, @Param(paramsPipe) params: P): Promise<void> {
      return this.showRecord(page, params, {});
    }

    @Get(Object.keys(forms))
    formPage(@PageIn() page: Page, @Param(paramsPipe) params: P): Promise<void> {
      return this.showRecord(page, params, {}, noProblems(), page.routeEnd);
    }

    @Post(Object.keys(forms))
    post(@PageIn() page: Page, @Param(paramsPipe) params: P): Promise<void> {
      const form = page.routeEnd;
      return this.runForm(
        page,
        forms[form],
        params,
        (done) => `${this.hrefOf(params)}?done=${done}`,
        (values, problems) => this.showRecord(page, params, values, problems, form),
      );
    }
  }
  return RecordPage;
}
