// A table whose columns sort on click and that exports what it shows (in its
// current order) as CSV through the backend.

import { ArrowDown, ArrowUp, Download } from "lucide-react";
import { useMemo, useState } from "react";
import type { Table } from "../bindings/campaigns/Table";

export interface Column<R> {
  key: string;
  label: string;
  numeric?: boolean;
  /** The value sorted by; null sorts last. */
  sort: (row: R) => number | string | null;
  /** The text shown (and exported). */
  text: (row: R) => string;
}

export function sortRows<R>(rows: readonly R[], column: Column<R> | undefined, descending: boolean): R[] {
  if (!column) return [...rows];
  return [...rows].sort((a, b) => {
    const x = column.sort(a);
    const y = column.sort(b);
    if (x === null && y === null) return 0;
    if (x === null) return 1;
    if (y === null) return -1;
    const c = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
    return descending ? -c : c;
  });
}

export function toTable<R>(columns: readonly Column<R>[], rows: readonly R[]): Table {
  return { columns: columns.map((c) => c.label), rows: rows.map((r) => columns.map((c) => c.text(r))) };
}

export function SortableTable<R>(props: {
  columns: readonly Column<R>[];
  rows: readonly R[];
  testId: string;
  fileName: string;
  onExport: (table: Table, fileName: string) => void;
  highlight?: (row: R) => boolean;
  footer?: R;
}) {
  const [sortKey, setSortKey] = useState<string | null>(null);
  const [descending, setDescending] = useState(false);
  const column = props.columns.find((c) => c.key === sortKey);
  const sorted = useMemo(() => sortRows(props.rows, column, descending), [props.rows, column, descending]);
  const click = (key: string) => {
    if (key === sortKey) setDescending((d) => !d);
    else {
      setSortKey(key);
      setDescending(props.columns.find((c) => c.key === key)?.numeric ?? false);
    }
  };
  const exportRows = props.footer ? [...sorted, props.footer] : sorted;
  return (
    <div className="campaign-table">
      <div className="campaign-table-tools">
        <button type="button" className="small-button" data-testid={`${props.testId}-csv`} onClick={() => props.onExport(toTable(props.columns, exportRows), props.fileName)}>
          <Download size={13} aria-hidden /> CSV
        </button>
      </div>
      <div className="campaign-table-scroll">
        <table className="table" data-testid={props.testId}>
          <thead>
            <tr>
              {props.columns.map((c) => (
                <th key={c.key} className={c.numeric ? "num" : undefined} aria-sort={c.key === sortKey ? (descending ? "descending" : "ascending") : "none"}>
                  <button type="button" className="sort-button" onClick={() => click(c.key)} data-testid={`${props.testId}-sort-${c.key}`}>
                    {c.label}
                    {c.key === sortKey && (descending ? <ArrowDown size={12} aria-hidden /> : <ArrowUp size={12} aria-hidden />)}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {sorted.map((r, i) => (
              <tr key={i} className={props.highlight?.(r) ? "highlight" : undefined}>
                {props.columns.map((c) => (
                  <td key={c.key} className={c.numeric ? "num" : undefined}>{c.text(r)}</td>
                ))}
              </tr>
            ))}
          </tbody>
          {props.footer && (
            <tfoot>
              <tr>
                {props.columns.map((c) => (
                  <td key={c.key} className={c.numeric ? "num" : undefined}>{c.text(props.footer as R)}</td>
                ))}
              </tr>
            </tfoot>
          )}
        </table>
      </div>
    </div>
  );
}
