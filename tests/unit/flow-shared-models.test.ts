// `tinydeploy run`'s flow on every shared model, on the default board (the
// virtual Apollo4 Plus running the prebuilt validator firmware) against the
// real reference (TFLite in headless Chromium). Each model ends one of three
// ways, and nothing else is accepted: the verdict passes; the package stage
// names the ops the runtime lacks; or the board refuses a package larger than
// its memory (the load stage says so).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BoardClient } from '../../src/core/rpc/client.ts';
import { runFlow } from '../../src/core/flow/run.ts';
import { openBoard, type OpenBoard } from '../../src/node/boards.ts';
import { launchReference, type ReferenceSession } from '../../src/node/reference-chromium.ts';
import { chromiumReference } from '../../src/node/run-flow.ts';
import { listSharedModels, sharedModelsDir } from '../support/models.ts';
import { flowDeps } from './flow-support.ts';

const dir = sharedModelsDir();
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const models = listSharedModels();

describe.skipIf(!dir || !existsSync(chromium))(
  'the flow on every shared model (virtual-apollo4p)',
  () => {
    let session: ReferenceSession;
    let board: OpenBoard;
    let client: BoardClient;

    beforeAll(async () => {
      session = await launchReference({ executablePath: chromium });
      board = await openBoard('virtual-apollo4p');
      client = new BoardClient(board.transport, { invokeTimeoutMs: 120_000 });
    }, 60_000);
    afterAll(async () => {
      await client?.close().catch(() => {});
      await board?.close();
      await session?.close();
    });

    it(
      'passes validation, or names the unsupported ops, or the board says the model does not fit',
      async () => {
        const outcomes: Record<string, string[]> = { pass: [], unsupported: [], 'too large': [] };
        for (const file of models) {
          const bytes = new Uint8Array(readFileSync(join(dir!, file)));
          const r = await runFlow(flowDeps(client, chromiumReference(session)), bytes, {
            boardId: 'virtual-apollo4p',
            modelName: file,
            inputSets: 3,
            seed: 7,
          });
          if (r.ok) {
            expect(r.verdict, `${file}: ${r.artifacts.validation.reason}`).toBe('pass');
            expect(
              r.artifacts.profile?.rows.every((l) => l.cycles > 0),
              file,
            ).toBe(true);
            outcomes.pass!.push(file);
          } else if (r.failure.stage === 'package') {
            expect(r.failure.code, `${file}: ${r.failure.message}`).toBe('UNSUPPORTED_OPS');
            expect(r.failure.unsupportedOps?.length, file).toBeGreaterThan(0);
            outcomes.unsupported!.push(file);
          } else {
            expect([r.failure.stage, r.failure.code], `${file}: ${r.failure.message}`).toEqual([
              'load',
              'BOARD_TOO_SMALL',
            ]);
            outcomes['too large']!.push(file);
          }
        }
        console.log(
          Object.entries(outcomes)
            .map(([k, v]) => `${k}: ${v.length}${k === 'pass' ? '' : ` (${v.join(', ')})`}`)
            .join('\n'),
        );
        // Every model whose ops are all supported and that fits the board passes;
        // the known third-party gaps stay where they are.
        expect(outcomes.pass!.length).toBeGreaterThanOrEqual(models.length - 9);
        expect(outcomes.pass).toContain('tflm/person_detect.tflite');
      },
      20 * 60_000,
    );
  },
);
