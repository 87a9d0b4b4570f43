import type { Spawn } from '../execlog';
import { summarizeBep } from './bep-summary';
import type { LogContents } from './read-log';

/** `cache hit`, `no cache hit`: spelled out so a listing reads without a legend. */
function cacheText(spawn: Spawn): string {
  return spawn.cacheHit ? 'cache hit' : 'no cache hit';
}

function spawnLines(spawn: Spawn): string[] {
  const what = spawn.label ?? spawn.progressMessage ?? '(no label)';
  const status = spawn.status ? `, ${spawn.status}` : '';
  const lines = [
    `#${spawn.index + 1} ${spawn.mnemonic || '(no mnemonic)'} ${what}`,
    `    runner ${spawn.runner || '(none)'}, ${cacheText(spawn)}, exit ${spawn.exitCode}${status}`,
  ];
  if (spawn.label && spawn.progressMessage) lines.splice(1, 0, `    ${spawn.progressMessage}`);
  for (const output of spawn.listedOutputs) lines.push(`    -> ${output}`);
  return lines;
}

function countBy<T>(items: readonly T[], key: (item: T) => string): [string, number][] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts.entries()];
}

/**
 * The human listing `rbl log` prints without --json: per spawn its mnemonic, label or progress
 * message, runner, cache hit, exit code and outputs; per BEP file the events by kind, targets
 * with success, tests with status, and failures.
 */
export function formatListing(path: string, contents: LogContents): string[] {
  const { format } = contents;
  if (format === 'empty')
    return [`${path}: empty log (0 bytes; a build with nothing to run writes one)`];
  if (format === 'bep-binary' || format === 'bep-json') {
    const s = summarizeBep(contents.bepEvents);
    const lines = [
      `${path}: ${format}, ${contents.bepEvents.length} events`,
      '',
      'Events by kind:',
    ];
    for (const [kind, n] of Object.entries(s.byKind)) lines.push(`  ${kind} ${n}`);
    if (s.targets.length > 0) {
      lines.push('', 'Targets:');
      for (const t of s.targets) lines.push(`  ${t.success ? 'ok    ' : 'FAILED'} ${t.label}`);
    }
    if (s.tests.length > 0) {
      lines.push('', 'Tests:');
      for (const t of s.tests) {
        const time = t.durationMs === null ? '' : ` (${t.durationMs} ms)`;
        lines.push(`  ${t.status} ${t.label}${time}`);
      }
    }
    if (s.failures.length > 0) {
      lines.push('', 'Failures:');
      for (const f of s.failures) lines.push(`  ${f.what}: ${f.message.split('\n')[0]}`);
    }
    if (s.exitCode) lines.push('', `Build finished: ${s.exitCode.name} (exit ${s.exitCode.code})`);
    return lines;
  }
  const spawns = contents.spawns;
  const lines = [`${path}: ${format}, ${spawns.length} spawns`];
  for (const spawn of spawns) lines.push('', ...spawnLines(spawn));
  if (spawns.length > 0) {
    lines.push('', 'Spawns by runner:');
    for (const [runner, n] of countBy(spawns, (s) => s.runner || '(none)'))
      lines.push(`  ${runner} ${n}`);
  }
  return lines;
}
