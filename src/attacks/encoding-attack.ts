import { defineAttack, type AttackVector } from '../spec/attack-vector.js';
import { rewriteLastUser } from '../spec/message.js';
import { fillTemplate, pickVariant, templateList } from './attack-data.js';

/**
 * A reversible text encoding. `decode` must be safe on text that was never encoded: it returns such text unchanged,
 * because a model asked to answer in the encoding often answers in plain text instead.
 */
export interface Codec {
  encode(text: string): string;
  decode(text: string): string;
}

/** An obfuscation vector, with the codec it uses (so `show` and tests can encode a simulated answer). */
export interface EncodingAttackVector extends AttackVector {
  readonly codec: Codec;
}

/** True when a vector carries a codec. */
export function hasCodec(vector: AttackVector): vector is EncodingAttackVector {
  return typeof (vector as Partial<EncodingAttackVector>).codec?.encode === 'function';
}

/**
 * An obfuscation vector: encodes the whole current user turn (including any template earlier vectors wrapped it in)
 * and places it in a plain-text instruction from `templates.json` (`instruction`, with `{encoded}`), which asks for
 * the answer in the same encoding. Responses are decoded with the codec before judging.
 *
 * @example
 * export const obfuscationRot13 = defineEncodingAttack({ id: 'obfuscation.rot13', description: '…',
 *   reference: 'https://arxiv.org/abs/2307.02483', codec: rot13Codec });
 */
export function defineEncodingAttack(meta: { id: string; description: string; reference: string; codec: Codec }): EncodingAttackVector {
  const vector = defineAttack({
    id: meta.id,
    family: 'obfuscation',
    description: meta.description,
    reference: meta.reference,
    needsHelper: false,
    decodesResponse: true,
    apply: ({ conversation, sample }) => {
      const instruction = pickVariant(templateList(meta.id, 'instruction'), sample);
      return rewriteLastUser(conversation, (text) => fillTemplate(instruction, { encoded: meta.codec.encode(text) }));
    },
    decodeResponse: (text) => meta.codec.decode(text),
  });
  return { ...vector, codec: meta.codec };
}
