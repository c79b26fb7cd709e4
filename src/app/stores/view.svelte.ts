// The view concern: which tab is shown, which run the results tab shows, and
// a report opened from a share link (#r=...), which is shown without running
// anything.
import { decodeShareLink } from '../../core/report/share-link.ts';
import { sharedRecord, type RunRecord } from '../lib/run-record.ts';

export type Tab = 'model' | 'results' | 'history';
export type ShownOrigin = 'run' | 'history' | 'shared';

export interface Shown {
  record: RunRecord;
  origin: ShownOrigin;
}

class ViewStore {
  tab = $state<Tab>('model');
  shown = $state.raw<Shown | null>(null);
  /** Why a share link in the URL could not be read. */
  linkError = $state<string | null>(null);

  show(record: RunRecord, origin: ShownOrigin): void {
    this.shown = { record, origin };
    this.tab = 'results';
  }

  go(tab: Tab): void {
    this.tab = tab;
  }

  /** Reads a share link from a URL fragment; true when it held one. */
  openFragment(hash: string): boolean {
    if (!hash.startsWith('#r=')) return false;
    const decoded = decodeShareLink(hash);
    if (!decoded.ok) {
      this.linkError = `This share link cannot be opened: ${decoded.error.message}.`;
      return true;
    }
    this.linkError = null;
    this.show(sharedRecord(decoded.value), 'shared');
    return true;
  }

  dismissLinkError(): void {
    this.linkError = null;
  }
}

export const viewStore = new ViewStore();
