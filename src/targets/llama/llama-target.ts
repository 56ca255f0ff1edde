import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { AbortedError, TargetError } from '../../spec/errors.js';
import { defineTargetKind } from '../../spec/target-config.js';
import type { Message } from '../../spec/message.js';
import type { GenerateOptions, GenerateRequest, GenerateResponse, SamplingParams, Target } from '../../spec/target.js';
import { RequestLimiter } from '../request-limiter.js';
import { stableIdentity } from '../stable-identity.js';
import { resolveGgufFile } from './gguf-file.js';
import {
  describeLlamaStartFailure,
  INSTALL_HINT,
  PINNED_VERSION,
  loadNodeLlamaCpp,
  type ChatHistoryItem,
  type ChatWrapperInstance,
  type LlamaChatInstance,
  type LlamaContextInstance,
  type LlamaInstance,
  type LlamaModelInstance,
  type LlamaSequence,
} from './node-llama-cpp-api.js';

/** Settings of the `llama` kind, beside the common ones (name, system prompt, params). */
export const LlamaTargetSettingsSchema = z.object({
  /** The GGUF file: a path, or `hf:OWNER/REPO/FILE.gguf` once pulled with `redcard model pull`. */
  file: z.string().min(1).optional(),
  /** Tokens of context per sequence (at most the model's training context). */
  contextSize: z.number().int().positive().default(4096),
  /** Sequences evaluated in parallel (one request each): the target's concurrency. */
  sequences: z.number().int().positive().max(64).default(4),
  /** Compute backend: `auto` (a GPU when there is one), `cpu`, `cuda`, `vulkan` or `metal`. */
  gpu: z.enum(['auto', 'cpu', 'cuda', 'vulkan', 'metal']).default('auto'),
  /** Layers offloaded to the GPU: `auto` or a number. */
  gpuLayers: z.preprocess((value) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value), z.union([z.literal('auto'), z.number().int().min(0)])).default('auto'),
  /** CPU threads for evaluation (default: llama.cpp's choice). */
  threads: z.number().int().positive().optional(),
  /** Tokens generated at most when the request and `params.maxTokens` say nothing. */
  defaultMaxTokens: z.number().int().positive().default(512),
});
export type LlamaTargetSettings = z.infer<typeof LlamaTargetSettingsSchema>;

/** A validated `llama` target config: the kind's settings plus the common ones it uses. */
export interface LlamaTargetConfig extends LlamaTargetSettings {
  name?: string;
  systemPrompt?: string;
  params: SamplingParams;
}

/** What `createLlamaTarget` reads besides the config; tests replace the module. */
export interface LlamaTargetOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Package to import (default `node-llama-cpp`). */
  moduleName?: string;
}

/** The in-process target, with what it tells about the loaded model. */
export interface LlamaTarget extends Target {
  /** Load llama.cpp, the model and its context (the scan does it before its first request; else the first request does). Throws TargetError. */
  probe(): Promise<void>;
  /** The chat format in use, from the GGUF's own template (after `probe`): e.g. `JinjaTemplate`, `Llama3_1`. */
  chatWrapperName(): string;
  /** The prompt text the model sees for a conversation, through the GGUF's chat template (after `probe`). */
  renderPrompt(messages: Message[]): string;
}

interface Slot {
  sequence: LlamaSequence;
  chat: LlamaChatInstance;
}

interface Loaded {
  llama: LlamaInstance;
  model: LlamaModelInstance;
  context: LlamaContextInstance;
  chatWrapper: ChatWrapperInstance;
  free: Slot[];
}

const FINISH: Record<string, GenerateResponse['finishReason']['unified']> = {
  eogToken: 'stop',
  stopGenerationTrigger: 'stop',
  customStopTrigger: 'stop',
  maxTokens: 'length',
  functionCalls: 'tool-calls',
};

