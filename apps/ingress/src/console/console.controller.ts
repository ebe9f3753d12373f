import { Controller, Get, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { join } from 'node:path';
import { ConsoleAssets } from './console-assets';

/**
 * The browser console (apps/console, ADR 0024): static files of its Vite build, served by this same Fastify
 * app on the control-plane side (inference requests never get here: the inference lane takes them first).
 * Compiled, this file is dist/apps/ingress/src/console/; the build is dist/console/.
 */
export const CONSOLE_DIRECTORY = join(__dirname, '..', '..', '..', '..', 'console');

/**
 * What the console's own pages may do: load their own scripts and styles, call this origin's admin API,
 * nothing else (no inline script, no frames, no other origin). The admin token lives in the page's
 * sessionStorage, so an injected script is the threat worth closing off.
 */
export const CONSOLE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; " +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

@Controller('console')
export class ConsoleController {
  private assets?: Promise<ConsoleAssets | undefined>;

  @Get()
  async index(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.serve(request, reply);
  }

  @Get('*')
  async file(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.serve(request, reply);
  }

  private async serve(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    this.assets ??= ConsoleAssets.load(CONSOLE_DIRECTORY);
    const assets = await this.assets;
    void reply.headers(CONSOLE_SECURITY_HEADERS);
    if (assets === undefined) {
      await reply
        .status(404)
        .type('text/plain; charset=utf-8')
        .send('The console is not built: run `npm run build` (it builds apps/console into dist/console).\n');
      return;
    }
    const file = assets.lookup(consolePath(request.url));
    if (file === undefined) {
      await reply.status(404).type('text/plain; charset=utf-8').send('Not found.\n');
      return;
    }
    await reply.status(200).header('content-type', file.contentType).header('cache-control', file.cacheControl).send(file.body);
  }
}

/** `/console/keys?x=1` → `keys`; `/console` and `/console/` → `` (the index). */
export function consolePath(url: string): string {
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  return path.replace(/^\/console\/?/, '');
}
