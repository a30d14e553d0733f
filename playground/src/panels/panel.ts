// What every panel module exports: its tab, the lesson's figures it draws, and mount() to build it.
import type { Key } from '../i18n.js';

export interface Panel {
  id: string;
  title: Key;
  /** The deck's figures (i18n keys of their captions). */
  figures: Key[];
  /** A short paragraph under the title. */
  intro: Key;
  mount(section: HTMLElement): void;
}
