// `rbl log --json` on every Bazel 4.2.3 recording: binary and JSON twins must agree, and the
// spawns per runner must match Bazel's own `INFO: N processes: ...` line of the same build
// (by the rule of reference/bazel-4.2.3-behaviour.md §4; runner names come from that line).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readLog } from '../../../src/logs';
import { parseProcessesLine } from '../../helpers/processes-line';
import { bazelScenarios, rblLogJson, type LogJson } from './shared-fixtures';

describe('rbl log on the Bazel 4.2.3 recordings', () => {
  for (const dir of bazelScenarios()) {
    const name = path.basename(dir);
    const file = (f: string) => path.join(dir, f);

    describe(name, () => {
      let execBin: LogJson;
      let execJson: LogJson;
      let bepBin: LogJson;
      let bepJson: LogJson;

      before(async () => {
        const results = await Promise.all(
          ['exec.log.bin', 'exec.log.json', 'bep.bin', 'bep.json'].map(async (f) => {
            const { run, json } = await rblLogJson(file(f));
            assert.equal(run.code, 0, `${f}: ${run.stderr}`);
            assert.equal(run.stderr, '');
            assert.equal(json.error, null);
            return json;
          }),
        );
        [execBin, execJson, bepBin, bepJson] = results;
      });

      it('detects every format from the content', () => {
        const empty = fs.statSync(file('exec.log.bin')).size === 0;
        assert.equal(execBin.format, empty ? 'empty' : 'spawn-binary');
        assert.equal(
          execJson.format,
          fs.statSync(file('exec.log.json')).size === 0 ? 'empty' : 'spawn-json',
        );
        assert.equal(bepBin.format, 'bep-binary');
        assert.equal(bepJson.format, 'bep-json');
      });

      it('lists the same spawns from the binary and the JSON execution log', () => {
        assert.deepEqual(execBin.spawns, execJson.spawns);
        // Bazel 4.2.3 writes one pretty-printed object per spawn, the next one's `{` right
        // after the previous one's closing `}` at the start of a line.
        const text = fs.readFileSync(file('exec.log.json'), 'utf8');
        const objects = text === '' ? 0 : (text.match(/^\}/gm) ?? []).length;
        assert.equal(execJson.spawns.length, objects);
      });

      it('counts the same events in the binary and the JSON BEP file, one per JSON line', () => {
        assert.deepEqual(bepBin.events, bepJson.events);
        const lines = fs
          .readFileSync(file('bep.json'), 'utf8')
          .split('\n')
          .filter((l) => l.trim() !== '');
        const total = Object.values(bepJson.events).reduce((a, b) => a + b, 0);
        assert.equal(total, lines.length);
        // Every kind named as in BEP JSON: the key of each line's id.
        const kinds = new Map<string, number>();
        for (const line of lines) {
          const kind = Object.keys((JSON.parse(line) as { id: object }).id)[0];
          kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
        }
        assert.deepEqual(bepJson.events, Object.fromEntries(kinds));
      });

      it("matches Bazel's processes line, runner by runner", async () => {
        const processes = parseProcessesLine(fs.readFileSync(file('processes.txt'), 'utf8'));
        assert.ok(processes, 'no processes line');
        const bep = await readLog(file('bep.json'));
        const actions = bep.bepEvents.filter((e) => e.id.actionCompleted);
        assert.equal(actions.length, processes.total, 'N = ActionExecuted events');
        const success = new Map<string, boolean>();
        for (const a of actions)
          success.set(a.id.actionCompleted?.primaryOutput ?? '', a.action?.success === true);
        const tally = new Map<string, number>();
        for (const spawn of execBin.spawns) {
          // A spawn belongs to the action whose primary output it lists; test spawns list
          // test.xml etc. beside the action's test.log.
          const owner = [...success.keys()].find(
            (primary) =>
              spawn.outputs.includes(primary) ||
              (spawn.mnemonic === 'TestRunner' &&
                spawn.outputs.some((o) => path.dirname(o) === path.dirname(primary))),
          );
          assert.ok(owner !== undefined, `no action for spawn ${spawn.outputs.join(', ')}`);
          if (success.get(owner)) tally.set(spawn.runner, (tally.get(spawn.runner) ?? 0) + 1);
        }
        let counted = 0;
        for (const [runner, n] of tally) {
          assert.equal(n, processes.byRunner[runner], `runner ${runner}`);
          counted += n;
        }
        for (const [runner, n] of Object.entries(processes.byRunner)) {
          if (!tally.has(runner))
            assert.equal(n, processes.total - counted, `${runner} is the remainder`);
        }
      });
    });
  }
});
