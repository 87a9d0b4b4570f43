import { strict as assert } from 'node:assert';
import { explainSpawns } from '../../../src/explain/explain';
import type { RootCause } from '../../../src/explain/types';
import { simulateBuild, type ActionSpec } from './simulated-build';

/** A small build: a genrule chain, a C++-like compile and link, an independent genrule. */
interface Knobs {
  input?: string;
  cfg?: string;
  env?: Record<string, string>;
  step1Cmd?: string;
  copts?: string[];
  extraLib?: boolean;
  stampNonce?: string;
  toolContent?: string;
  platform?: Record<string, string>;
  withConstant?: boolean;
}

function build(k: Knobs = {}) {
  const cfg = k.cfg ?? 'k8-fastbuild';
  const bin = `bazel-out/${cfg}/bin`;
  const env = k.env ?? {};
  const sources: Record<string, string> = {
    'gen/input.txt': k.input ?? 'hello\n',
    'cc/main.cc': 'int main() {}\n',
    'cc/greet.cc': 'void greet() {}\n',
    'cc/greet.h': 'void greet();\n',
    'cc/extra.cc': 'void extra() {}\n',
    'cc/extra.h': 'void extra();\n',
    'tools/gen.sh': k.toolContent ?? '#!/bin/sh\n',
  };
  const compile = (name: string, src: string, hdrs: string[]): ActionSpec => ({
    mnemonic: 'CppCompile',
    progressMessage: `Compiling ${src}`,
    outputs: [`${bin}/cc/_objs/${name}/${name}.o`, `${bin}/cc/_objs/${name}/${name}.d`],
    inputs: [src, ...hdrs],
    args: ['gcc', ...(k.copts ?? ['-g0']), '-c', src, '-o', `${bin}/cc/_objs/${name}/${name}.o`],
    env,
  });
  const actions: ActionSpec[] = [
    {
      label: '//gen:step1',
      progressMessage: 'Executing genrule //gen:step1',
      outputs: [`${bin}/gen/step1.txt`],
      inputs: ['gen/input.txt'],
      tools: ['tools/gen.sh'],
      args: ['/bin/bash', '-c', k.step1Cmd ?? 'tr a-z A-Z < gen/input.txt > $@'],
      env,
      platform: k.platform,
    },
    {
      label: '//gen:step2',
      outputs: [`${bin}/gen/step2.txt`],
      inputs: [`${bin}/gen/step1.txt`],
      args: ['/bin/bash', '-c', 'rev'],
      env,
      platform: k.platform,
    },
    {
      label: '//gen:step3',
      outputs: [`${bin}/gen/step3.txt`],
      inputs: [`${bin}/gen/step2.txt`],
      args: ['/bin/bash', '-c', 'wc'],
      env,
      platform: k.platform,
    },
    ...(k.withConstant === false
      ? []
      : [
          {
            label: '//gen:constant',
            outputs: [`${bin}/gen/constant.txt`],
            args: ['/bin/bash', '-c', 'echo 42'],
            nonce: k.stampNonce,
          },
          {
            label: '//gen:uses_constant',
            outputs: [`${bin}/gen/uses_constant.txt`],
            inputs: [`${bin}/gen/constant.txt`],
            args: ['/bin/bash', '-c', 'cp'],
          },
        ]),
    compile('greet', 'cc/greet.cc', ['cc/greet.h']),
    ...(k.extraLib
      ? [
          compile('extra', 'cc/extra.cc', ['cc/extra.h']),
          {
            mnemonic: 'CppArchive',
            progressMessage: 'Linking cc/libextra.a',
            outputs: [`${bin}/cc/libextra.a`],
            inputs: [`${bin}/cc/_objs/extra/extra.o`],
            args: ['ar', 'rcs', `${bin}/cc/libextra.a`],
          },
        ]
      : []),
    compile('main', 'cc/main.cc', ['cc/greet.h', ...(k.extraLib ? ['cc/extra.h'] : [])]),
    {
      mnemonic: 'CppLink',
      progressMessage: 'Linking cc/hello',
      outputs: [`${bin}/cc/hello`],
      inputs: [
        `${bin}/cc/_objs/greet/greet.o`,
        `${bin}/cc/_objs/main/main.o`,
        ...(k.extraLib ? [`${bin}/cc/_objs/extra/extra.o`] : []),
      ],
      args: ['gcc', '-o', `${bin}/cc/hello`],
      env,
    },
  ];
  return simulateBuild(sources, actions);
}

