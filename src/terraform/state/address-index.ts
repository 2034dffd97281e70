/**
 * Every loaded state's resources, findable by address across states. Lookups consult each
 * state's own address map in turn: there are a handful of states and 100,000s of addresses, so
 * this costs nothing to build and little to query.
 */
import type { StateResourceInstance, TerraformState } from './types.js';

export class StateIndex {
  readonly #states: readonly TerraformState[];

  constructor(states: readonly TerraformState[]) {
    this.#states = states;
  }

  /** The current objects at `address`: one per state that has it (several states may). */
  get(address: string): StateResourceInstance[] {
    const found: StateResourceInstance[] = [];
    for (const state of this.#states) {
      const instance = state.byAddress.get(address);
      if (instance) found.push(instance);
    }
    return found;
  }

  /** Every instance of every state, deposed objects included, in state order. */
  *instances(): IterableIterator<StateResourceInstance> {
    for (const state of this.#states) yield* state.resources;
  }

  /** Every address with a current object, each once. */
  addresses(): Set<string> {
    const all = new Set<string>();
    for (const state of this.#states) for (const address of state.byAddress.keys()) all.add(address);
    return all;
  }
}
