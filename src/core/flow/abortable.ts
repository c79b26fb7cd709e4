// Cancellation that always settles: a board that stops mid-request (or a
// reference that hangs) must not keep a cancelled run waiting for its
// timeout. Every call races the AbortSignal; the call itself is left to
// finish or fail on its own.
import { FlowStop } from './failure.ts';
import type { FlowBoard, FlowStage, Reference } from './types.ts';

function race<T>(
  work: () => Promise<T>,
  signal: AbortSignal | undefined,
  what: () => string,
  stage: () => FlowStage,
): Promise<T> {
  if (!signal) return work();
  const cancelled = (): FlowStop =>
    new FlowStop({
      stage: stage(),
      code: 'CANCELLED',
      message: `cancelled during ${stage()} (${what()})`,
    });
  if (signal.aborted) return Promise.reject(cancelled());
  return new Promise<T>((resolve, reject) => {
    // A macrotask later: a call that stops on its own (an upload whose
    // progress callback saw the signal) settles first, with its own words.
    const onAbort = (): void => void setTimeout(() => reject(cancelled()), 0);
    signal.addEventListener('abort', onAbort, { once: true });
    work()
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export function abortableBoard(
  board: FlowBoard,
  signal: AbortSignal | undefined,
  stage: () => FlowStage,
): FlowBoard {
  if (!signal) return board;
  const r = <T>(name: string, work: () => Promise<T>): Promise<T> =>
    race(work, signal, () => `waiting for the board's ${name}`, stage);
  return {
    info: () => r('INFO', () => board.info()),
    kernels: () => r('KERNELS', () => board.kernels()),
    loadPackage: (p, cb) => r('LOAD_PACKAGE', () => board.loadPackage(p, cb)),
    setInput: (i, b) => r('SET_INPUT', () => board.setInput(i, b)),
    invoke: (o) => r('INVOKE', () => board.invoke(o)),
    getOutput: (i) => r('GET_OUTPUT', () => board.getOutput(i)),
    getTensor: (i) => r('GET_TENSOR', () => board.getTensor(i)),
    getProfile: () => r('GET_PROFILE', () => board.getProfile()),
    reset: (h) => r('RESET', () => board.reset(h)),
  };
}

export function abortableReference(
  reference: Reference,
  signal: AbortSignal | undefined,
  stage: () => FlowStage,
): Reference {
  if (!signal) return reference;
  return {
    run: (model, sets) =>
      race(
        () => reference.run(model, sets),
        signal,
        () => 'waiting for the reference',
        stage,
      ),
  };
}
