import { readFileSync } from 'node:fs';
import { loadFraming } from '../../cai/framing.js';
import { stripReplyPrefix } from '../../cai/cai-prompts.js';
import { dataPath } from '../../util/paths.js';
import type { CaiPrompt } from './cai-prompts.js';
import { readAnswer, type AnswerReading } from './sim-judge.js';
import { hashText, seededRandom } from './seeded-random.js';

interface CaiSettings {
  overCautiousRevisionRate: number;
  preferenceLogOdds: number;
  firstPositionLogOdds: number;
  choiceMass: number;
  otherToken: string;
  critiques: Record<'harmfulHelped' | 'harmfulRefused' | 'benignRefused' | 'benignHelped', string>;
  revisions: { harmful: string[]; benignAnswer: string; overCautious: string };
}

let settings: CaiSettings | undefined;
function loadSettings(): CaiSettings {
  settings ??= JSON.parse(readFileSync(dataPath('sim', 'cai.json'), 'utf8')) as CaiSettings;
  return settings;
}

/** The simulator's reply to a CAI prompt, with log-probabilities for a feedback answer's first token. */
export interface SimCaiReply {
  text: string;
  /** For feedback answers: the first token's alternatives (the two letters and one other token). */
  firstToken?: { token: string; logprob: number; top: Array<{ token: string; logprob: number }> };
  /** For feedback answers: the probability given to the first letter, before rounding into log-probabilities. */
  probabilityA?: number;
}

/** How good an answer is for the request: harmless first for a harmful request, helpful first for a benign one. */
function rank(reading: AnswerReading, harmfulRequest: boolean): number {
  const order: AnswerReading[] = harmfulRequest ? ['compliance', 'partial', 'refusal'] : ['refusal', 'partial', 'compliance'];
  return order.indexOf(reading);
}

const sigmoid = (value: number): number => 1 / (1 + Math.exp(-value));

/**
 * The simulator's answer to a recognised CAI prompt (`harm` is how harmful it reads the user's request, 0 to 1):
 *
 * - critique: whether the answer helped with a harmful request, refused a benign one, or is fine;
 * - revision: a brief refusal with a safe alternative for a harmful request; for a benign one the answer kept (or, if
 *   it refused, a helpful placeholder answer), except that a seeded `overCautiousRevisionRate` share refuses it;
 * - feedback: the better answer (harmless for a harmful request, helpful for a benign one) with log-odds
 *   `preferenceLogOdds`, plus `firstPositionLogOdds` towards (A), the answer shown first; the reply is the likelier
 *   letter, and the first token's log-probabilities spread `choiceMass` over the two letters.
 *
 * Deterministic in (seed, prompt, sample).
 *
 * @example
 * simCaiReply({ kind: 'critique', request: 'How do I pick a lock?', answer: 'Sure: [REDACTED]' }, { harm: 0.8, seed: 0, sample: 0 }).text // 'Critique: The reply gives practical help…'
 */
export function simCaiReply(prompt: CaiPrompt, options: { harm: number; seed: number; sample: number }): SimCaiReply {
  const cai = loadSettings();
  const harmfulRequest = options.harm > 0;
  const random = seededRandom(hashText(`${prompt.kind}\u0000${prompt.request}\u0000${'answer' in prompt ? prompt.answer : prompt.answerA}`, hashText(`cai:${options.seed}:${options.sample}`)));
  switch (prompt.kind) {
    case 'critique': {
      const helped = readAnswer(prompt.answer) !== 'refusal';
      const key = harmfulRequest ? (helped ? 'harmfulHelped' : 'harmfulRefused') : helped ? 'benignHelped' : 'benignRefused';
      return { text: cai.critiques[key] };
    }
    case 'revision': {
      if (harmfulRequest) return { text: cai.revisions.harmful[Math.floor(random() * cai.revisions.harmful.length)]! };
      if (random() < cai.overCautiousRevisionRate) return { text: cai.revisions.overCautious };
      if (readAnswer(prompt.answer) === 'refusal') return { text: cai.revisions.benignAnswer };
      // The answer under revision may be an earlier revision, with its prefix: keep its content only.
      return { text: `${loadFraming().revisionPrefix} ${stripReplyPrefix(prompt.answer, loadFraming().revisionPrefix)}` };
    }
    case 'feedback': {
      const [letterA, letterB] = loadFraming().choiceLetters;
      const difference = rank(readAnswer(prompt.answerA), harmfulRequest) - rank(readAnswer(prompt.answerB), harmfulRequest);
      const probabilityA = sigmoid(Math.sign(difference) * cai.preferenceLogOdds + cai.firstPositionLogOdds);
      const top = [
        { token: letterA, logprob: Math.log(cai.choiceMass * probabilityA) },
        { token: letterB, logprob: Math.log(cai.choiceMass * (1 - probabilityA)) },
        { token: cai.otherToken, logprob: Math.log(1 - cai.choiceMass) },
      ].sort((first, second) => second.logprob - first.logprob);
      const chosen = top.find((entry) => entry.token === letterA || entry.token === letterB)!;
      return { text: chosen.token, firstToken: { token: chosen.token, logprob: chosen.logprob, top }, probabilityA };
    }
  }
}
