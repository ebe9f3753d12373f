import type { IrItem } from './items';
import type { IrUsage } from './usage';

export type IrFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'error';

export interface IrResponse {
  id: string;
  model: string;
  /** Unix seconds. */
  created: number;
  /** Assistant output in order: reasoning, message, tool calls. */
  output: IrItem[];
  finishReason: IrFinishReason;
  usage?: IrUsage;
}
