/**
 * Seeded generator of realistic BEP streams (what Bazel publishes with
 * --build_event_publish_all_actions), encoded with our own schema: a BuildStarted, then per
 * target a TargetConfigured, its ActionExecuted events and a TargetComplete, a Progress event
 * with console chunks every so often (progress lines, and the output blocks of some actions:
 * `INFO: From Compiling …:` compiler warnings and the like), and a closing BuildFinished with
 * last_message. Mostly ActionExecuted and TargetComplete, as in big builds.
 */
import { build_event_stream } from '../src/gen/protos';
import { SeededRandom } from './rng';

const BuildEvent = build_event_stream.BuildEvent;
type EventProps = build_event_stream.IBuildEvent;

export interface BepStream {
  /** Serialized `build_event_stream.BuildEvent`s, in order; the last has last_message. */
  events: Uint8Array[];
  /** How many of them are ActionExecuted (each with its own primary output). */
  actions: number;
  targets: number;
  progress: number;
  /** Action output blocks (`INFO: From …:`) in the console chunks. */
  outputBlocks: number;
  bytes: number;
}

export interface StreamSize {
  /** Exactly this many events (at least 3), the last one BuildFinished with last_message. */
  events?: number;
  /** Or: as many events as it takes to report exactly this many actions. */
  actions?: number;
  /** Share of console chunks that carry an action's output block (default 0.3). */
  outputBlockShare?: number;
}

interface RuleKind {
  kind: string;
  mnemonic: string;
  /** The action's progress message, as the console shows it. */
  message: (label: string, output: string) => string;
}

const KINDS: readonly RuleKind[] = [
  {
    kind: 'cc_library rule',
    mnemonic: 'CppCompile',
    message: (_l, o) => `Compiling ${o.replace(/\.o$/, '.cc')}`,
  },
  { kind: 'genrule rule', mnemonic: 'Genrule', message: (l) => `Executing genrule ${l}` },
  {
    kind: 'java_library rule',
    mnemonic: 'Javac',
    message: (_l, o) => `Building ${o.replace(/\.o$/, '.jar')} (4 source files)`,
  },
  {
    kind: 'go_library rule',
    mnemonic: 'GoCompilePkg',
    message: (_l, o) => `GoCompilePkg ${o.replace(/\.o$/, '.a')}`,
  },
];
const CONFIG = { id: 'a8b3c1d2e4f5061728394a5b6c7d8e9f00112233445566778899aabbccddeeff' };
const PROGRESS_EVERY = 20;
const EXEC_ROOT = 'file:///home/dev/.cache/bazel/_bazel_dev/3f1c/execroot/_main';

function timestamp(ms: number): { seconds: number; nanos: number } {
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 };
}

