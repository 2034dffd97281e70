/** Every loaded state's resources, findable by address across states. */
import type { StateResourceInstance, TerraformState } from './types.js';

export class StateIndex {
  readonly #byAddress = new Map<string, StateResourceInstance[]>();
  readonly #all: StateResourceInstance[] = [];

  constructor(states: readonly TerraformState[]) {
    for (const state of states) {
      for (const [address, instance] of state.byAddress) {
        const list = this.#byAddress.get(address);
        if (list) list.push(instance);
        else this.#byAddress.set(address, [instance]);
      }
      for (const resource of state.resources) this.#all.push(resource);
    }
  }

  /** The current objects at `address`: one per state that has it (several states may). */
  get(address: string): readonly StateResourceInstance[] {
    return this.#byAddress.get(address) ?? [];
  }

  /** Every instance of every state, deposed objects included. */
  get instances(): readonly StateResourceInstance[] {
    return this.#all;
  }

  get addresses(): IterableIterator<string> {
    return this.#byAddress.keys();
  }

  get size(): number {
    return this.#byAddress.size;
  }
}
