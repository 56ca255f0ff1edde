import { z } from 'zod';
import { dataPath } from '../util/paths.js';
import { readYamlMapping, yamlIssueError } from '../util/yaml-file.js';

/** One few-shot conversation: a request, an answer, a critique request and critique, a revision request and revision. */
const FewShotSchema = z
  .object({
    request: z.string().min(1),
    answer: z.string().min(1),
    critiqueRequest: z.string().min(1),
    revisionRequest: z.string().min(1),
    critique: z.string().min(1),
    revision: z.string().min(1),
  })
  .strict();
export type FewShotExample = z.infer<typeof FewShotSchema>;

/** How the constitutional steps are put to a model (data/cai/framing.yaml; docs/cai.md). */
export const FramingSchema = z
  .object({
    /** Ends every critique request: asks for one paragraph beginning with `critiquePrefix`. */
    critiqueFormat: z.string().min(1),
    /** Ends every revision request: asks for the rewritten reply only, beginning with `revisionPrefix`. */
    revisionFormat: z.string().min(1),
    critiquePrefix: z.string().min(1),
    revisionPrefix: z.string().min(1),
    /** The multiple-choice question: {conversation}, {principle}, {answerA}, {answerB}. */
    feedbackTemplate: z.string().min(1),
    /** The template's last line, by which the question is recognised. */
    feedbackFormat: z.string().min(1),
    /** The two choice letters, in order. */
    choiceLetters: z.tuple([z.string().length(1), z.string().length(1)]),
    /** Few-shot conversations sent before the real one. */
    fewShot: z.array(FewShotSchema),
  })
  .strict();
export type Framing = z.infer<typeof FramingSchema>;

let cached: Framing | undefined;

/**
 * The framing shipped with redcard (read once).
 *
 * @example
 * loadFraming().critiqueFormat // 'Reply with your critique in one paragraph, beginning "Critique:".'
 */
export function loadFraming(): Framing {
  if (cached) return cached;
  const loaded = readYamlMapping(dataPath('cai', 'framing.yaml'), { what: 'framing file', mappingHint: 'formats, template and examples' });
  const parsed = FramingSchema.safeParse(loaded.values);
  if (!parsed.success) throw yamlIssueError(parsed.error.issues[0]!, loaded);
  cached = parsed.data;
  return cached;
}
