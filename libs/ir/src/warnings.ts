/**
 * What a target protocol cannot express becomes a warning (AH-Warnings header, span attribute),
 * never a silent drop and never a 400.
 */
export interface IrWarning {
  code: 'tool_dropped' | 'content_dropped' | 'parameter_dropped';
  message: string;
}

export class WarningCollector {
  readonly list: IrWarning[] = [];
  add(code: IrWarning['code'], message: string): void {
    this.list.push({ code, message });
  }
}
