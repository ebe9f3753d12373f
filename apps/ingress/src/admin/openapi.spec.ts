import 'reflect-metadata';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ADMIN_CONTROLLERS } from './admin.controllers';
import { ADMIN_OPENAPI } from './openapi';

/** `METHOD /path` of every route the admin controllers serve, with `:param` written `{param}` as in OpenAPI. */
function servedRoutes(): string[] {
  const routes: string[] = [];
  for (const controller of ADMIN_CONTROLLERS) {
    const base = String(Reflect.getMetadata(PATH_METADATA, controller));
    for (const name of Object.getOwnPropertyNames(controller.prototype)) {
      const handler = (controller.prototype as unknown as Record<string, unknown>)[name];
      if (name === 'constructor' || typeof handler !== 'function') continue;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (method === undefined) continue;
      const sub = String(Reflect.getMetadata(PATH_METADATA, handler) ?? '/');
      const path = `/${base}/${sub}`
        .replace(/\/+/g, '/')
        .replace(/\/$/, '')
        .replace(/:(\w+)/g, '{$1}');
      routes.push(`${RequestMethod[method]} ${path}`);
    }
  }
  return routes.sort();
}

function documentedRoutes(): string[] {
  const routes: string[] = [];
  for (const [path, item] of Object.entries(ADMIN_OPENAPI.paths)) {
    for (const method of Object.keys(item).filter((key) => ['get', 'post', 'put', 'delete', 'patch'].includes(key))) {
      routes.push(`${method.toUpperCase()} /admin/v1${path}`);
    }
  }
  return routes.sort();
}

describe('admin OpenAPI document', () => {
  it('lists exactly the routes the admin controllers serve', () => {
    const served = servedRoutes();
    expect(served.length).toBeGreaterThan(10);
    expect(documentedRoutes()).toEqual(served);
  });

  it('declares every path parameter it uses', () => {
    for (const [path, item] of Object.entries(ADMIN_OPENAPI.paths)) {
      const used = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      const declared = ((item as { parameters?: { name: string }[] }).parameters ?? []).map((parameter) => parameter.name);
      expect({ path, declared }).toEqual({ path, declared: used });
    }
  });
});
