// Types of the Workers platform that several rooms share, narrowed to what actorstate uses,
// so no room has to import another just for them (and clients need no Workers types).

/**
 * The part of a Durable Object namespace binding actorstate uses. `env.ACTORS` fits it;
 * the narrow type keeps the compiler away from the binding's recursive RPC types.
 */
export interface ActorNamespace<Id = any> {
  idFromName(name: string): Id;
  idFromString(id: string): Id;
  get(id: Id): unknown;
}
