import type { ArtifactStore } from '../artifacts/artifact-store';
import { truncateWithPointer } from '../artifacts/spill';
import type { AgentReport } from '../shared/activity-types';

/** Longest summary that goes into workflow history; the AgentReport schema enforces the same. */
export const MAX_REPORT_SUMMARY = 2000;
/** Longest claim, insight, follow-up or reflection kept in history. */
export const MAX_REPORT_ITEM = 1000;
/** Most entries per report list kept in history. */
export const MAX_REPORT_ITEMS = 30;
/** Most artifact paths kept in history. */
export const MAX_REPORT_ARTIFACTS = 200;

const LISTS = ['claims', 'insights', 'followUps', 'reflections'] as const;

type RawReport = Omit<AgentReport, 'summary'> & { summary: string };

const clip = (text: string) => (text.length > MAX_REPORT_ITEM ? `${text.slice(0, MAX_REPORT_ITEM - 1)}…` : text);

/** Whether `report` already fits in history as it is. */
function reportFits(report: RawReport): boolean {
  return (
    report.summary.length <= MAX_REPORT_SUMMARY &&
    report.artifacts.length <= MAX_REPORT_ARTIFACTS &&
    LISTS.every((list) => (report[list] ?? []).length <= MAX_REPORT_ITEMS && (report[list] ?? []).every((item) => item.length <= MAX_REPORT_ITEM))
  );
}

/** A report sized for history: when it does not fit, the whole report goes to `store` and the summary ends with its artifact id. */
export async function boundReport(raw: RawReport, store: ArtifactStore, project: string): Promise<RawReport> {
  const report = printable(raw);
  if (reportFits(report)) return report;
  const whole = await store.put(JSON.stringify(report, null, 2), { kind: 'report', project });
  const bounded: RawReport = {
    ...report,
    summary: truncateWithPointer(report.summary, MAX_REPORT_SUMMARY, whole),
    artifacts: report.artifacts.slice(0, MAX_REPORT_ARTIFACTS),
  };
  for (const list of LISTS) bounded[list] = (report[list] ?? []).slice(0, MAX_REPORT_ITEMS).map(clip);
  return bounded;
}

// C0 controls except tab and newline, DEL and C1 controls: terminal escapes have no place in a report.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
const clean = (text: string) => text.replace(CONTROL, '');

/** The report with control characters removed from every text, so `status` and `report` print safely. */
function printable(report: RawReport): RawReport {
  const out: RawReport = { ...report, summary: clean(report.summary), artifacts: report.artifacts.map(clean) };
  for (const list of LISTS) out[list] = (report[list] ?? []).map(clean);
  return out;
}
