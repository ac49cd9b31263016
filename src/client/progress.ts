import type { EventsPage } from '../shared/events';
import { narrate, newNarration } from './watch-view';

/**
 * Progress lines from the orchestration's events (what `baton demo` prints): every transition is in the log,
 * so a phase that lasted a millisecond is still announced, once per session, in order.
 */
export function eventProgress(say: (line: string) => void): { show(page: EventsPage): void; after(): number } {
  let narration = newNarration();
  let last = 0;
  return {
    show(page) {
      if (page.missed) say(`! ${page.missed} event(s) fell out of the log before they were read`);
      for (const e of page.events) {
        const told = narrate(narration, e);
        narration = told.narration;
        told.lines.forEach((line) => say(line));
        last = e.ordinal;
      }
    },
    after: () => last,
  };
}
