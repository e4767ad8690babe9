// Data › Reports: the analytics reports of the imports (GA4, Search Console,
// Google Ads Editor, A/B results by day), each with its own columns, period
// and totals, its rows read a page at a time. Nothing here computes a figure:
// totals come from the backend, cells as the file wrote them.

import { useEffect, useState } from "react";
import { type BackendError, toBackendError } from "../api/backend";
import { useBackend } from "../api/context";
import type { ReportPage } from "../bindings/ReportPage";
import type { ReportSummary } from "../bindings/ReportSummary";
import { ErrorNotice } from "../components/ErrorNotice";
import { count, plural } from "../lib/format";
import { reportCell, reportPeriod, reportTotal } from "./cells";

const REPORT_PAGE = 50;

const key = (report: ReportSummary) => `${report.import_id}:${report.section}`;

/** "Pages and screens: Page path · ga4_report_pages.csv", or the file name alone. */
const titleAndFile = (report: ReportSummary) => [report.title, report.file_name].filter(Boolean).join(" · ");

/** Every imported report, and the rows of the one selected. */
export function Reports({ revision, onImport }: { revision: number; onImport: () => void }) {
  const backend = useBackend();
  const [reports, setReports] = useState<ReportSummary[] | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<BackendError | null>(null);
  useEffect(() => {
    let live = true;
    setError(null);
    backend.reports().then(
      (list) => live && setReports(list),
      (e) => live && setError(toBackendError(e)),
    );
    return () => {
      live = false;
    };
  }, [backend, revision]);
  const chosen = reports?.find((r) => key(r) === selected) ?? null;
  const toggle = (report: ReportSummary) => setSelected(key(report) === selected ? null : key(report));

  return (
    <>
      <div className="card" data-testid="reports-card">
        <div className="card-header">
          <h2>Reports</h2>
          <span className="muted small">Analytics reports you imported (GA4, Search Console, Google Ads Editor), each with its own columns, period and totals</span>
        </div>
        {error && <ErrorNotice error={error} />}
        {reports === null ? (
          !error && <p className="muted" aria-busy="true">Loading reports…</p>
        ) : reports.length === 0 ? (
          <p className="muted" data-testid="reports-empty">
            No reports imported yet. GA4 and Search Console downloads show here with their own columns once you import them:{" "}
            <button type="button" className="link" onClick={onImport}>Import files…</button>, or drag them onto the window.
          </p>
        ) : (
          <table className="table history report-list" data-testid="reports">
            <thead>
              <tr>
                <th scope="col">Report and file</th>
                <th scope="col">Period</th>
                <th className="num" scope="col">Rows</th>
              </tr>
            </thead>
            <tbody>
              {reports.map((r) => (
                <tr key={key(r)} className={key(r) === selected ? "selectable selected" : "selectable"} data-testid="report-row" data-selected={key(r) === selected} onClick={() => toggle(r)}>
                  <td className="file-cell">
                    <button type="button" className="link cell-link" onClick={(e) => { e.stopPropagation(); toggle(r); }}>
                      {r.kind}
                    </button>
                    <div className="cell-sub" title={titleAndFile(r)}>{titleAndFile(r)}</div>
                  </td>
                  <td>{reportPeriod(r) ?? <span className="muted">no period given</span>}</td>
                  <td className="num">{count(r.rows)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      {chosen && <ReportTable key={key(chosen)} report={chosen} />}
    </>
  );
}

/** One report's rows, a page at a time, under its totals over all rows. */
function ReportTable({ report }: { report: ReportSummary }) {
  const backend = useBackend();
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<ReportPage | null>(null);
  const [error, setError] = useState<BackendError | null>(null);
  useEffect(() => {
    let live = true;
    setError(null);
    backend.reportRows(report.import_id, report.section, offset, REPORT_PAGE).then(
      (p) => live && setPage(p),
      (e) => live && setError(toBackendError(e)),
    );
    return () => {
      live = false;
    };
  }, [backend, report, offset]);
  const heading = report.title ?? report.kind;
  const period = reportPeriod(report);
  const hasTotals = report.totals.some((t) => t !== null);
  return (
    <div className="card" data-testid="report-detail" aria-label={heading}>
      <div className="card-header">
        <h2>{heading}</h2>
        <span className="muted small">{[report.title ? report.kind : null, report.file_name, period].filter(Boolean).join(" · ")}</span>
      </div>
      {error ? (
        <ErrorNotice error={error} />
      ) : !page ? (
        <p className="muted" aria-busy="true">Loading rows…</p>
      ) : (
        <>
          <div className="preview-scroll">
            <table className="table report-table" data-testid="report-table">
              <thead>
                <tr>
                  {page.columns.map((c) => (
                    <th key={c.name} scope="col" className={c.numeric ? "num" : undefined}>{c.name}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {page.rows.map((row, r) => (
                  <tr key={page.offset + r} data-testid="report-table-row">
                    {page.columns.map((c, i) => (
                      <td key={c.name} className={c.numeric ? "num" : undefined} title={c.numeric ? undefined : row[i]}>
                        {reportCell(row[i] ?? "", c.numeric)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
              {hasTotals && (
                <tfoot>
                  <tr data-testid="report-totals">
                    {page.columns.map((c, i) => (
                      <td key={c.name} className={c.numeric ? "num" : undefined}>
                        {i === 0 && report.totals[0] == null ? "Total" : reportTotal(report.totals[i] ?? null, page.rows.map((row) => row[i] ?? ""))}
                      </td>
                    ))}
                  </tr>
                </tfoot>
              )}
            </table>
          </div>
          <div className="pager">
            <span className="muted small" data-testid="report-range">
              Rows {count(page.offset + 1)}–{count(page.offset + page.rows.length)} of {count(page.total)}
              {hasTotals ? `; the totals are of all ${plural(page.total, "row")}` : ""}
            </span>
            {page.total > REPORT_PAGE && (
              <div className="row">
                <button type="button" className="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - REPORT_PAGE))} data-testid="report-previous">Previous</button>
                <button type="button" className="button" disabled={offset + REPORT_PAGE >= page.total} onClick={() => setOffset(offset + REPORT_PAGE)} data-testid="report-next">Next</button>
              </div>
            )}
          </div>
        </>
      )}
    </div>
  );
}
