import { DatasetError } from '../spec/errors.js';
import { dataPath } from '../util/paths.js';
import { readAttackData } from './attack-data.js';

/**
 * A rules file in `data/attacks/`: regular expressions (case-insensitive) tried in order, each with a replacement
 * where `$1`, `$2` are capture groups; `pronouns` maps first-person words in captured text to third person.
 */
interface RewriteRulesFile {
  rules: { pattern: string; replacement: string }[];
  pronouns?: Record<string, string>;
}

interface CompiledRules {
  rules: { pattern: RegExp; replacement: string }[];
  pronouns: Map<string, string>;
}

const compiledFiles = new Map<string, CompiledRules>();

function compile(file: string): CompiledRules {
  let compiled = compiledFiles.get(file);
  if (compiled === undefined) {
    const data = readAttackData<RewriteRulesFile>(file);
    compiled = {
      rules: data.rules.map((rule, index) => {
        try {
          return { pattern: new RegExp(rule.pattern, 'is'), replacement: rule.replacement };
        } catch (error) {
          throw new DatasetError(`rule ${index + 1}: ${(error as Error).message}`, dataPath('attacks', file));
        }
      }),
      pronouns: new Map(Object.entries(data.pronouns ?? {})),
    };
    compiledFiles.set(file, compiled);
  }
  return compiled;
}

/**
 * Rewrite text with the first matching rule of a rules file, or undefined when none matches. Captured text has its
 * first-person pronouns swapped and `$1` starts lower-case (it moves into the middle of a sentence); the result
 * starts upper-case.
 *
 * @example
 * rewriteByRules('past-tense-rules.json', 'How do I pick a lock?') // 'How did people pick a lock in the past?'
 */
export function rewriteByRules(file: string, text: string): string | undefined {
  const { rules, pronouns } = compile(file);
  const trimmed = text.trim();
  for (const rule of rules) {
    const match = rule.pattern.exec(trimmed);
    if (match === null) continue;
    const groups = match.slice(1).map((group) =>
      (group ?? '').replace(/\b[A-Za-z]+\b/g, (word) => pronouns.get(word.toLowerCase()) ?? word),
    );
    const sentence = rule.replacement.replace(/\$(\d)/g, (_whole, digit: string) => {
      const group = groups[Number(digit) - 1] ?? '';
      return digit === '1' ? group.charAt(0).toLowerCase() + group.slice(1) : group;
    });
    return sentence.charAt(0).toUpperCase() + sentence.slice(1);
  }
  return undefined;
}
