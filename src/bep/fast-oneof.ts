/**
 * protobufjs' generated decoders set a oneof's virtual field (`m.payload = "action"`) after every
 * member they decode, and its generated setter then `delete`s every OTHER member by name: 23
 * deletes for a BuildEvent payload, 28 for its id. That was the largest single frame of BEP
 * decoding in the ingest profile. The generated accessor cannot be redefined (it is not
 * configurable), so messages are decoded into instances of a prototype that sits between the
 * generated one and the instance and carries a setter with the same meaning that only deletes
 * members the message actually holds (own properties: a decoded message holds one member).
 */

/**
 * A prototype inheriting everything from `proto` whose oneof `name` has the cheap setter. Its
 * members are found by asking the generated getter which member a probe object holds, for every
 * field of the message.
 */
export function withCheapOneOf(proto: object, name: string): object {
  let getter: (() => unknown) | undefined;
  for (let p: object | null = proto; p && !getter; p = Object.getPrototypeOf(p) as object | null) {
    getter = Object.getOwnPropertyDescriptor(p, name)?.get;
  }
  if (!getter) throw new Error(`withCheapOneOf: '${name}' is not a oneof of this message`);
  const members = new Set<string>();
  for (const field of Object.keys(proto)) {
    const probe = Object.create(proto) as Record<string, unknown>;
    probe[field] = 'probe';
    if (getter.call(probe) === field) members.add(field);
  }
  if (members.size === 0) throw new Error(`withCheapOneOf: '${name}' has no members`);
  const cheap = Object.create(proto) as object;
  Object.defineProperty(cheap, name, {
    get: getter,
    set(this: Record<string, unknown>, keep: string): void {
      // Own keys of a message are the fields it decoded (a few), not the oneof's 20+ members.
      for (const key of Object.keys(this)) {
        if (key !== keep && members.has(key)) delete this[key];
      }
    },
  });
  return cheap;
}
