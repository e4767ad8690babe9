import { useEffect, useState } from "react";
import { type BackendError, type ImportId, toBackendError } from "../api/backend";
import { useBackend } from "../api/context";
import type { Rejection } from "../bindings/Rejection";
import type { RejectionPage } from "../bindings/RejectionPage";
import { ErrorNotice } from "../components/ErrorNotice";
import { count } from "../lib/format";

export const PAGE_SIZE = 50;

/** Rejected rows: where, which column, what value, and why. */
export function RejectionRows({ rows, testId }: { rows: readonly Rejection[]; testId?: string }) {
  return (
    <div className="preview-scroll">
      <table className="table rejections" data-testid={testId ?? "rejections"}>
        <thead>
          <tr><th className="num" scope="col">Line</th><th scope="col">Column</th><th scope="col">Value</th><th scope="col">Why it was rejected</th></tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={`${r.line}-${i}`}>
              <td className="num">{count(r.line)}</td>
              <td>{r.column ?? <span className="muted">whole row</span>}</td>
              <td className="rejection-value">{r.value === "" ? <span className="muted">(empty)</span> : r.value}</td>
              <td>{r.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Every rejected row of an import, a page at a time. */
export function AllRejections({ id }: { id: ImportId }) {
  const backend = useBackend();
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<RejectionPage | null>(null);
  const [error, setError] = useState<BackendError | null>(null);
  useEffect(() => {
    let live = true;
    setError(null);
    backend.importRejections(id, offset, PAGE_SIZE).then(
      (p) => live && setPage(p),
      (e) => live && setError(toBackendError(e)),
    );
    return () => {
      live = false;
    };
  }, [backend, id, offset]);
  if (error) return <ErrorNotice error={error} />;
  if (!page) return <p className="muted" aria-busy="true">Loading rejected rows…</p>;
  if (page.total === 0) return <p className="muted">No rows were rejected.</p>;
  const last = Math.min(offset + page.rows.length, page.listed);
  return (
    <div className="all-rejections" data-testid="all-rejections">
      <RejectionRows rows={page.rows} testId="rejections-page" />
      <div className="pager">
        <span className="muted small">
          Rows {count(offset + 1)}–{count(last)} of {count(page.listed)} listed
          {page.total > page.listed ? ` (${count(page.total)} rejected in all; the first ${count(page.listed)} are kept with their reason)` : ""}
        </span>
        {page.listed > PAGE_SIZE && (
        <div className="row">
          <button type="button" className="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}>Previous</button>
          <button type="button" className="button" disabled={offset + PAGE_SIZE >= page.listed} onClick={() => setOffset(offset + PAGE_SIZE)}>Next</button>
        </div>
        )}
      </div>
    </div>
  );
}
