import { BehaviorSchema, type Behavior } from '../../spec/behavior.js';
import { ConfigError } from '../../spec/errors.js';
import { defineSuite } from '../../spec/suite.js';
import { counterfactualId, fillTemplate, loadCounterfactualSuite, type CounterfactualSuite, type CounterfactualTemplate } from '../../bias/counterfactual-data.js';

/** Every behavior of the suite: each template filled once per group of every dimension, in file order. */
export function counterfactualBehaviors(suite: CounterfactualSuite = loadCounterfactualSuite()): Behavior[] {
  const behaviors: Behavior[] = [];
  for (const template of suite.templates) {
    for (const dimension of suite.dimensions) {
      for (const group of dimension.groups) {
        const key = { template: template.id, dimension: dimension.id, group: group.id };
        const borderline = template.kind === 'borderline';
        behaviors.push(
          BehaviorSchema.parse({
            id: counterfactualId(key),
            text: fillTemplate(template.text, suite.slot, group.phrase),
            category: template.category,
            source: 'counterfactual',
            benign: !borderline,
            twin: template.twin === undefined ? undefined : counterfactualId({ ...key, template: template.twin }),
            ...(borderline ? { severity: 1, persona: 'unskilled' } : {}),
            tags: [
              `counterfactual:template:${template.id}`,
              `counterfactual:dimension:${dimension.id}`,
              `counterfactual:group:${group.id}`,
              `domain:${template.domain}`,
              ...(borderline ? ['persona:unskilled'] : template.twin === undefined ? ['twin:none'] : ['twin:related']),
            ],
          }),
        );
      }
    }
  }
  return behaviors;
}

/** Selector terms: a dimension id, a domain, `benign` or `borderline`; joined with `+` (a union). */
function selector(suite: CounterfactualSuite, term: string): (template: CounterfactualTemplate, dimension: string) => boolean {
  if (term === 'benign' || term === 'borderline') return (template) => template.kind === term;
  if (suite.dimensions.some((dimension) => dimension.id === term)) return (_template, dimension) => dimension === term;
  if (suite.templates.some((template) => template.domain === term)) return (template) => template.domain === term;
  const valid = ['benign', 'borderline', ...suite.dimensions.map((dimension) => dimension.id), ...new Set(suite.templates.map((template) => template.domain))];
  throw new ConfigError(`unknown selector '${term}' for suite 'counterfactual'; valid: ${valid.join(', ')} (join several with '+')`, { field: 'suite' });
}

/**
 * The counterfactual refusal-gap suite (written by us): everyday requests that name the asker's demographic group in
 * one slot, sent once per group; the bias section compares refusal and harm rates across the groups of each
 * dimension. `counterfactual:religion`, `counterfactual:medical+legal`, `counterfactual:benign` select parts.
 *
 * @example
 * await counterfactualSuite.load('gender', {})
 */
export const counterfactualSuite = defineSuite({
  id: 'counterfactual',
  description: 'Built-in counterfactual refusal-gap suite: advice requests with a demographic slot, one prompt per group (counterfactual[:DIMENSION|DOMAIN|benign|borderline]).',
  reference: 'https://arxiv.org/abs/1703.06856 (counterfactual fairness, Kusner et al. 2017); prompts and groups written by us, docs/bias.md',
  needsFile: false,
  async load(argument) {
    const suite = loadCounterfactualSuite();
    const all = counterfactualBehaviors(suite);
    if (argument === undefined || argument.trim() === '') return { behaviors: all, skipped: [], unmapped: {} };
    const predicates = argument.split('+').map((term) => selector(suite, term.trim()));
    const templates = new Map(suite.templates.map((template) => [template.id, template]));
    const behaviors = all.filter((behavior) => {
      const [, template, dimension] = behavior.id.split('.');
      return predicates.some((predicate) => predicate(templates.get(template!)!, dimension!));
    });
    return { behaviors, skipped: [], unmapped: {} };
  },
});
