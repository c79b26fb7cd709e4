// The files a run leaves behind, by name, for the export zip and the CLI's
// output folder. One place decides the names.
import { profileCsv } from '../profile/csv.ts';
import { summaryText } from '../profile/summary.ts';
import type { Profile } from '../profile/types.ts';
import { reportHtml } from './html.ts';
import { reportJson } from './parse-report.ts';
import type { Report } from './types.ts';

export const RUN_FILES = ['profile.csv', 'summary.txt', 'report.json', 'report.html'] as const;
export type RunFile = (typeof RUN_FILES)[number];

export function runFiles(profile: Profile, report: Report): Record<RunFile, string> {
  return {
    'profile.csv': profileCsv(profile),
    'summary.txt': summaryText(profile, { title: report.model.name }),
    'report.json': reportJson(report),
    'report.html': reportHtml(report),
  };
}