function kinds(causes: RootCause[]): string[] {
  return causes.map((c) => c.kind);
}

describe('explain: root causes on simulated builds', () => {
  it('the same build twice has no root causes and nothing changed', () => {
    const r = explainSpawns(build(), build()).summary;
    assert.deepEqual(r.rootCauses, []);
    assert.equal(r.actions.changed, 0);
    assert.equal(r.actions.unchanged, r.actions.new);
    assert.equal(r.actions.old, r.actions.new);
  });

  it('a source edit feeding a chain is one input cause covering the whole chain', () => {
    const r = explainSpawns(build(), build({ input: 'bonjour\n' })).summary;
    assert.deepEqual(kinds(r.rootCauses), ['input']);
    const [cause] = r.rootCauses;
    assert.equal(cause.kind === 'input' && cause.path, 'gen/input.txt');
    assert.equal(cause.affectedActions, 3);
    assert.deepEqual(cause.examples, [
      'bazel-out/k8-fastbuild/bin/gen/step1.txt',
      'bazel-out/k8-fastbuild/bin/gen/step2.txt',
      'bazel-out/k8-fastbuild/bin/gen/step3.txt',
    ]);
    assert.equal(r.actions.changed, 3);
    assert.equal(r.actions.unchanged, r.actions.new - 3);
  });

  it('an env change is one env cause with old and new values over every action seeing it', () => {
    const r = explainSpawns(build({ env: { X: '1' } }), build({ env: { X: '2' } })).summary;
    assert.deepEqual(r.rootCauses, [
      {
        kind: 'env',
        name: 'X',
        old: '1',
        new: '2',
        affectedActions: 6,
        examples: r.rootCauses[0].examples,
      },
    ]);
    assert.equal(r.rootCauses[0].examples[0], 'bazel-out/k8-fastbuild/bin/gen/step1.txt');
    assert.equal(r.actions.changed, 6);
  });

  it('a variable only on one side has null on the other', () => {
    const r = explainSpawns(build({ env: {} }), build({ env: { ONLY_NEW: 'y' } })).summary;
    const cause = r.rootCauses[0];
    assert.equal(cause.kind, 'env');
    assert.equal(cause.kind === 'env' && cause.old, null);
    assert.equal(cause.kind === 'env' && cause.new, 'y');
  });

  it('an edited command line is one args cause; its dependants are attributed to it', () => {
    const r = explainSpawns(build(), build({ step1Cmd: 'cat gen/input.txt > $@' })).summary;
    assert.deepEqual(kinds(r.rootCauses), ['args']);
    const cause = r.rootCauses[0];
    assert.ok(cause.kind === 'args');
    assert.deepEqual(cause.old, ['tr a-z A-Z < gen/input.txt > $@']);
    assert.deepEqual(cause.new, ['cat gen/input.txt > $@']);
    assert.equal(cause.affectedActions, 3);
    assert.equal(cause.examples[0], 'bazel-out/k8-fastbuild/bin/gen/step1.txt');
  });

  it('a changed configuration is one configuration cause with the argument changes under it', () => {
    const r = explainSpawns(
      build({ cfg: 'k8-fastbuild', copts: ['-g0'] }),
      build({ cfg: 'k8-opt', copts: ['-O2', '-DNDEBUG'] }),
    ).summary;
    assert.deepEqual(kinds(r.rootCauses), ['configuration']);
    const cause = r.rootCauses[0];
    assert.ok(cause.kind === 'configuration');
    assert.equal(cause.old, 'k8-fastbuild');
    assert.equal(cause.new, 'k8-opt');
    assert.deepEqual(cause.args, { old: ['-g0'], new: ['-O2', '-DNDEBUG'] });
    assert.equal(cause.affectedActions, r.actions.new);
    assert.equal(r.actions.added, 0);
    assert.equal(r.actions.changed, r.actions.new);
  });

  it('actions only the new configuration has are attributed to the configuration too', () => {
    const r = explainSpawns(
      build({ cfg: 'k8-fastbuild' }),
      build({ cfg: 'k8-opt', extraLib: true }),
    ).summary;
    assert.deepEqual(kinds(r.rootCauses), ['configuration']);
    assert.equal(r.actions.added, 2);
    assert.equal(r.rootCauses[0].affectedActions, r.actions.new);
  });

  it('a new library is action-added, and the link and compile that now read it follow it', () => {
    const ex = explainSpawns(build(), build({ extraLib: true }));
    const r = ex.summary;
    assert.deepEqual(kinds(r.rootCauses), ['action-added']);
    const cause = r.rootCauses[0];
    assert.ok(cause.kind === 'action-added');
    assert.equal(cause.path, 'bazel-out/k8-fastbuild/bin/cc/_objs/extra/extra.o');
    assert.equal(cause.mnemonic, 'CppCompile');
    // extra.o compile, libextra.a, main.o (new header), hello (new object).
    assert.equal(cause.affectedActions, 4);
    assert.equal(r.actions.added, 2);
    assert.equal(r.actions.changed, 2);
    const link = ex.actions.find((a) => a.primaryOutput.endsWith('/cc/hello'));
    // The link reads the new object and main.o, which changed because of the new header.
    assert.deepEqual(link?.via.sort(), [
      'bazel-out/k8-fastbuild/bin/cc/_objs/extra/extra.o',
      'bazel-out/k8-fastbuild/bin/cc/_objs/main/main.o',
    ]);
  });

  it('a non-hermetic action is the root cause of its dependants', () => {
    const r = explainSpawns(build({ stampNonce: 'a' }), build({ stampNonce: 'b' })).summary;
    assert.deepEqual(r.rootCauses, [
      {
        kind: 'non-hermetic',
        path: 'bazel-out/k8-fastbuild/bin/gen/constant.txt',
        affectedActions: 2,
        examples: [
          'bazel-out/k8-fastbuild/bin/gen/constant.txt',
          'bazel-out/k8-fastbuild/bin/gen/uses_constant.txt',
        ],
      },
    ]);
  });

  it('a changed tool is a tool cause', () => {
    const r = explainSpawns(build(), build({ toolContent: '#!/bin/bash\n' })).summary;
    assert.deepEqual(kinds(r.rootCauses), ['tool']);
    assert.equal(r.rootCauses[0].kind === 'tool' && r.rootCauses[0].path, 'tools/gen.sh');
    assert.equal(r.rootCauses[0].affectedActions, 3);
  });

  it('a changed platform property is a platform cause', () => {
    const r = explainSpawns(
      build({ platform: { OSFamily: 'Linux' } }),
      build({ platform: { OSFamily: 'Linux', Pool: 'big' } }),
    ).summary;
    assert.deepEqual(kinds(r.rootCauses), ['platform']);
    const c = r.rootCauses[0];
    assert.ok(c.kind === 'platform');
    assert.deepEqual([c.name, c.old, c.new, c.affectedActions], ['Pool', null, 'big', 3]);
  });

  it('independent causes are all reported, biggest first', () => {
    const r = explainSpawns(
      build({ env: { X: '1' } }),
      build({ env: { X: '1' }, input: 'changed\n', copts: ['-g1'] }),
    ).summary;
    assert.deepEqual(kinds(r.rootCauses), ['input', 'args']);
    assert.equal(r.rootCauses[0].affectedActions, 3);
    assert.equal(r.rootCauses[1].affectedActions, 3); // greet.o, main.o, and the link
  });

  it('a source file added to or removed from an action is input-added / input-removed', () => {
    const base = { 'a.txt': 'a', 'b.txt': 'b' };
    const oldLog = simulateBuild(base, [{ outputs: ['bazel-out/k8/bin/o'], inputs: ['a.txt'] }]);
    const newLog = simulateBuild(base, [{ outputs: ['bazel-out/k8/bin/o'], inputs: ['b.txt'] }]);
    const r = explainSpawns(oldLog, newLog).summary;
    assert.deepEqual(
      r.rootCauses.map((c) => [c.kind, 'path' in c ? c.path : null]),
      [
        ['input-added', 'b.txt'],
        ['input-removed', 'a.txt'],
      ],
    );
  });
});

