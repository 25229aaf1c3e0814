// The report page's own style sheet (diff2html brings its own for the diffs).
export const REPORT_STYLES = `
:root { color-scheme: light; --muted: #5f6368; --line: #e0e0e0; --committed: #2e7d32; --rejected: #ef6c00; --failed: #c62828; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #202124; background: #f6f7f9; }
header, main, footer { max-width: 1280px; margin: 0 auto; padding: 16px 24px; }
h1 { font-size: 22px; margin: 8px 0 12px; }
h2 { font-size: 17px; margin: 0 0 4px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px; margin-bottom: 16px; min-width: 0; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
.pair > section { margin-bottom: 16px; }
@media (max-width: 900px) { .pair { grid-template-columns: 1fr; } }
.summary { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 8px; margin: 0; }
.summary div { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; }
.summary dt { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.summary dd { margin: 2px 0 0; font-weight: 600; }
.muted { color: var(--muted); }
.chart { position: relative; width: 100%; }
.chart.tall { height: 300px; }
.chart.short { height: 220px; }
table[data-table] { border-collapse: collapse; width: 100%; margin-top: 12px; }
table[data-table] th, table[data-table] td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
table[data-table] th { font-weight: 600; color: var(--muted); }
details.commit { border-top: 1px solid var(--line); padding: 6px 0; }
details.commit summary { cursor: pointer; }
.subject { font-weight: 600; }
.files { margin: 6px 0; padding-left: 20px; }
.added { color: var(--committed); }
.deleted { color: var(--failed); }
.resolved { color: var(--committed); font-weight: 600; }
.unresolved { color: var(--failed); font-weight: 600; }
.problem { color: var(--failed); }
footer { color: var(--muted); font-size: 12px; }
`;
