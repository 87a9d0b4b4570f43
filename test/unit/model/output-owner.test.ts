// Console output blocks find their action through the label and message indexes (no scan of all
// actions per event), wait when no owner exists yet, and stop waiting past a bound.
import * as assert from 'node:assert/strict';
import type { OutputBlock } from '../../../src/model/action-output';
import { InvocationRecord, newInvocation } from '../../../src/model/invocation-record';
import { PendingOutput } from '../../../src/model/pending-output';
import type { BepEvent } from '../../../src/bep/types';

function record(): { rec: InvocationRecord; updated: string[] } {
  const updated: string[] = [];
  const rec = new InvocationRecord(newInvocation('i', null), {
    invocation: () => undefined,
    target: () => undefined,
    action: (_inv, id, added) => {
      if (!added) updated.push(id);
    },
    test: () => undefined,
  });
  return { rec, updated };
}

function action(out: string, label: string, type = 'Genrule'): BepEvent {
  return {
    id: { actionCompleted: { primaryOutput: out, label } },
    action: { success: true, type, label },
  };
}

function progressText(stderr: string): BepEvent {
  return { id: { progress: { opaqueCount: 1 } }, progress: { stderr } };
}

const block = (message: string, label: string | null, text: string): OutputBlock => ({
  message,
  label,
  stream: 'stderr',
  text,
});

describe('model: console output owners', () => {
  it('a labelled block goes to the first non-test action with that label, before or after it arrives', () => {
    const { rec } = record();
    rec.apply(action('out/t.log', '//p:t', 'TestRunner'), 1);
    rec.apply(
      progressText('INFO: From Executing genrule //p:t:\nearly line\nINFO: Build completed\n'),
      2,
    );
    assert.equal(rec.pendingOutput.length, 1, 'a TestRunner action does not own console blocks');
    rec.apply(action('out/a', '//p:t'), 3);
    rec.apply(action('out/b', '//p:t'), 4);
    rec.apply(progressText('INFO: From Executing genrule //p:t:\nlate line\nINFO: done\n'), 5);
    assert.equal(rec.actions.get('out/a')?.stderr, 'early line\nlate line\n');
    assert.equal(rec.actions.get('out/b')?.stderr, '');
    assert.equal(rec.actions.get('out/t.log')?.stderr, '');
    assert.equal(rec.pendingOutput.length, 0);
  });

  it('a block naming no label waits for the log join and goes to the action with its message', () => {
    const { rec, updated } = record();
    rec.apply(action('out/x.o', '//c:x', 'CppCompile'), 1);
    rec.apply(action('out/y.o', '//c:y', 'CppCompile'), 2);
    rec.apply(progressText('INFO: From Compiling c/y.cc:\nwarning: unused y\nINFO: done\n'), 3);
    assert.deepEqual(
      rec.pendingOutput.map((b) => b.message),
      ['Compiling c/y.cc'],
    );
    const y = rec.actions.get('out/y.o');
    assert.ok(y);
    y.spawns = [
      {
        runner: 'linux-sandbox',
        location: 'local',
        locationReason: null,
        cacheHit: false,
        exitCode: 0,
        status: '',
        outputs: ['out/y.o'],
        mnemonic: 'CppCompile',
        durationMs: 1,
      },
    ];
    rec.setProgressMessage('out/y.o', 'Compiling c/y.cc');
    updated.length = 0;
    rec.attachOutput();
    assert.equal(y.stderr, 'warning: unused y\n');
    assert.equal(rec.actions.get('out/x.o')?.stderr, '');
    assert.deepEqual(updated, ['out/y.o']);
    assert.equal(rec.pendingOutput.length, 0);
  });

  it('a message match wins over an earlier action with the same label', () => {
    const { rec } = record();
    rec.apply(action('out/gen1', '//p:g'), 1);
    rec.apply(action('out/gen2', '//p:g'), 2);
    const second = rec.actions.get('out/gen2');
    assert.ok(second);
    second.spawns = [
      {
        runner: 'remote',
        location: 'remote',
        locationReason: null,
        cacheHit: false,
        exitCode: 0,
        status: '',
        outputs: [],
        mnemonic: 'Genrule',
        durationMs: 1,
      },
    ];
    rec.setProgressMessage('out/gen2', 'Executing genrule //p:g [2]');
    rec.apply(progressText('INFO: From Executing genrule //p:g [2]:\nsecond\nINFO: done\n'), 3);
    assert.equal(second.stderr, 'second\n');
    assert.equal(rec.actions.get('out/gen1')?.stderr, '');
  });

  it('a replaced action takes over its place in the label index', () => {
    const { rec } = record();
    rec.apply(action('out/a', '//p:a'), 1);
    rec.apply(action('out/a', '//p:a'), 2);
    rec.apply(progressText('INFO: From Executing genrule //p:a:\nafter replace\nINFO: done\n'), 3);
    assert.equal(rec.actions.get('out/a')?.stderr, 'after replace\n');
  });

  it('interned labels, mnemonics and configuration ids keep their values', () => {
    const { rec } = record();
    for (let n = 0; n < 2; n++) {
      rec.apply(
        {
          id: {
            actionCompleted: {
              primaryOutput: `out/${n}`,
              label: ['//p', 'a'].join(':'),
              configuration: { id: ['k8', 'fastbuild'].join('-') },
            },
          },
          action: { success: true, type: ['Gen', 'rule'].join('') },
        },
        n,
      );
    }
    const [a, b] = [rec.actions.get('out/0'), rec.actions.get('out/1')];
    assert.equal(a?.label, '//p:a');
    assert.equal(b?.configuration, 'k8-fastbuild');
    assert.equal(b?.mnemonic, 'Genrule');
  });
});