describe('explain: actions present on one side only', () => {
  it('an action missing from NEW is notRun unless both builds are complete', () => {
    const oldLog = build();
    const newLog = build({ withConstant: false });
    const partial = explainSpawns(oldLog, newLog).summary;
    assert.equal(partial.actions.notRun, 2);
    assert.equal(partial.actions.removed, 0);
    assert.deepEqual(partial.rootCauses, []);

    const complete = explainSpawns(oldLog, newLog, { bothComplete: true }).summary;
    assert.equal(complete.actions.removed, 2);
    assert.equal(complete.actions.notRun, 0);
    assert.deepEqual(kinds(complete.rootCauses), ['action-removed', 'action-removed']);
  });

  it('a consumer losing an input is evidence its producer was removed', () => {
    const src = { 'in.txt': 'x' };
    const oldLog = simulateBuild(src, [
      { outputs: ['bazel-out/k8/bin/gone.txt'], inputs: ['in.txt'], label: '//p:gone' },
      { outputs: ['bazel-out/k8/bin/user.txt'], inputs: ['bazel-out/k8/bin/gone.txt', 'in.txt'] },
    ]);
    const newLog = simulateBuild(src, [
      { outputs: ['bazel-out/k8/bin/user.txt'], inputs: ['in.txt'] },
    ]);
    const r = explainSpawns(oldLog, newLog).summary;
    assert.equal(r.actions.removed, 1);
    assert.equal(r.actions.changed, 1);
    assert.deepEqual(r.rootCauses, [
      {
        kind: 'action-removed',
        path: 'bazel-out/k8/bin/gone.txt',
        label: '//p:gone',
        mnemonic: 'Genrule',
        affectedActions: 2,
        examples: ['bazel-out/k8/bin/gone.txt', 'bazel-out/k8/bin/user.txt'],
      },
    ]);
  });

  it('every old action is accounted for exactly once', () => {
    const oldLog = build({ env: { X: '1' } });
    const newLog = build({ env: { X: '2' }, extraLib: true, withConstant: false });
    const a = explainSpawns(oldLog, newLog).summary.actions;
    assert.equal(a.old, a.changed + a.unchanged + a.removed + a.notRun);
    assert.equal(a.new, a.changed + a.unchanged + a.added);
  });
});

