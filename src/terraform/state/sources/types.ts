import type { StateSource } from '../types.js';

/** A state's text as fetched, before parsing. */
export interface StateText {
  text: string;
  source: StateSource;
}
