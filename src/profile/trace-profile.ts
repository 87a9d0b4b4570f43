/**
 * Bazel's JSON trace profile (`--profile=FILE`, Chrome trace format, gzip when the name ends in
 * .gz): the one place Bazel 4.x records how long each action took. Its execution log has no
 * per-spawn time (SpawnExec's `walltime` came and went; `metrics` is newer) and its BEP
 * ActionExecuted has no start/end, so without the profile every action's duration is unknown.
 *
 * Only the "action processing" events are kept: one complete event (`ph: "X"`) per action, named
 * by the action's progress message, which 4.2.3's execution log also records per spawn.
 */
import * as fs from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { InputError } from '../util/errors';

/** Profiles beyond this are not read: a huge build's profile is not worth the editor's memory. */
export const MAX_PROFILE_BYTES = 256 * 1024 * 1024;

export interface ActionTimes {
  /** Progress message → duration in ms, for the messages that name exactly one action. */
  readonly byMessage: ReadonlyMap<string, number>;
  /** Messages that name more than one action (left out: their times cannot be told apart). */
  readonly ambiguous: number;
}

interface TraceEvent {
  cat?: unknown;
  name?: unknown;
  ph?: unknown;
  dur?: unknown;
}

/** Reads a profile file. Throws an InputError naming the file (and the offset, when known). */
export function readActionTimes(file: string): ActionTimes {
  const size = fs.statSync(file).size;
  if (size > MAX_PROFILE_BYTES) {
    throw new InputError(
      `profile of ${size} bytes is beyond the ${MAX_PROFILE_BYTES}-byte limit; not read`,
      file,
    );
  }
  let bytes = fs.readFileSync(file);
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: MAX_PROFILE_BYTES });
    } catch (err) {
      throw new InputError(`damaged gzip: ${(err as Error).message}`, file, 0);
    }
  }
  return actionTimesFromText(bytes.toString('utf8'), file);
}

/** Parses profile text (see readActionTimes); `source` names it in errors. */
export function actionTimesFromText(text: string, source: string): ActionTimes {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const at = /position (\d+)/.exec(message);
    throw new InputError(
      `not a JSON trace profile: ${message}`,
      source,
      at ? Buffer.byteLength(text.slice(0, Number(at[1]))) : undefined,
    );
  }
  // Bazel writes an object with `traceEvents`; the trace format also allows a bare array.
  const events: unknown = Array.isArray(parsed)
    ? parsed
    : typeof parsed === 'object' && parsed !== null
      ? (parsed as { traceEvents?: unknown }).traceEvents
      : undefined;
  if (!Array.isArray(events)) {
    throw new InputError('not a JSON trace profile: no traceEvents array', source, 0);
  }
  const byMessage = new Map<string, number>();
  const repeated = new Set<string>();
  for (const value of events as unknown[]) {
    if (typeof value !== 'object' || value === null) continue;
    const e = value as TraceEvent;
    if (e.cat !== 'action processing' || e.ph !== 'X') continue;
    if (typeof e.name !== 'string' || typeof e.dur !== 'number' || !(e.dur >= 0)) continue;
    if (byMessage.has(e.name) || repeated.has(e.name)) {
      byMessage.delete(e.name);
      repeated.add(e.name);
      continue;
    }
    // Trace durations are in microseconds.
    byMessage.set(e.name, Math.round(e.dur / 1000));
  }
  return { byMessage, ambiguous: repeated.size };
}

/** The part of a spawn this needs (execlog's Spawn has it). */
export interface TimedSpawn {
  progressMessage: string | null;
  wallTimeMs: number | null;
}

/**
 * Gives each spawn without a wall time the duration of the profile's action with its progress
 * message, where exactly one action has it. Returns how many spawns got a time.
 */
export function fillSpawnWallTimes(spawns: Iterable<TimedSpawn>, times: ActionTimes): number {
  const seen = new Map<string, number>();
  const pending: TimedSpawn[] = [];
  for (const spawn of spawns) {
    if (spawn.wallTimeMs !== null || spawn.progressMessage === null) continue;
    seen.set(spawn.progressMessage, (seen.get(spawn.progressMessage) ?? 0) + 1);
    pending.push(spawn);
  }
  let filled = 0;
  for (const spawn of pending) {
    const message = spawn.progressMessage as string;
    const ms = times.byMessage.get(message);
    // Two spawns with one message (e.g. one action's several spawns) share no single time.
    if (ms === undefined || seen.get(message) !== 1) continue;
    spawn.wallTimeMs = ms;
    filled++;
  }
  return filled;
}
