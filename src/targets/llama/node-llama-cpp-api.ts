import { TargetError } from '../../spec/errors.js';

/**
 * The part of node-llama-cpp's API the `llama` target uses, declared here so that redcard builds and runs without the
 * optional package (it is loaded only when a `llama` target runs).
 */
export interface NodeLlamaCppModule {
  getLlama(options: {
    build: 'never';
    gpu: 'auto' | false | 'cuda' | 'vulkan' | 'metal';
    progressLogs: false;
    logger: (level: string, message: string) => void;
    maxThreads?: number;
  }): Promise<LlamaInstance>;
  LlamaChat: new (options: { contextSequence: LlamaSequence; chatWrapper?: unknown; autoDisposeSequence: false }) => LlamaChatInstance;
  resolveChatWrapper(model: LlamaModelInstance): ChatWrapperInstance;
}

export interface LlamaInstance {
  loadModel(options: { modelPath: string; gpuLayers?: 'auto' | number }): Promise<LlamaModelInstance>;
  dispose(): Promise<void>;
}

export interface LlamaModelInstance {
  readonly trainContextSize: number;
  createContext(options: { sequences: number; contextSize: number; threads?: number }): Promise<LlamaContextInstance>;
  dispose(): Promise<void>;
}

export interface LlamaContextInstance {
  getSequence(): LlamaSequence;
  dispose(): Promise<void>;
}

export interface LlamaSequence {
  /** Tokens now in the sequence (the last prompt and its answer). */
  readonly contextTokens: readonly unknown[];
  readonly tokenMeter: { getState(): { usedInputTokens: number; usedOutputTokens: number } };
  clearHistory(): Promise<void>;
}

export interface ChatWrapperInstance {
  readonly wrapperName: string;
  generateContextState(options: { chatHistory: ChatHistoryItem[] }): { contextText: { toString(): string } };
}

export type ChatHistoryItem = { type: 'system'; text: string } | { type: 'user'; text: string } | { type: 'model'; response: string[] };

export interface LlamaChatInstance {
  generateResponse(
    history: ChatHistoryItem[],
    options: { maxTokens: number; temperature?: number; topP?: number; seed?: number; signal?: AbortSignal; customStopTriggers?: string[] },
  ): Promise<{ response: string; metadata: { stopReason: string } }>;
  dispose(): void;
}

/** How to install the optional package, said wherever it is missing. */
export const INSTALL_HINT = 'install it beside redcard with `npm i -E node-llama-cpp@3.21.1` (about 720 MB of prebuilt binaries on Linux x64, so redcard does not install it by default)';

/** The node-llama-cpp version redcard is built and tested against; other 3.x versions are accepted. */
export const PINNED_VERSION = '3.21.1';

/**
 * Import node-llama-cpp (lazily: only a `llama` target needs it). A missing package is a TargetError that says how
 * to install it; `moduleName` lets tests name a package that is not there.
 *
 * @example
 * const llamaCpp = await loadNodeLlamaCpp();
 */
export async function loadNodeLlamaCpp(moduleName = 'node-llama-cpp'): Promise<NodeLlamaCppModule> {
  try {
    return (await import(moduleName)) as NodeLlamaCppModule;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new TargetError(`the llama target needs the node-llama-cpp package, which is not installed: ${INSTALL_HINT}`, { retryable: false });
    }
    throw new TargetError(`cannot load node-llama-cpp: ${(error as Error).message}`, { retryable: false, cause: error });
  }
}

/** The message for a failure to start llama.cpp: a missing native binary says how to get one. */
export function describeLlamaStartFailure(error: unknown): string {
  const name = (error as Error)?.constructor?.name ?? '';
  if (name === 'NoBinaryFoundError' || /no binary|binary.*not found|prebuilt/i.test((error as Error)?.message ?? '')) {
    return (
      `node-llama-cpp has no native binary that runs on this machine (${process.platform} ${process.arch}); ` +
      'its prebuilt binaries come with the package (reinstall it with `npm i -E node-llama-cpp@3.21.1`), or build one from source with ' +
      '`npx --no node-llama-cpp source download` (needs cmake, a compiler and a network connection)'
    );
  }
  return `cannot start llama.cpp: ${(error as Error)?.message ?? String(error)}`;
}
