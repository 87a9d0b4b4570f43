// Secrets in BEP command lines, option lists, optionsDescription and progress text are masked as
// they arrive, and remembered so they are masked wherever they appear again.
import * as assert from 'node:assert/strict';
import { build_event_stream } from '../../../src/gen/protos';
import { BesSink, type SinkEvent } from '../../../src/bes/sink';
import { Redactor } from '../../../src/bes/redact';
import type { BepEvent } from '../../../src/bep/types';
import { BesTestClient, fullStream } from './bes-client';

const SECRET = 'tok-3f9a1c77e2';

describe('redaction', () => {
  it('masks header option values but keeps header names', () => {
    const r = new Redactor();
    assert.equal(r.text(`--remote_header=x-api-key=${SECRET}`), '--remote_header=x-api-key=***');
    assert.equal(
      r.text(`--remote_cache_header='authorization=Bearer ${SECRET}'`),
      "--remote_cache_header='authorization=***'",
    );
    assert.equal(
      r.text(`--remote_exec_header x-token=${SECRET} --bes_header=a=b1234`),
      '--remote_exec_header x-token=*** --bes_header=a=***',
    );
    assert.equal(
      r.text('--remote_downloader_header=k=abcdefg'),
      '--remote_downloader_header=k=***',
    );
  });

  it('masks URL user-info and secret-looking --client_env values only', () => {
    const r = new Redactor();
    assert.equal(
      r.text('--remote_cache=grpcs://user:pa55word@cache.example:443'),
      '--remote_cache=grpcs://***@cache.example:443',
    );
    assert.equal(r.text('--client_env=GITHUB_TOKEN=ghp_abc123'), '--client_env=GITHUB_TOKEN=***');
    assert.equal(r.text('--client_env=PATH=/usr/bin:/bin'), '--client_env=PATH=/usr/bin:/bin');
  });

  it('handles flags whose value is the next argument, and remembers secrets seen', () => {
    const r = new Redactor();
    assert.deepEqual(r.args(['build', '--remote_header', `x-api-key=${SECRET}`, '//...']), [
      'build',
      '--remote_header',
      'x-api-key=***',
      '//...',
    ]);
    assert.equal(r.text(`header value ${SECRET} echoed later`), 'header value *** echoed later');
  });

  it('redacts every place a BEP event carries the command line', () => {
    const r = new Redactor();
    const event: BepEvent = {
      id: { structuredCommandLine: { commandLineLabel: 'canonical' } },
      structuredCommandLine: {
        commandLineLabel: 'canonical',
        sections: [
          {
            sectionLabel: 'command options',
            optionList: {
              option: [
                {
                  combinedForm: `--remote_header=x-api-key=${SECRET}`,
                  optionName: 'remote_header',
                  optionValue: `x-api-key=${SECRET}`,
                },
                {
                  combinedForm: '--disk_cache=/tmp/dc',
                  optionName: 'disk_cache',
                  optionValue: '/tmp/dc',
                },
              ],
            },
          },
        ],
      },
    };
    const out = r.event(event);
    assert.ok(!JSON.stringify(out).includes(SECRET));
    const options = out.structuredCommandLine?.sections?.[0]?.optionList?.option ?? [];
    assert.equal(options[0]?.optionValue, 'x-api-key=***');
    assert.equal(options[1]?.optionValue, '/tmp/dc');
  });

  it('reaches secrets in every event kind, nested anywhere, without changing the input', () => {
    const r = new Redactor();
    r.text(`--bes_header=x-token=${SECRET}`);
    const input: BepEvent = {
      id: { namedSet: { id: '1' } },
      namedSetOfFiles: {
        files: [
          { name: 'a.o', uri: 'file:///x/a.o' },
          { name: 'b.o', uri: 'bytestream://ci:pa55word@cache.example/blobs/ab/1' },
        ],
      },
      action: {
        type: 'Genrule',
        commandLine: ['/bin/bash', '-c', `curl -H "x-token: ${SECRET}" https://u:p4ss@h/x`],
        stderr: { name: 'stderr', uri: `file:///tmp/${SECRET}/stderr` },
      },
      progress: { stderr: `INFO: From Executing genrule //p:g:\n${SECRET}\n` },
    };
    const before = JSON.stringify(input);
    const out = JSON.stringify(r.event(input));
    assert.equal(JSON.stringify(input), before, 'the input event is not changed');
    assert.ok(!out.includes(SECRET), out);
    assert.ok(!out.includes('pa55word') && !out.includes('p4ss'), out);
    assert.ok(out.includes('bytestream://***@cache.example/blobs/ab/1'), out);
    assert.ok(out.includes('"uri":"file:///x/a.o"'), 'plain strings stay as they were');
  });

  it("masks secrets in a file's inline base64 contents (action stdout/stderr)", () => {
    const r = new Redactor();
    r.text(`--remote_header=authorization=${SECRET}`);
    const b64 = (t: string): string => Buffer.from(t, 'utf8').toString('base64');
    const plain = b64('compiled ok\n');
    const out = r.event({
      id: { actionCompleted: { primaryOutput: 'out/a' } },
      action: {
        stdout: { name: 'stdout', contents: plain },
        stderr: { name: 'stderr', contents: b64(`token is ${SECRET}\n`) },
      },
    });
    assert.equal(out.action?.stdout?.contents, plain);
    const stderr = Buffer.from(out.action?.stderr?.contents ?? '', 'base64').toString('utf8');
    assert.equal(stderr, 'token is ***\n');
  });

  it('the sink hands out only redacted events', async () => {
    const sink = new BesSink();
    const events: SinkEvent[] = [];
    sink.onEvent.event((e) => events.push(e));
    const client = new BesTestClient(await sink.listen('127.0.0.1:0'));
    const BuildEvent = build_event_stream.BuildEvent;
    const raw = (obj: object): Uint8Array => BuildEvent.encode(BuildEvent.fromObject(obj)).finish();
    const records = [
      raw({
        id: { started: {} },
        started: {
          optionsDescription: `--remote_header=x-api-key=${SECRET} --remote_cache=grpcs://u:${SECRET}x@h`,
        },
      }),
      raw({
        id: { unstructuredCommandLine: {} },
        unstructuredCommandLine: {
          args: ['bazel', 'build', `--remote_header=x-api-key=${SECRET}`],
        },
      }),
      raw({
        id: { optionsParsed: {} },
        optionsParsed: {
          cmdLine: [`--remote_header=x-api-key=${SECRET}`],
          explicitCmdLine: ['--remote_header', `x-api-key=${SECRET}`],
        },
      }),
      raw({
        id: { progress: {} },
        progress: {
          stderr: `INFO: Reading rc options: --remote_header=x-api-key=${SECRET}\nand again ${SECRET}\n`,
        },
      }),
    ];
    const ids = { buildId: 'b', invocationId: 'i' };
    await client.stream(fullStream(ids, records));
    client.close();
    await sink.close();
    assert.equal(events.length, 4);
    const text = JSON.stringify(events);
    assert.ok(!text.includes(SECRET), text);
    assert.match(text, /x-api-key=\*\*\*/);
  });
});
