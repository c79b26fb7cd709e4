// Serves the built app (dist/, made by "vite build" in the test:browser
// script) for the whole browser run and hands its URL to the tests.
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { serveStatic } from './support/static-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    appUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await serveStatic(resolve(import.meta.dirname, '../../dist'));
  project.provide('appUrl', server.url);
  return server.close;
}