export function generateBepStream(size: StreamSize, seed = 42): BepStream {
  const count = size.events ?? Number.POSITIVE_INFINITY;
  const wantedActions = size.actions ?? Number.POSITIVE_INFINITY;
  const blockShare = size.outputBlockShare ?? 0.3;
  if (size.events !== undefined && (!Number.isInteger(count) || count < 3))
    throw new Error(`BEP stream: need >= 3 events, got ${count}`);
  if (size.actions !== undefined && (!Number.isInteger(wantedActions) || wantedActions < 1))
    throw new Error(`BEP stream: need >= 1 action, got ${wantedActions}`);
  if (size.events === undefined && size.actions === undefined)
    throw new Error('BEP stream: give events or actions');
  const random = new SeededRandom(seed);
  const events: Uint8Array[] = [];
  const stats = { actions: 0, targets: 0, progress: 0, outputBlocks: 0, bytes: 0 };
  const push = (props: EventProps): void => {
    const encoded = BuildEvent.encode(props).finish();
    events.push(encoded);
    stats.bytes += encoded.length;
  };
  const startMs = 1_700_000_000_000;
  push({
    id: { started: {} },
    children: [{ progress: { opaqueCount: 0 } }, { pattern: { pattern: ['//...'] } }],
    started: {
      uuid: '00000000-0000-4000-8000-000000000001',
      startTimeMillis: startMs,
      startTime: timestamp(startMs),
      command: 'build',
      workspaceDirectory: '/home/dev/monorepo',
      workingDirectory: '/home/dev/monorepo',
      buildToolVersion: '7.4.1',
    },
  });
  const total = Number.isFinite(count) ? count : Math.ceil(wantedActions * 1.8);
  let pkg = 0;
  let index = 0;
  let open: {
    label: string;
    dir: string;
    rule: RuleKind;
    actionsLeft: number;
    configured: boolean;
  } | null = null;
  let lastMessage = 'Executing genrule //src/pkg0:target1';
  let nowMs = startMs;
  const bodyEnd = count - 1;
  while (events.length < bodyEnd && !(stats.actions === wantedActions && open === null)) {
    nowMs += random.int(0, 3);
    if ((events.length + 1) % PROGRESS_EVERY === 0) {
      let text = `[${events.length.toLocaleString('en-US')} / ${total.toLocaleString('en-US')}] ${lastMessage}; 0s linux-sandbox\n`;
      if (random.chance(blockShare)) {
        stats.outputBlocks++;
        text += `INFO: From ${lastMessage}:\n`;
        for (let i = random.int(1, 4); i > 0; i--)
          text += `warning: unused variable 'v${random.hex(6)}' [-Wunused-variable] (${random.int(1, 9999)})\n`;
      }
      push({
        id: { progress: { opaqueCount: ++stats.progress } },
        children: [{ progress: { opaqueCount: stats.progress + 1 } }],
        progress: { stderr: text },
      });
      continue;
    }
    if (!open) {
      if (++index > 20) {
        index = 1;
        pkg++;
      }
      const dir = `src/pkg${pkg}`;
      open = {
        label: `//${dir}:target${index}`,
        dir,
        rule: random.pick(KINDS),
        actionsLeft: random.int(1, 5),
        configured: false,
      };
    }
    if (!open.configured) {
      open.configured = true;
      stats.targets++;
      push({
        id: { targetConfigured: { label: open.label } },
        children: [{ targetCompleted: { label: open.label, configuration: CONFIG } }],
        configured: { targetKind: open.rule.kind },
      });
      continue;
    }
    if (open.actionsLeft > 0 && stats.actions < wantedActions) {
      open.actionsLeft--;
      stats.actions++;
      const output = `bazel-out/k8-fastbuild/bin/${open.dir}/_objs/target${index}/f${open.actionsLeft}.o`;
      lastMessage = open.rule.message(
        open.label,
        output.replace('bazel-out/k8-fastbuild/bin/', ''),
      );
      push({
        id: {
          actionCompleted: { primaryOutput: output, label: open.label, configuration: CONFIG },
        },
        action: {
          success: true,
          type: open.rule.mnemonic,
          exitCode: 0,
          label: open.label,
          configuration: CONFIG,
          primaryOutput: { name: output, uri: `${EXEC_ROOT}/${output}` },
          startTime: timestamp(nowMs - random.int(5, 5000)),
          endTime: timestamp(nowMs),
        },
      });
      continue;
    }
    const name = `${open.dir}/libtarget${index}.a`;
    const files = [{ name, uri: `${EXEC_ROOT}/bazel-out/k8-fastbuild/bin/${name}` }];
    push({
      id: { targetCompleted: { label: open.label, configuration: CONFIG } },
      completed: {
        success: true,
        outputGroup: [{ name: 'default', inlineFiles: files }],
        importantOutput: files,
      },
    });
    open = null;
  }
  push({
    id: { buildFinished: {} },
    lastMessage: true,
    finished: {
      overallSuccess: true,
      exitCode: { name: 'SUCCESS', code: 0 },
      finishTimeMillis: nowMs,
      finishTime: timestamp(nowMs),
    },
  });
  return { events, ...stats };
}
