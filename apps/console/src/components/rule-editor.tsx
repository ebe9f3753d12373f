import type { ReactNode } from 'react';
import { moveRule, ruleKind, ruleProblems, type RuleDraft } from '../lib/rules';

/** Ordered rules (the first match wins): edit, reorder with buttons, remove; problems shown next to their rule. */
export function RuleEditor(props: { rules: RuleDraft[]; onChange: (rules: RuleDraft[]) => void; idPrefix: string }): ReactNode {
  const problems = ruleProblems(props.rules);
  const update = (index: number, field: keyof RuleDraft, value: string): void =>
    props.onChange(props.rules.map((rule, i) => (i === index ? { ...rule, [field]: value } : rule)));
  return (
    <div className="rules">
      <ol>
        {props.rules.map((rule, index) => {
          const problem = problems.get(index);
          const problemId = `${props.idPrefix}-problem-${index}`;
          const kind = ruleKind(rule.from);
          return (
            <li key={index} className={problem ? 'rule invalid' : 'rule'} data-testid="rule">
              <label className="field">
                <span>Rule {index + 1}: requested model</span>
                <input
                  value={rule.from}
                  onChange={(event) => update(index, 'from', event.target.value)}
                  placeholder="gpt-5 or gpt-4.*"
                  aria-invalid={problem !== undefined}
                  aria-describedby={problem ? problemId : undefined}
                />
              </label>
              <span className={`kind ${kind}`} aria-label={`matches as ${kind}`}>
                {kind === 'regex' ? 'regex' : kind === 'exact' ? 'exact' : ''}
              </span>
              <label className="field">
                <span>Rule {index + 1}: mapped to</span>
                <input value={rule.to} onChange={(event) => update(index, 'to', event.target.value)} placeholder="deepseek-chat" />
              </label>
              <span className="rule-buttons">
                <button
                  type="button"
                  onClick={() => props.onChange(moveRule(props.rules, index, -1))}
                  disabled={index === 0}
                  aria-label={`Move rule ${index + 1} up`}
                >
                  ↑
                </button>
                <button
                  type="button"
                  onClick={() => props.onChange(moveRule(props.rules, index, 1))}
                  disabled={index === props.rules.length - 1}
                  aria-label={`Move rule ${index + 1} down`}
                >
                  ↓
                </button>
                <button
                  type="button"
                  onClick={() => props.onChange(props.rules.filter((_, i) => i !== index))}
                  aria-label={`Remove rule ${index + 1}`}
                >
                  ✕
                </button>
              </span>
              {problem ? (
                <p id={problemId} className="error-text small" role="alert">
                  {problem}
                </p>
              ) : null}
            </li>
          );
        })}
      </ol>
      <button type="button" onClick={() => props.onChange([...props.rules, { from: '', to: '' }])}>
        Add rule
      </button>
    </div>
  );
}

export function rulesAreValid(rules: RuleDraft[]): boolean {
  return rules.length > 0 && ruleProblems(rules).size === 0;
}
