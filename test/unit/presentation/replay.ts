// Replays a Bazel 4.2.3 recording from ../shared/fixtures through the real build model, so the
// presentation tests check rows of real builds, not hand-made objects.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readBepFile } from '../../../src/bep';
import { readExecLogFile } from '../../../src/execlog';
import type { Spawn } from '../../../src/execlog/types';
import { BuildModel } from '../../../src/model';
import { fixturesDir } from '../model/shared-fixtures';

export interface Replayed {
  model: BuildModel;
  id: string;
  spawns: Spawn[];
  /** Applies the execution log (4.2.3 writes it only when the build ends). */
  joinLog(): void;
}

export async function replay(scenario: string, options = { joinLog: true }): Promise<Replayed> {
  const dir = path.join(fixturesDir(), scenario);
  const bep = await readBepFile(path.join(dir, 'bep.json'));
  assert.equal(bep.error, null);
  const log = await readExecLogFile(path.join(dir, 'exec.log.json'));
  assert.equal(log.error, null);
  const model = new BuildModel();
  const id = `replay-${scenario}`;
  for (const event of bep.events) model.applyEvent(id, event, 1_000);
  const replayed = {
    model,
    id,
    spawns: log.spawns,
    joinLog: () => model.applyExecLog(id, log.spawns),
  };
  if (options.joinLog) replayed.joinLog();
  return replayed;
}

export function fixtureText(scenario: string, file: string): string {
  return fs.readFileSync(path.join(fixturesDir(), scenario, file), 'utf8');
}