describe('explain: pairing', () => {
  it('pairs Bazel 4.2.3 spawns by the label in their progress message when outputs moved', () => {
    const src = { 'in.txt': 'x' };
    const oldLog = simulateBuild(src, [
      {
        outputs: ['bazel-out/k8/bin/p/old_name.txt'],
        inputs: ['in.txt'],
        progressMessage: 'Executing genrule //p:gen',
        args: ['/bin/bash', '-c', 'cp in.txt old_name.txt'],
      },
    ]);
    const newLog = simulateBuild(src, [
      {
        outputs: ['bazel-out/k8/bin/p/new_name.txt'],
        inputs: ['in.txt'],
        progressMessage: 'Executing genrule //p:gen',
        args: ['/bin/bash', '-c', 'cp in.txt new_name.txt'],
      },
    ]);
    const r = explainSpawns(oldLog, newLog).summary;
    assert.equal(r.actions.changed, 1);
    assert.equal(r.actions.added, 0);
    assert.deepEqual(kinds(r.rootCauses), ['args']);
  });

  it('follows a change through a file inside a tree artifact to its producer', () => {
    const tree = 'bazel-out/k8/bin/out/tree';
    const make = (content: string) =>
      simulateBuild({}, [
        { outputs: [tree], args: ['/bin/bash', '-c', `echo ${content} > $1/f.txt`] },
      ]).concat(
        simulateBuild({ [`${tree}/f.txt`]: content }, [
          { outputs: ['bazel-out/k8/bin/in/copy'], inputs: [`${tree}/f.txt`], args: ['cat'] },
        ]).map((s) => ({ ...s, index: 1 })),
      );
    const r = explainSpawns(make('old'), make('new')).summary;
    assert.deepEqual(kinds(r.rootCauses), ['args']);
    assert.equal(r.rootCauses[0].affectedActions, 2);
  });
});
