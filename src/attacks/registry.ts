import type { AttackVector } from '../spec/attack-vector.js';
import { Registry } from '../util/registry.js';
import { direct } from './transforms/direct.js';
import { roleplayCharacter } from './transforms/roleplay-character.js';
import { roleplayDeveloperMode } from './transforms/roleplay-developer-mode.js';
import { roleplayEvilConfidant } from './transforms/roleplay-evil-confidant.js';
import { roleplayGrandma } from './transforms/roleplay-grandma.js';
import { framingFiction } from './transforms/framing-fiction.js';
import { framingHypothetical } from './transforms/framing-hypothetical.js';
import { framingPastTense } from './transforms/framing-past-tense.js';
import { framingResearch } from './transforms/framing-research.js';
import { persuasionAuthority } from './transforms/persuasion-authority.js';
import { persuasionEmotionalAppeal } from './transforms/persuasion-emotional-appeal.js';
import { persuasionLogicalAppeal } from './transforms/persuasion-logical-appeal.js';
import { persuasionSocialProof } from './transforms/persuasion-social-proof.js';
import { outputControlContinuation } from './transforms/output-control-continuation.js';
import { outputControlPrefixInjection } from './transforms/output-control-prefix-injection.js';
import { outputControlRefusalSuppression } from './transforms/output-control-refusal-suppression.js';
import { outputControlStyleInjection } from './transforms/output-control-style-injection.js';
import { structureDistractor } from './transforms/structure-distractor.js';
import { structureFewShot } from './transforms/structure-few-shot.js';
import { structureManyShot } from './transforms/structure-many-shot.js';
import { structurePayloadSplitting } from './transforms/structure-payload-splitting.js';
import { obfuscationBase64 } from './transforms/obfuscation-base64.js';
import { obfuscationCharSpacing } from './transforms/obfuscation-char-spacing.js';
import { obfuscationHomoglyphs } from './transforms/obfuscation-homoglyphs.js';
import { obfuscationLeetspeak } from './transforms/obfuscation-leetspeak.js';
import { obfuscationReversed } from './transforms/obfuscation-reversed.js';
import { obfuscationRot13 } from './transforms/obfuscation-rot13.js';
import { translationHmong } from './transforms/translation-hmong.js';
import { translationScotsGaelic } from './transforms/translation-scots-gaelic.js';
import { translationZulu } from './transforms/translation-zulu.js';

/** Every built-in attack vector. Adding one: write a module in transforms/ and add it here. */
export const attackRegistry = new Registry<AttackVector>('attack vector', (vector) => vector.id)
  .add(direct)
  .add(roleplayCharacter)
  .add(roleplayDeveloperMode)
  .add(roleplayEvilConfidant)
  .add(roleplayGrandma)
  .add(framingFiction)
  .add(framingHypothetical)
  .add(framingPastTense)
  .add(framingResearch)
  .add(persuasionAuthority)
  .add(persuasionEmotionalAppeal)
  .add(persuasionLogicalAppeal)
  .add(persuasionSocialProof)
  .add(outputControlContinuation)
  .add(outputControlPrefixInjection)
  .add(outputControlRefusalSuppression)
  .add(outputControlStyleInjection)
  .add(structureDistractor)
  .add(structureFewShot)
  .add(structureManyShot)
  .add(structurePayloadSplitting)
  .add(obfuscationBase64)
  .add(obfuscationCharSpacing)
  .add(obfuscationHomoglyphs)
  .add(obfuscationLeetspeak)
  .add(obfuscationReversed)
  .add(obfuscationRot13)
  .add(translationHmong)
  .add(translationScotsGaelic)
  .add(translationZulu);
