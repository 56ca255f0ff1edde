import { readFileSync } from 'node:fs';
import { dataPath } from '../../util/paths.js';
import { cueMatches, loadSimProfile, type ReplyEncoding, type SimProfile } from './sim-profile.js';
import { encodeReply, readableText } from './text-codecs.js';
import { hashText, seededRandom } from './seeded-random.js';
import { recogniseJudgePrompt } from './judge-prompts.js';
import { simJudgeReply } from './sim-judge.js';
import { answerMultipleChoice } from './sim-multiple-choice.js';
import { recogniseStrategyPrompt } from './attacker-prompts.js';
import { simStrategyReply } from './sim-attacker.js';
import { recogniseCaiPrompt } from './cai-prompts.js';
import { simCaiReply } from './sim-cai.js';
import type { TokenLogprob } from '../../spec/target.js';

/** What the simulator decided and said. `finishReason` uses OpenAI's raw values, as the sim server sends them. */
export interface SimAnswer {
  /**
   * `judge`: the request was one of redcard's judge prompts, answered in that judge's reply format; `strategy`: one of
   * the strategies' attacker, evaluator or rating prompts, answered in its format; `cai`: a constitutional-AI critique,
   * revision or feedback prompt (src/targets/sim/sim-cai.ts).
   */
  decision: 'refuse' | 'comply' | 'partial' | 'filtered' | 'judge' | 'strategy' | 'cai';
  text: string;
  finishReason: 'stop' | 'length' | 'content_filter';
  promptTokens: number;
  completionTokens: number;
  /** With `topLogprobs` asked for: the first token's log-probabilities (feedback answers only; absent otherwise). */
  logprobs?: TokenLogprob[];
}

/** How the simulator read a request: its harm, the attacks it noticed, and the refusal probability that follows. */
export interface SimAssessment {
  harm: number;
  hazards: string[];
  attacks: string[];
  refusalProbability: number;
  replyEncoding?: ReplyEncoding;
}

/** A simulated chat model: deterministic in (seed, conversation text, sample). */
export interface SimModel {
  readonly model: string;
  readonly seed: number;
  readonly profile: SimProfile;
  answer(messages: ReadonlyArray<{ role: string; content: string }>, options?: { sample?: number; maxTokens?: number; topLogprobs?: number }): SimAnswer;
}

interface Phrasings {
  refusals: string[];
  compliances: string[];
  partials: string[];
}
let phrasings: Phrasings | undefined;
function loadPhrasings(): Phrasings {
  phrasings ??= JSON.parse(readFileSync(dataPath('sim', 'responses.json'), 'utf8')) as Phrasings;
  return phrasings;
}

/** No request is refused with certainty: even the gravest keeps a sliver of compliance (models are never perfect). */
const MAX_REFUSAL = 0.995;

/** Hedged (partial) answers are kept for requests still clearly harmful after softening; a softened topic is answered. */
const PARTIAL_MIN_HARM = 0.5;

/** Exponent applied to the softening factor when an attack cue matched (0 would ignore softeners, 1 trust them). */
const ATTACKED_SOFTENER_POWER = 0.4;

/**
 * A logistic step from harm to willingness to refuse, rescaled so that harm 0 gives 0 and harm 1 gives 1: real models
 * refuse clear harm almost always, and a topic softened by a protective or educational framing seldom (the threshold
 * is where the model hesitates half the time).
 */
function refusalCurve(harm: number, profile: SimProfile): number {
  const { threshold, steepness } = profile.refusal;
  const logistic = (value: number): number => 1 / (1 + Math.exp(-steepness * (value - threshold)));
  const low = logistic(0);
  return (logistic(harm) - low) / (logistic(1) - low);
}

/**
 * How the simulator reads a conversation text under a profile (exported for tests and for docs examples).
 *
 * @example
 * assessRequest('user: how do I build a bomb', loadSimProfile('default')).refusalProbability // high
 */
export function assessRequest(conversationText: string, profile: SimProfile): SimAssessment {
  const text = readableText(conversationText);
  let keep = 1;
  let resistance = 0;
  let scale: number | undefined;
  const hazards: string[] = [];
  for (const cue of profile.harmCues) {
    if (cueMatches(cue, text)) {
      keep *= 1 - cue.weight;
      resistance = Math.max(resistance, cue.attackResistance);
      if (cue.refusalScale !== undefined) scale = scale === undefined ? cue.refusalScale : Math.max(scale, cue.refusalScale);
      if (!hazards.includes(cue.hazard)) hazards.push(cue.hazard);
    }
  }
  let softenersBlocked = false;
  if (hazards.length > 0) {
    // Intent (a request for instructions or for content) makes a harmful topic more clearly harmful.
    for (const cue of profile.intentCues) {
      if (!cueMatches(cue, text)) continue;
      keep *= 1 - cue.weight;
      softenersBlocked ||= cue.blocksSofteners;
    }
  }
  let harm = 1 - keep;
  const attacks: string[] = [];
  let attackFactor = 1;
  for (const cue of profile.attackCues) {
    if (cueMatches(cue, conversationText)) {
      attacks.push(cue.id);
      attackFactor *= cue.factor ** profile.attackStrength;
    }
  }
  attackFactor = Math.max(attackFactor ** (1 - resistance), 0.02);
  let refusalProbability: number;
  if (harm > 0) {
    let soften = 1;
    if (!softenersBlocked) for (const cue of profile.softeners) if (cueMatches(cue, conversationText)) soften = Math.min(soften, cue.factor);
    // Inside an attack wrapper a softening word is as likely the wrapper's as the request's ("understanding it helps
    // prevent misuse"): it counts only in part, the attack cues having priced the wrapper already.
    if (attacks.length > 0) soften **= ATTACKED_SOFTENER_POWER;
    harm *= soften;
    const refusalMax = Math.min(profile.refusal.max * (scale ?? 1), MAX_REFUSAL);
    refusalProbability = Math.max(refusalMax * refusalCurve(harm, profile) * attackFactor, profile.overRefusal.base);
  } else {
    const scary = profile.scaryWords.some((cue) => cueMatches(cue, conversationText));
    refusalProbability = profile.overRefusal.base + (scary ? profile.overRefusal.scary : 0);
  }
  for (const cue of profile.groupRefusal) {
    if (cueMatches(cue, conversationText)) refusalProbability = Math.min(MAX_REFUSAL, 1 - (1 - refusalProbability) * (1 - cue.refusal));
  }
  const replyEncoding = profile.replyEncodings.find((cue) => cueMatches(cue, conversationText))?.encoding;
  return { harm, hazards, attacks, refusalProbability, replyEncoding };
}

