import { defineTemplateAttack } from '../template-attack.js';
import { pickVariant, templateList } from '../attack-data.js';

/** Hides the request between two harmless tasks, picked per sample. Wording: `data/attacks/templates.json`. */
export const structureDistractor = defineTemplateAttack({
  id: 'structure.distractor',
  family: 'structure',
  description: 'Hides the request between unrelated harmless tasks.',
  reference: 'https://arxiv.org/abs/2307.02483',
  values: (_text, sample) => {
    const distractors = templateList('structure.distractor', 'distractors');
    return { distractor1: pickVariant(distractors, sample * 2), distractor2: pickVariant(distractors, sample * 2 + 1) };
  },
});
