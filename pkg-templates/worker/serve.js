// The validator inside a module Web Worker, started by createValidatorWorker() (./index.js or
// ./full.js), whose worker script (./worker.js, ./worker-full.js) hands this the build it runs.
// It answers one message per call, in the order the calls were made:
// { id, op, args, session? } in, { id, value } or { id, error: { name, message } } out.
import { API } from './api.js';

let init;
let Validator;
let toOperationOutcome;
let validator;
let startError = new Error('ehrlint: the validator worker has not been started');
const sessions = new Map();
let nextSession = 1;
// Calls run one after the other, even those that wait (start, loading descriptions from a URL).
let queue = Promise.resolve();

/** Answers the page's calls with `build` (a build's entry: its init, Validator and toOperationOutcome). */
export function serve(build) {
  ({ default: init, Validator, toOperationOutcome } = build);
  self.onmessage = (event) => {
    const message = event.data;
    queue = queue.then(() => answer(message));
  };
}

async function answer({ id, op, args, session }) {
  let reply;
  try {
    reply = { id, value: await run(op, args ?? [], session) };
  } catch (e) {
    reply = { id, error: describe(e) };
  }
  try {
    self.postMessage(reply);
  } catch (e) {
    self.postMessage({ id, error: describe(e) });
  }
}

function describe(e) {
  return e instanceof Error ? { name: e.name, message: e.message } : { name: 'Error', message: String(e) };
}

async function run(op, args, session) {
  if (op === 'start') {
    try {
      await init();
      validator = new Validator(args[0] ?? undefined);
    } catch (e) {
      startError = e;
      throw e;
    }
    return undefined;
  }
  if (!validator) throw startError;
  if (session !== undefined) return sessionCall(session, op, args);
  switch (op) {
    case 'loadDescriptionsFrom': {
      const response = await fetch(args[0]);
      if (!response.ok) throw new Error(`ehrlint: cannot load descriptions from ${args[0]}: HTTP ${response.status}`);
      return validator.loadDescriptions(await response.text());
    }
    case 'toOperationOutcome':
      return toOperationOutcome(args[0]);
    case 'session': {
      const id = nextSession++;
      sessions.set(id, validator.session(...args));
      return id;
    }
    default:
      return forward(validator, API.validator, op, args, 'worker call');
  }
}

/** A call (api.js) of `target`, or a property read; anything else is refused. */
function forward(target, { calls, properties }, op, args, what) {
  if (calls.includes(op)) return target[op](...args);
  if (properties.includes(op)) return target[op];
  throw new Error(`ehrlint: unknown ${what} ${op}`);
}

function sessionCall(id, op, args) {
  const session = sessions.get(id);
  if (!session) throw new Error('ehrlint: this session has been freed');
  if (op === 'free') {
    sessions.delete(id);
    session.free();
    return undefined;
  }
  return forward(session, API.session, op, args, 'session call');
}
