import type { IrProviderData } from './items';
import type { IrRequest } from './request';
import type { WarningCollector } from './warnings';

/**
 * Warns once per issuer and key about provider data a request carries that the target protocol will not
 * send (an Anthropic thinking `signature`, Anthropic `cache_control` hints, Responses `encrypted_content`,
 * Anthropic `context_management`): the upstream sees the conversation without them. Same-issuer data is
 * the encoder's own business.
 */
export function warnForeignProviderData(request: IrRequest, targetIssuer: string, target: string, warnings: WarningCollector): void {
  const counts = new Map<string, number>();
  const count = (providerData: IrProviderData | undefined): void => {
    if (providerData === undefined) return;
    for (const [issuer, data] of Object.entries(providerData)) {
      if (issuer === targetIssuer) continue;
      for (const key of Object.keys(data)) counts.set(`${issuer} '${key}'`, (counts.get(`${issuer} '${key}'`) ?? 0) + 1);
    }
  };
  count(request.providerData);
  for (const tool of request.tools) if (tool.kind === 'function') count(tool.providerData);
  for (const item of request.items) {
    count(item.kind === 'message' ? undefined : item.providerData);
    const parts = item.kind === 'message' || item.kind === 'tool_result' ? item.content : [];
    for (const part of parts) if (part.type === 'text' || part.type === 'image') count(part.providerData);
  }
  for (const [what, times] of counts) {
    warnings.add('content_dropped', `${what}${times > 1 ? ` (${times}×)` : ''} cannot be sent to ${target} upstream`);
  }
}
