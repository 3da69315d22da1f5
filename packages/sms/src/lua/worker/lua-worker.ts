// The Lua worker thread's entry (bundled by tsup as dist/lua-worker.js; bundled by the host
// with esbuild when the package runs from its sources): starts Lua, then answers `LuaWorkerRequest`s one at a time. A panic
// or an unexpected JS exception ends the worker; the host replaces it.
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { LuaWorkerData, LuaWorkerReply, LuaWorkerRequest } from '../lua-worker-protocol.js';
import { createDispatcher, type Dispatcher } from './dispatcher.js';
import { createHelpers, type HelperTable } from './helpers.js';
import { createLuaApi, loadLuaModule } from './lua-api.js';
import { createMarshal } from './marshal.js';
import { createLuaMemory } from './memory.js';

const port = parentPort!;
const data = workerData as LuaWorkerData;

function fatal(e: unknown): never {
  port.postMessage({ type: 'fatal', message: e instanceof Error ? e.message : String(e) } satisfies LuaWorkerReply);
  process.exit(1);
}

async function start(): Promise<Dispatcher> {
  if (data.niceness > 0) {
    // A script spinning until its deadline should not take CPU from the host's event loop.
    // Linux applies this to the calling thread only; elsewhere it would be the whole process.
    try {
      setPriority(0, data.niceness);
    } catch {
      // Not permitted in this container or OS: run at normal priority.
    }
  }
  const api = createLuaApi(await loadLuaModule(data.wasmoonPath));
  const marshal = createMarshal(api);
  const memory = createLuaMemory(api.m, data.memoryLimitBytes);
  let helpers: HelperTable | undefined;
  const dispatcher = createDispatcher({
    api,
    marshal,
    memory,
    helpers: () => {
      helpers ??= createHelpers(api, marshal, memory, {
        budget: () => dispatcher.running().budget,
        collectRef: () => dispatcher.running().collectRef,
      });
      return helpers;
    },
    scriptLimit: data.memoryLimitBytes,
    maxStates: data.maxCachedScripts,
  });
  return dispatcher;
}

start().then(
  (dispatcher) => {
    port.on('message', (request: LuaWorkerRequest) => {
      let reply: LuaWorkerReply;
      try {
        reply = dispatcher.handle(request);
      } catch (e) {
        fatal(e);
      }
      port.postMessage(reply);
    });
    port.postMessage({ type: 'ready' } satisfies LuaWorkerReply);
  },
  (e: unknown) => fatal(e),
);
