// Public surface of the flow: runFlow and its types, and the user input parsers.
export { runFlow, type FlowExtras } from './run.ts';
export { BoardOpenError } from './failure.ts';
export { figuresFor, HOST_FIGURES_NOTE } from './stage-profile.ts';
export { planInputs, resolveInputKey } from './plan-inputs.ts';
export * from './types.ts';
export * from './inputs/index.ts';
