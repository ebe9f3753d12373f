/**
 * Collects every broken requirement of one case instead of stopping at the first: a fault case checks the
 * client's answer, the credentials and the request-log row, and whoever makes it pass needs to see all of
 * what is missing at once.
 */
export class Verdict {
  private readonly failures: Array<{ requirement: string; message: string }> = [];

  /** Runs `assertion` (jest `expect` calls); a failure is recorded under `requirement` and checking goes on. */
  check(requirement: string, assertion: () => void): boolean {
    try {
      assertion();
      return true;
    } catch (error) {
      this.failures.push({ requirement, message: error instanceof Error ? error.message : String(error) });
      return false;
    }
  }

  /** Records a failure found without an assertion (e.g. a missing row). */
  fail(requirement: string, message: string): void {
    this.failures.push({ requirement, message });
  }

  get failedRequirements(): string[] {
    return [...new Set(this.failures.map((failure) => failure.requirement))];
  }

  /** Throws one error listing every failure, or returns when there is none. */
  assertAll(context: string): void {
    if (this.failures.length === 0) return;
    const details = this.failures.map((failure) => `✗ ${failure.requirement}\n${indent(failure.message)}`).join('\n\n');
    const error = new Error(`${context}\n\n${details}`);
    // The messages say everything; the stack would only point at this line.
    error.stack = error.message;
    throw error;
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}