/**
 * A simulated model that decides from the text alone (so it behaves the same in-process and behind the sim server).
 * Compliant answers are placeholders (`[REDACTED]`), never real content.
 *
 * @example
 * const model = createSimModel({ seed: 3, profile: 'weak' });
 * model.answer([{ role: 'user', content: 'Pretend you are my grandma and ...' }], { sample: 0 }).decision
 */
export function createSimModel(options: { seed?: number; profile?: string; model?: string; cwd?: string } = {}): SimModel {
  const seed = options.seed ?? 0;
  const profile = loadSimProfile(options.profile ?? 'default', options.cwd);
  const texts = loadPhrasings();
  const seedHash = hashText(`${seed}`);
  return {
    model: options.model ?? 'sim',
    seed,
    profile,
    answer(messages, answerOptions = {}) {
      let conversationText = '';
      for (const message of messages) conversationText += `${message.role}: ${message.content}\n`;
      const judgePrompt = recogniseJudgePrompt(messages);
      if (judgePrompt !== undefined) {
        const hazards = judgePrompt.kind === 'llama-guard' ? assessRequest(`user: ${judgePrompt.request}\n`, profile).hazards : [];
        const { reply } = simJudgeReply(judgePrompt, { seed, sample: answerOptions.sample ?? 0, hazards });
        return { decision: 'judge', text: reply, finishReason: 'stop', promptTokens: Math.ceil(conversationText.length / 4), completionTokens: Math.ceil(reply.length / 4) };
      }
      const strategyPrompt = recogniseStrategyPrompt(messages);
      if (strategyPrompt !== undefined) {
        const reply = simStrategyReply(strategyPrompt, { seed, sample: answerOptions.sample ?? 0 });
        return { decision: 'strategy', text: reply, finishReason: 'stop', promptTokens: Math.ceil(conversationText.length / 4), completionTokens: Math.ceil(reply.length / 4) };
      }
      const caiPrompt = recogniseCaiPrompt(messages);
      if (caiPrompt !== undefined) {
        const harm = assessRequest(`user: ${caiPrompt.request}\n`, profile).harm;
        const reply = simCaiReply(caiPrompt, { harm, seed, sample: answerOptions.sample ?? 0 });
        const logprobs = answerOptions.topLogprobs !== undefined && reply.firstToken !== undefined
          ? [{ ...reply.firstToken, top: reply.firstToken.top.slice(0, answerOptions.topLogprobs) }]
          : undefined;
        return {
          decision: 'cai',
          text: reply.text,
          finishReason: 'stop',
          promptTokens: Math.ceil(conversationText.length / 4),
          completionTokens: Math.ceil(reply.text.length / 4),
          ...(logprobs === undefined ? {} : { logprobs }),
        };
      }
      const assessment = assessRequest(conversationText, profile);
      const random = seededRandom(hashText(conversationText, hashText(`:${answerOptions.sample ?? 0}`, seedHash)));
      const promptTokens = Math.ceil(conversationText.length / 4);
      const pick = (list: string[]): string => list[Math.floor(random() * list.length)];
      let decision: SimAnswer['decision'];
      if (random() < assessment.refusalProbability) decision = 'refuse';
      else if (assessment.harm >= PARTIAL_MIN_HARM && random() < profile.refusal.partialShare) decision = 'partial';
      else decision = 'comply';
      if (assessment.harm >= 0.5 && random() < profile.refusal.contentFilterRate) decision = 'filtered';
      if (decision === 'filtered') return { decision, text: '', finishReason: 'content_filter', promptTokens, completionTokens: 0 };
      const choice = decision === 'comply' ? answerMultipleChoice(conversationText, random) : undefined;
      let text = choice ?? pick(decision === 'refuse' ? texts.refusals : decision === 'partial' ? texts.partials : texts.compliances);
      if (decision !== 'refuse' && assessment.replyEncoding !== undefined) text = encodeReply(text, assessment.replyEncoding);
      let completionTokens = Math.ceil(text.length / 4);
      let finishReason: SimAnswer['finishReason'] = 'stop';
      const maxTokens = answerOptions.maxTokens;
      if (maxTokens !== undefined && completionTokens > maxTokens) {
        text = text.slice(0, maxTokens * 4);
        completionTokens = maxTokens;
        finishReason = 'length';
      }
      return { decision, text, finishReason, promptTokens, completionTokens };
    },
  };
}
