/**
 * The HTML report's inline stylesheet and its one small script. Both are constants: the page's
 * Content-Security-Policy allows exactly this script by hash, and no other script at all.
 */
import { createHash } from 'node:crypto';

export const HTML_STYLE = `
:root {
  --bg: #f6f7f9; --panel: #ffffff; --text: #1f2328; --muted: #59636e; --line: #d8dee4; --code-bg: #f2f4f7;
  --critical: #b42318; --critical-bg: #fef3f2; --high: #c4320a; --high-bg: #fff6ed; --medium: #a15c07; --medium-bg: #fffaeb;
  --low: #175cd3; --low-bg: #eff8ff; --info: #475467; --info-bg: #f2f4f7;
  --pass: #067647; --pass-bg: #ecfdf3; --error: #9f1ab1; --error-bg: #fdf4ff;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--text); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
code, pre { font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace; font-size: 13px; }
.page-header { background: #101828; color: #f9fafb; padding: 28px 40px 24px; }
.page-header .wrap { max-width: 1100px; margin: 0 auto; }
.page-header .brand { font-size: 13px; letter-spacing: .08em; text-transform: uppercase; color: #98a2b3; }
.page-header h1 { margin: 4px 0 14px; font-size: 26px; font-weight: 650; }
.meta { display: flex; flex-wrap: wrap; gap: 8px 36px; margin: 0; }
.meta dt { font-size: 12px; color: #98a2b3; text-transform: uppercase; letter-spacing: .06em; }
.meta dd { margin: 0; font-weight: 550; overflow-wrap: anywhere; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 40px 48px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(140px, 1fr)); gap: 12px; margin-bottom: 12px; }
.card { display: block; background: var(--panel); border: 1px solid var(--line); border-left: 5px solid var(--info); border-radius: 10px; padding: 12px 16px; color: inherit; text-decoration: none; }
.card .count { display: block; font-size: 30px; font-weight: 700; line-height: 1.1; }
.card .label { font-size: 13px; color: var(--muted); text-transform: uppercase; letter-spacing: .05em; }
.card.zero { opacity: .55; }
.card.sev-critical { border-left-color: var(--critical); } .card.sev-critical .count { color: var(--critical); }
.card.sev-high { border-left-color: var(--high); } .card.sev-high .count { color: var(--high); }
.card.sev-medium { border-left-color: var(--medium); } .card.sev-medium .count { color: var(--medium); }
.card.sev-low { border-left-color: var(--low); } .card.sev-low .count { color: var(--low); }
.card.st-pass { border-left-color: var(--pass); } .card.st-error { border-left-color: var(--error); } .card.st-fail { border-left-color: var(--critical); }
.filters { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; margin: 20px 0 8px; }
.filters button { font: inherit; font-size: 13px; border: 1px solid var(--line); background: var(--panel); border-radius: 999px; padding: 4px 12px; cursor: pointer; }
.filters button[aria-pressed="true"] { background: #101828; color: #fff; border-color: #101828; }
.filters input { font: inherit; font-size: 14px; flex: 1 1 220px; max-width: 360px; padding: 5px 10px; border: 1px solid var(--line); border-radius: 8px; margin-left: auto; }
h2 { font-size: 19px; margin: 28px 0 12px; display: flex; align-items: center; gap: 10px; }
h2 .sub { font-size: 14px; font-weight: 400; color: var(--muted); }
.badge { display: inline-block; font-size: 12px; font-weight: 650; text-transform: uppercase; letter-spacing: .04em; padding: 2px 9px; border-radius: 999px; white-space: nowrap; }
.badge.sev-critical { color: #fff; background: var(--critical); } .badge.sev-high { color: #fff; background: var(--high); }
.badge.sev-medium { color: #fff; background: var(--medium); } .badge.sev-low { color: #fff; background: var(--low); }
.badge.sev-info { color: #fff; background: var(--info); }
.status { font-size: 12px; font-weight: 650; text-transform: uppercase; padding: 1px 8px; border-radius: 6px; border: 1px solid currentColor; }
.status-fail { color: var(--critical); } .status-pass { color: var(--pass); } .status-error { color: var(--error); } .status-suppressed { color: var(--muted); }
.resource { background: var(--panel); border: 1px solid var(--line); border-radius: 12px; margin-bottom: 14px; overflow: hidden; }
.resource > header { padding: 12px 18px; border-bottom: 1px solid var(--line); background: #fbfcfd; }
.resource h3 { margin: 0; font-size: 16px; overflow-wrap: anywhere; }
.resource .arn { color: var(--muted); overflow-wrap: anywhere; }
.resource-meta { font-size: 13px; color: var(--muted); margin-top: 2px; }
.finding { padding: 14px 18px; border-top: 1px solid var(--line); }
.finding:first-of-type { border-top: 0; }
.finding-head { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; }
.finding-head h4 { margin: 0; font-size: 15px; }
.check-id { color: var(--muted); font-size: 12px; }
.message { margin: 8px 0; }
.where { font-size: 13px; color: var(--muted); margin: 4px 0 8px; }
.remediation { background: var(--code-bg); border-radius: 8px; padding: 10px 14px; margin-top: 8px; }
.remediation h5 { margin: 0 0 4px; font-size: 12px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); }
.remediation p { margin: 0 0 8px; }
pre { margin: 0; padding: 10px 12px; background: #0d1117; color: #e6edf3; border-radius: 6px; overflow-x: auto; white-space: pre; }
details { margin-top: 8px; }
details > summary { cursor: pointer; color: var(--muted); font-size: 13px; }
details.section { background: var(--panel); border: 1px solid var(--line); border-radius: 12px; padding: 12px 18px; margin-top: 16px; }
details.section > summary { font-size: 16px; font-weight: 650; color: var(--text); }
table { width: 100%; border-collapse: collapse; font-size: 14px; margin-top: 10px; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: anywhere; }
td code.check { white-space: nowrap; }
th { font-size: 12px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
.all-clear { background: var(--pass-bg); border: 1px solid var(--pass); color: var(--pass); border-radius: 12px; padding: 16px 20px; font-weight: 600; }
footer { max-width: 1180px; margin: 0 auto; padding: 0 40px 32px; color: var(--muted); font-size: 13px; }
.check { background: var(--panel); border: 1px solid var(--line); border-radius: 12px; margin-bottom: 14px; overflow: hidden; }
.check > header { padding: 12px 18px; border-bottom: 1px solid var(--line); background: #fbfcfd; }
.check h3 { margin: 0; font-size: 16px; }
.check .risk { margin: 6px 0; color: var(--muted); font-size: 14px; }
.resource-count { margin-left: auto; font-size: 13px; color: var(--muted); }
table.resources { margin: 0; }
.table-scroll { max-height: 70vh; overflow: auto; }
@media print { .table-scroll { max-height: none; overflow: visible; } }
section.compliance { background: var(--panel); border: 1px solid var(--line); border-radius: 12px; padding: 4px 18px 12px; margin-top: 16px; }
.ctl { display: inline-block; font-size: 12px; font-weight: 650; text-transform: uppercase; padding: 1px 8px; border-radius: 6px; border: 1px solid currentColor; white-space: nowrap; }
.ctl-pass { color: var(--pass); } .ctl-fail { color: var(--critical); } .ctl-error, .ctl-not-covered { color: var(--error); }
.ctl-manual, .ctl-not-applicable { color: var(--muted); }
ul.control-resources { margin: 0; padding-left: 18px; }
table.resources th { cursor: pointer; user-select: none; background: #fbfcfd; position: sticky; top: 0; }
table.resources th[aria-sort="ascending"]::after { content: " ▲"; } table.resources th[aria-sort="descending"]::after { content: " ▼"; }
table.resources td { padding: 6px 10px; }
table.resources .name { font-weight: 600; }
table.resources .arn { color: var(--muted); }
table.resources .file { color: var(--muted); font-size: 12px; }
td.num { text-align: right; }
.filters select { font: inherit; font-size: 13px; padding: 4px 8px; border: 1px solid var(--line); border-radius: 8px; background: var(--panel); }
details.section.errors { border-left: 5px solid var(--error); margin-top: 0; margin-bottom: 16px; }
[hidden] { display: none !important; }
@media (max-width: 700px) { .page-header, main, footer { padding-left: 16px; padding-right: 16px; } }
@media print { .filters { display: none !important; } .page-header { background: none; color: inherit; } }
`;

