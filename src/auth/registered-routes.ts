import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import type { ModulesContainer } from '@nestjs/core';
import { routeKey } from './policy';

const join = (...parts: string[]): string =>
  '/' +
  parts
    .flatMap((part) => part.split('/'))
    .filter((segment) => segment !== '')
    .join('/');

const asList = (path: unknown): string[] => (Array.isArray(path) ? (path as string[]) : [typeof path === 'string' ? path : '']);

/** The names on a prototype and the ones it inherits (a controller may inherit its routes, as the web's record pages do). */
function methodNames(prototype: object): Set<string> {
  const names = new Set<string>();
  for (let p: object | null = prototype; p && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null)
    for (const name of Object.getOwnPropertyNames(p)) names.add(name);
  return names;
}

/** Every "<METHOD> <path>" the controllers of these modules declare, as Nest registers them. */
export function registeredRoutes(modules: ModulesContainer): string[] {
  const keys = new Set<string>();
  for (const module of modules.values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!type) continue;
      const prefixes = asList(Reflect.getMetadata(PATH_METADATA, type));
      for (const name of methodNames(type.prototype as object)) {
        const handler = (type.prototype as Record<string, unknown>)[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        const paths = Reflect.getMetadata(PATH_METADATA, handler) as unknown;
        if (method === undefined || paths === undefined) continue;
        for (const prefix of prefixes)
          for (const path of asList(paths)) keys.add(routeKey(RequestMethod[method], join(prefix, path)));
      }
    }
  }
  return [...keys].sort();
}
