// The history concern: every run, saved in IndexedDB (idb-keyval, one store
// of its own), listed newest first; two of them picked for a comparison.
import { createStore, del, get, set, values, type UseStore } from 'idb-keyval';
import type { RunRecord } from '../lib/run-record.ts';

/** Runs kept; the oldest go first. */
export const HISTORY_LIMIT = 200;

let idb: UseStore | null = null;
const db = (): UseStore => (idb ??= createStore('tinydeploy', 'runs'));

const newestFirst = (a: RunRecord, b: RunRecord): number =>
  b.savedAt.localeCompare(a.savedAt) || b.id.localeCompare(a.id);

class HistoryStore {
  runs = $state.raw<RunRecord[]>([]);
  loaded = $state(false);
  error = $state<string | null>(null);
  /** Ids picked for comparison, in the order picked (at most two). */
  picked = $state.raw<string[]>([]);

  async load(): Promise<void> {
    try {
      const all = await values<RunRecord>(db());
      this.runs = all.filter((r) => r && typeof r.id === 'string').sort(newestFirst);
      this.error = null;
    } catch (e) {
      this.error = `History is not available: ${e instanceof Error ? e.message : String(e)}`;
    } finally {
      this.loaded = true;
    }
  }

  async save(record: RunRecord): Promise<void> {
    this.runs = [record, ...this.runs.filter((r) => r.id !== record.id)].sort(newestFirst);
    try {
      await set(record.id, $state.snapshot(record), db());
      for (const old of this.runs.slice(HISTORY_LIMIT)) await del(old.id, db());
      this.runs = this.runs.slice(0, HISTORY_LIMIT);
    } catch (e) {
      this.error = `The run could not be saved: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  async remove(id: string): Promise<void> {
    try {
      await del(id, db());
    } catch (e) {
      this.error = `The run could not be deleted: ${e instanceof Error ? e.message : String(e)}`;
      return;
    }
    // Off the list once it is gone from the database too.
    this.runs = this.runs.filter((r) => r.id !== id);
    this.picked = this.picked.filter((p) => p !== id);
  }

  find(id: string): RunRecord | undefined {
    return this.runs.find((r) => r.id === id);
  }

  async byId(id: string): Promise<RunRecord | undefined> {
    return this.find(id) ?? (await get<RunRecord>(id, db()).catch(() => undefined));
  }

  /** Picks or unpicks a run for comparison; a third pick replaces the oldest pick. */
  togglePick(id: string): void {
    if (this.picked.includes(id)) this.picked = this.picked.filter((p) => p !== id);
    else this.picked = [...this.picked, id].slice(-2);
  }

  clearPicks(): void {
    this.picked = [];
  }
}

export const historyStore = new HistoryStore();