/**
 * Severity buttons, service and region menus and a text box that hide rows; the counts (cards,
 * per check) follow what is shown; a click on a column heading sorts that table. The page reads
 * fully without it.
 */
export const HTML_SCRIPT = `(function () {
  var filters = document.getElementById('filters');
  if (!filters) return;
  filters.hidden = false;
  var active = 'all';
  var search = document.getElementById('filter-text');
  var selects = filters.querySelectorAll('select[data-key]');
  var initialFail = document.querySelector('[data-count="fail"]');
  function apply() {
    var q = search.value.trim().toLowerCase();
    var want = {};
    selects.forEach(function (s) { want[s.getAttribute('data-key')] = s.value; });
    var counts = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
    document.querySelectorAll('section.severity').forEach(function (section) {
      var sev = section.getAttribute('data-severity');
      var showSection = active === 'all' || sev === active;
      var visibleChecks = 0;
      section.querySelectorAll('article.check').forEach(function (article) {
        var shown = 0;
        var rows = article.querySelectorAll('tr.finding');
        rows.forEach(function (r) {
          var show = showSection && (!q || (r.getAttribute('data-search') || '').indexOf(q) !== -1);
          for (var key in want) if (want[key] && r.getAttribute('data-' + key) !== want[key]) show = false;
          r.hidden = !show;
          if (show) shown++;
        });
        article.hidden = shown === 0;
        var label = article.querySelector('.resource-count');
        if (label) label.textContent = (shown === rows.length ? '' : shown + ' of ') + rows.length + (rows.length === 1 ? ' resource' : ' resources');
        if (shown > 0) visibleChecks++;
        counts[sev] += shown;
      });
      section.hidden = visibleChecks === 0;
    });
    var total = 0;
    for (var sev in counts) {
      total += counts[sev];
      var el = document.querySelector('[data-count="' + sev + '"]');
      if (el) el.textContent = String(counts[sev]);
    }
    if (initialFail) initialFail.textContent = String(total);
  }
  filters.querySelectorAll('button[data-filter]').forEach(function (b) {
    b.addEventListener('click', function () {
      active = b.getAttribute('data-filter');
      filters.querySelectorAll('button[data-filter]').forEach(function (o) { o.setAttribute('aria-pressed', String(o === b)); });
      apply();
    });
  });
  selects.forEach(function (s) { s.addEventListener('change', apply); });
  search.addEventListener('input', apply);
  document.querySelectorAll('table.resources').forEach(function (table) {
    var heads = table.querySelectorAll('th[data-sort]');
    heads.forEach(function (th, column) {
      th.addEventListener('click', function () {
        var ascending = th.getAttribute('aria-sort') !== 'ascending';
        heads.forEach(function (o) { o.setAttribute('aria-sort', 'none'); });
        th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[column].textContent, y = b.cells[column].textContent;
          return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
        });
        var fragment = document.createDocumentFragment();
        rows.forEach(function (r) { fragment.appendChild(r); });
        body.appendChild(fragment);
      });
    });
  });
})();`;

export const HTML_SCRIPT_CSP_HASH = `sha256-${createHash('sha256').update(HTML_SCRIPT).digest('base64')}`;