describe('model: pending output bound', () => {
  it('past the bound the oldest blocks stop waiting and are kept as unattributed output', () => {
    const pending = new PendingOutput(3);
    for (let n = 0; n < 5; n++) pending.add(block(`Compiling ${n}.cc`, null, `w${n}\n`));
    assert.equal(pending.size, 3);
    assert.deepEqual(
      pending.blocks().map((b) => b.text),
      ['w2\n', 'w3\n', 'w4\n'],
    );
    assert.deepEqual(
      pending.unattributed.map((b) => b.text),
      ['w0\n', 'w1\n'],
    );
  });

  it('offers only the blocks of a label, oldest first, and forgets claimed ones', () => {
    const pending = new PendingOutput();
    pending.add(block('m1', '//p:a', 'a1'));
    pending.add(block('m2', '//p:b', 'b1'));
    pending.add(block('m3', '//p:a', 'a2'));
    pending.add(block('m4', null, 'n1'));
    const seen: string[] = [];
    pending.offer('//p:a', (b) => {
      seen.push(b.text);
      return b.text === 'a2';
    });
    assert.deepEqual(seen, ['a1', 'a2']);
    assert.deepEqual(
      pending.blocks().map((b) => b.text),
      ['a1', 'b1', 'n1'],
    );
    pending.offer(undefined, () => true);
    assert.equal(pending.size, 0);
    assert.deepEqual(pending.blocks(), []);
  });

  it('stays consistent through many claims and give-ups (compaction)', () => {
    const pending = new PendingOutput(500);
    let claimed = 0;
    for (let n = 0; n < 5000; n++) {
      pending.add(block(`m${n}`, `//p:${n % 7}`, `t${n}`));
      if (n % 3 === 0) {
        pending.offer(`//p:${n % 7}`, () => {
          claimed++;
          return true;
        });
      }
    }
    const waiting = pending.blocks();
    assert.equal(waiting.length, pending.size);
    assert.equal(claimed + pending.size + pending.unattributed.length, 5000);
    const order = waiting.map((b) => Number(b.text.slice(1)));
    assert.deepEqual(
      order,
      [...order].sort((x, y) => x - y),
    );
  });
});