function chatHistory(messages: Message[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = messages.map((message) =>
    message.role === 'assistant' ? { type: 'model', response: [message.content] } : { type: message.role, text: message.content },
  );
  // The model answers the last user turn; a conversation ending with an assistant turn is continued.
  if (messages.at(-1)?.role !== 'assistant') history.push({ type: 'model', response: [] });
  return history;
}

/** The version in the package.json of the installed module that `entry` belongs to (undefined when there is none, e.g. a test's stand-in). */
function installedVersion(entry: string): string | undefined {
  for (let directory = dirname(entry); directory !== dirname(directory); directory = dirname(directory)) {
    const manifest = join(directory, 'package.json');
    if (!existsSync(manifest)) continue;
    try {
      const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown; version?: unknown };
      if (parsed.name === 'node-llama-cpp') return typeof parsed.version === 'string' ? parsed.version : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * Build a target that runs a GGUF model in this process through node-llama-cpp (installed beside redcard by the user, imported on
 * the first request): the chat template comes from the GGUF, and `sequences` requests are evaluated in parallel.
 * The package missing, its native binary missing, or a file that is not GGUF are clear errors.
 *
 * @example
 * const target = createLlamaTarget({ ...LlamaTargetSettingsSchema.parse({ file: 'models/tiny.gguf' }), params: {} });
 * await target.probe();
 * (await target.generate({ messages: [{ role: 'user', content: 'Hello' }] })).text
 */
export function createLlamaTarget(config: LlamaTargetConfig, options: LlamaTargetOptions = {}): LlamaTarget {
  const file = resolveGgufFile(config.file, { cwd: options.cwd ?? process.cwd(), env: options.env ?? process.env });
  const moduleName = options.moduleName ?? 'node-llama-cpp';
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve(moduleName);
  } catch {
    throw new TargetError(`the llama target needs the node-llama-cpp package, which is not installed: ${INSTALL_HINT}`, { retryable: false });
  }
  const version = installedVersion(entry);
  if (version !== undefined && !version.startsWith('3.')) {
    throw new TargetError(`the llama target works with node-llama-cpp 3.x (tested with ${PINNED_VERSION}); version ${version} is installed: ${INSTALL_HINT}`, { retryable: false });
  }
  const limiter = new RequestLimiter(config.sequences);
  const warnings: string[] = [];
  let loading: Promise<Loaded> | undefined;
  let settled: Loaded | undefined;

  const load = async (): Promise<Loaded> => {
    const llamaCpp = await loadNodeLlamaCpp(moduleName);
    let llama: LlamaInstance;
    try {
      llama = await llamaCpp.getLlama({
        build: 'never',
        gpu: config.gpu === 'cpu' ? false : config.gpu,
        progressLogs: false,
        // The library never prints: llama.cpp's own warnings are kept for the error messages.
        logger: (level, message) => {
          if (level === 'error' || level === 'fatal' || level === 'warn') warnings.splice(0, Math.max(0, warnings.length - 4), message.trim());
        },
        ...(config.threads === undefined ? {} : { maxThreads: config.threads }),
      });
    } catch (error) {
      throw new TargetError(describeLlamaStartFailure(error), { retryable: false, cause: error });
    }
    try {
      const model = await llama.loadModel({ modelPath: file.path, gpuLayers: config.gpuLayers });
      const context = await model.createContext({
        sequences: config.sequences,
        contextSize: Math.min(config.contextSize, model.trainContextSize),
        ...(config.threads === undefined ? {} : { threads: config.threads }),
      });
      const chatWrapper = llamaCpp.resolveChatWrapper(model);
      const free: Slot[] = [];
      for (let index = 0; index < config.sequences; index += 1) {
        const sequence = context.getSequence();
        free.push({ sequence, chat: new llamaCpp.LlamaChat({ contextSequence: sequence, chatWrapper, autoDisposeSequence: false }) });
      }
      return { llama, model, context, chatWrapper, free };
    } catch (error) {
      await llama.dispose().catch(() => undefined);
      const detail = warnings.length > 0 ? ` (llama.cpp: ${warnings.at(-1)})` : '';
      throw new TargetError(`cannot load the model ${file.path}: ${(error as Error).message}${detail}`, { retryable: false, cause: error });
    }
  };
  const ready = (): Promise<Loaded> => (loading ??= load());
  const loaded = (): Loaded => {
    if (settled === undefined) throw new Error('the llama target has not loaded its model yet: await probe() first');
    return settled;
  };

  const withSystem = (messages: Message[]): Message[] =>
    config.systemPrompt === undefined ? messages : [{ role: 'system', content: config.systemPrompt }, ...messages];

  return {
    kind: 'llama',
    label: `llama:${config.name ?? basename(file.path)}`,
    // The file's content names the model (its recorded sha256 when pulled), not where it lies.
    identity: stableIdentity({ kind: 'llama', name: config.name, file: file.sha256 ?? `${basename(file.path)}:${file.bytes}`, systemPrompt: config.systemPrompt ?? null, params: config.params }),
    simulated: false,
    concurrency: config.sequences,

    async probe() {
      settled = await ready();
    },
    chatWrapperName: () => loaded().chatWrapper.wrapperName,
    renderPrompt: (messages) => loaded().chatWrapper.generateContextState({ chatHistory: chatHistory(withSystem(messages)) }).contextText.toString(),

    async generate(request: GenerateRequest, generateOptions: GenerateOptions = {}): Promise<GenerateResponse> {
      const { signal } = generateOptions;
      settled = await ready();
      const release = await limiter.acquire(signal);
      const slot = settled.free.pop()!;
      const params = config.params;
      const seed = request.seed ?? (params.seed === undefined ? undefined : params.seed + (request.sample ?? 0));
      const started = performance.now();
      const before = slot.sequence.tokenMeter.getState();
      try {
        const answer = await slot.chat.generateResponse(chatHistory(withSystem(request.messages)), {
          maxTokens: request.maxTokens ?? params.maxTokens ?? config.defaultMaxTokens,
          temperature: request.temperature ?? params.temperature,
          topP: request.topP ?? params.topP,
          seed,
          signal,
          customStopTriggers: request.stop ?? params.stop,
        });
        const after = slot.sequence.tokenMeter.getState();
        const stopReason = answer.metadata.stopReason;
        if (stopReason === 'abort') throw new AbortedError();
        // The sequence reuses what it already evaluated of the prompt, so the prompt's size is read from the sequence.
        const completionTokens = after.usedOutputTokens - before.usedOutputTokens;
        return {
          text: answer.response,
          finishReason: { unified: FINISH[stopReason] ?? 'other', raw: stopReason },
          usage: { promptTokens: Math.max(0, slot.sequence.contextTokens.length - completionTokens), completionTokens },
          latencyMs: performance.now() - started,
          model: config.name ?? basename(file.path),
        };
      } catch (error) {
        if (error instanceof AbortedError || signal?.aborted) throw new AbortedError();
        throw new TargetError(`llama ${basename(file.path)}: ${(error as Error).message}`, { retryable: false, cause: error });
      } finally {
        settled.free.push(slot);
        release();
      }
    },

    async close() {
      if (loading === undefined) return;
      const state = await loading.catch(() => undefined);
      loading = undefined;
      if (state === undefined) return;
      for (const slot of state.free) slot.chat.dispose();
      await state.context.dispose();
      await state.model.dispose();
      await state.llama.dispose();
    },
  };
}

/** The `llama` target kind: a GGUF model run in this process. */
export const llamaTargetKind = defineTargetKind({
  kind: 'llama',
  description: 'A GGUF model run in this process by llama.cpp (node-llama-cpp, installed separately: npm i -E node-llama-cpp@3.21.1): llama:FILE.gguf or llama:hf:OWNER/REPO/FILE.gguf.',
  settings: LlamaTargetSettingsSchema,
  specKeys: {
    file: { field: 'file', type: 'string' },
    'context-size': { field: 'contextSize', type: 'integer' },
    sequences: { field: 'sequences', type: 'integer' },
    gpu: { field: 'gpu', type: 'string' },
    'gpu-layers': { field: 'gpuLayers', type: 'string' },
    threads: { field: 'threads', type: 'integer' },
    'default-max-tokens': { field: 'defaultMaxTokens', type: 'integer' },
  },
  positionalField: 'file',
  create: (config) => createLlamaTarget(config),
});
