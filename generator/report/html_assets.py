"""The HTML report's inline style sheet and its one small script (sortable tables)."""

CSS = """
:root{--ink:#1f2937;--muted:#586171;--line:#e5e7eb;--bg:#f8fafc;--card:#fff;--bad:#c2410c;--good:#1a7f5a;
--warn:#b45309;--accent:#2563eb}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Ubuntu,sans-serif;color:var(--ink);background:var(--bg)}
header.top{background:#0f172a;color:#e2e8f0;padding:24px 32px 18px}
header.top h1{margin:0 0 4px;font-size:24px;color:#fff}
header.top p{margin:0;color:#94a3b8}
nav.toc{position:sticky;top:0;z-index:2;background:#fff;border-bottom:1px solid var(--line);padding:8px 32px;display:flex;gap:18px;flex-wrap:wrap}
nav.toc a{color:var(--ink);text-decoration:none;font-weight:600;font-size:14px}
nav.toc a:hover{color:var(--accent)}
main{max-width:1280px;margin:0 auto;padding:8px 32px 48px}
section{margin:28px 0;background:var(--card);border:1px solid var(--line);border-radius:12px;padding:20px 24px}
h2{margin:0 0 4px;font-size:20px}
h3{margin:20px 0 8px;font-size:16px}
.lede{margin:0 0 14px;color:var(--muted);max-width:900px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:12px;margin:12px 0 18px}
.card{border:1px solid var(--line);border-radius:10px;padding:12px 14px;background:#fff}
.card .v{font-size:26px;font-weight:700}
.card .k{color:var(--muted);font-size:13px}
.delta{font-size:12px;font-weight:600}
.delta.up{color:var(--bad)}.delta.down{color:var(--good)}.delta.good.up{color:var(--good)}.delta.good.down{color:var(--bad)}
table{width:100%;border-collapse:collapse;font-size:14px}
th,td{text-align:left;padding:8px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:12px;text-transform:uppercase;letter-spacing:.03em;color:var(--muted);white-space:nowrap}
th button{all:unset;cursor:pointer}
th button::after{content:" ⇅";color:#cbd5e1}
th[aria-sort=ascending] button::after{content:" ↑";color:var(--ink)}
th[aria-sort=descending] button::after{content:" ↓";color:var(--ink)}
tbody tr:hover{background:#f1f5f9}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.badge{display:inline-block;padding:1px 8px;border-radius:999px;font-size:12px;font-weight:600;background:#eef2ff;color:#3730a3;white-space:nowrap}
.badge.gap{background:#fee2e2;color:#991b1b}.badge.findability{background:#fef3c7;color:#92400e}.badge.poor{background:#ffedd5;color:#9a3412}
.badge.thin{background:#f3f4f6;color:var(--muted)}.badge.fixed{background:#dcfce7;color:#166534}
.badge.worse{background:#fee2e2;color:#991b1b}.badge.kind{background:#f1f5f9;color:#334155}
.title a{font-weight:600;color:var(--ink)}
.edit{font-size:12px;color:var(--accent)}
.sub{color:var(--muted);font-size:12px}
blockquote{margin:4px 0;padding:2px 10px;border-left:3px solid var(--line);color:#374151;font-size:13px}
code,pre{font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace;background:#f1f5f9;border-radius:6px}
code{padding:1px 5px}
pre{padding:8px 10px;white-space:pre-wrap;margin:4px 0}
ul.plain{margin:4px 0;padding-left:18px}
.legend{display:flex;gap:16px;flex-wrap:wrap;font-size:13px;color:var(--muted);margin:6px 0}
.legend i{display:inline-block;width:12px;height:12px;border-radius:3px;margin-right:5px;vertical-align:-1px}
svg.chart{width:100%;height:auto;font-size:11px;fill:var(--muted)}
svg.stack{max-width:720px;font-size:12px;font-weight:600}
svg.spark{vertical-align:middle}
figure.ask-weeks{margin:4px 0 14px;max-width:480px}figure.ask-weeks figcaption{font-weight:600;font-size:13px}
ol.actions{margin:0;padding-left:22px}
ol.actions li{margin:6px 0}
.empty{color:var(--muted);font-style:italic}
details summary{cursor:pointer;color:var(--accent);font-size:13px;line-height:26px}
footer{color:var(--muted);font-size:12px;text-align:center;padding:24px}
.two{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,420px),1fr));gap:8px 28px}
.two>div{min-width:0;overflow-x:auto}
.two th{white-space:normal}td.day{white-space:nowrap}
.wide{max-width:100%;overflow-x:auto}
td.rec{min-width:260px}
p.why{margin:4px 0;max-width:760px}
p.follow{margin:6px 0;padding:6px 10px;border-radius:8px;background:var(--soft)}
p.note{margin:4px 0;font-style:italic}
.badge.act{background:#e0e7ff;color:#312e81}.badge.act-write{background:#fee2e2;color:#991b1b}
.badge.act-retag,.badge.act-keywords{background:#fef3c7;color:#92400e}.badge.act-fix{background:#ffedd5;color:#9a3412}
.badge.st-done{background:#dcfce7;color:#166534}.badge.st-in_progress{background:#dbeafe;color:#1e40af}
.badge.st-wrong,.badge.st-wont_do{background:#f3f4f6;color:#374151}
form.decide{display:grid;grid-template-columns:auto 1fr;gap:4px 8px;align-items:center;min-width:230px}
form.decide label{font-size:12px;color:var(--muted)}
form.decide select,form.decide input,form.decide textarea,form.filters select,form.filters input,form.link select,form.link input{font:inherit;font-size:13px;
 padding:3px 6px;border:1px solid #94a3b8;border-radius:6px;background:var(--card);color:var(--ink);min-width:0}
form.decide button,form.filters button,form.link button,.top button{font:inherit;font-size:13px;font-weight:600;padding:4px 12px;border-radius:6px;
 border:1px solid var(--accent);background:var(--accent);color:#fff;cursor:pointer}
form.decide button{grid-column:2;justify-self:start}
form.decide .saved{grid-column:1/3}
form.link{display:flex;flex-wrap:wrap;gap:4px 8px;align-items:center;margin:6px 0}
form.link label{font-size:12px;color:var(--muted);flex-basis:100%}
form.link .saved{flex-basis:100%}
form.filters{display:flex;flex-wrap:wrap;gap:10px 16px;align-items:flex-end;margin:8px 0 14px}
form.filters div{display:flex;flex-direction:column;gap:2px}
form.filters label{font-size:12px;color:var(--muted);font-weight:600}
.age{color:#cbd5e1}
.pager{display:flex;gap:14px;margin:10px 0}
:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
:root{--soft:#f1f5f9}
@media (prefers-color-scheme:dark){
 :root{--ink:#e5e7eb;--muted:#a3aab6;--line:#334155;--bg:#0b1220;--card:#111a2b;--bad:#fb923c;--good:#4ade80;
  --warn:#fbbf24;--accent:#93b4ff;--soft:#1e293b;color-scheme:dark}
 nav.toc{background:var(--card)}
 .card{background:var(--card)}
 tbody tr:hover{background:#172033}
 code,pre{background:#1e293b}
 blockquote{color:#cbd5e1}
 .title a{color:var(--ink)}
 svg.spark rect[fill="#e5e7eb"]{fill:var(--soft)}
 .badge{background:#1e293b;color:#c7d2fe}
 .badge.gap,.badge.worse,.badge.act-write{background:#450a0a;color:#fecaca}
 .badge.findability,.badge.act-retag,.badge.act-keywords{background:#422006;color:#fde68a}
 .badge.fixed,.badge.st-done{background:#052e16;color:#bbf7d0}.badge.act-fix,.badge.poor{background:#431407;color:#fed7aa}
 .badge.thin,.badge.kind,.badge.st-wrong,.badge.st-wont_do{background:#1f2937;color:#d1d5db}
 .badge.st-in_progress{background:#172554;color:#bfdbfe}
 form.decide button,form.filters button,form.link button,.top button{background:#2563eb;border-color:#2563eb}
 a{color:#93b4ff}
}
@media (max-width:700px){main{padding:8px 10px 32px}section{padding:14px 12px}header.top,nav.toc{padding-left:12px;padding-right:12px}
 nav.toc{flex-wrap:nowrap;overflow-x:auto;white-space:nowrap}
 table.backlog td.no::before{content:"#"}table.backlog td.cust::before{content:"customers affected: "}
 table.backlog thead{display:none}table.backlog tr{display:block;border-bottom:1px solid var(--line);padding:6px 0}
 table.backlog td{display:block;border:0;padding:4px 2px}table.backlog td.num{text-align:left}
 table.gaps thead{display:none}table.gaps tr{display:block;border-bottom:1px solid var(--line);padding:6px 0}
 table.gaps td{display:block;border:0;padding:4px 2px}table.gaps td.num{text-align:left}
 table.gaps td:nth-child(1)::before{content:"#"}table.gaps td:nth-child(4)::before{content:"trend: "}
 table.gaps td:nth-child(3) .spark{vertical-align:middle}
 table.notfound thead{display:none}table.notfound tr{display:block;border-bottom:1px solid var(--line);padding:6px 0}
 table.notfound td{display:block;border:0;padding:2px}table.notfound td.num{text-align:left}
 table.notfound td:nth-child(3)::before{content:"failed: "}table.notfound td:nth-child(3) .sub{display:inline;margin-left:4px}
 table.blocks thead{display:none}table.blocks tr{display:block;border-bottom:1px solid var(--line);padding:6px 0}
 table.blocks td{display:block;border:0;padding:2px}table.blocks td.num{text-align:left}
 table.blocks td[data-label]::before{content:attr(data-label) ": ";color:var(--muted);font-size:12px;font-weight:600}
 table.blocks td[data-label="#"]::before{content:"#"}}
@media print{
 nav.toc,th button::after{display:none}
 body{background:#fff;font-size:11px}
 section{border:0;padding:0;margin:16px 0;break-inside:auto}
 section+section{break-before:page}
 tr{break-inside:avoid}
 a{color:inherit;text-decoration:none}
 header.top{background:#fff;color:#000;padding:0}
 header.top h1{color:#000}
 details>*{display:block}
}
"""

JS = """(function(){
function key(cell){var v=cell.getAttribute('data-sort');if(v===null){v=cell.textContent.trim().toLowerCase();}
var n=Number(v);return (v!==''&&!isNaN(n))?[0,n]:[1,v];}
function cmp(a,b){if(a[0]!==b[0])return a[0]-b[0];return a[1]<b[1]?-1:a[1]>b[1]?1:0;}
document.querySelectorAll('table.sortable').forEach(function(table){
 var heads=table.tHead.rows[0].cells;
 Array.prototype.forEach.call(heads,function(th,i){
  if(th.hasAttribute('data-nosort'))return;
  var b=document.createElement('button');b.type='button';b.textContent=th.textContent;th.textContent='';th.appendChild(b);
  b.addEventListener('click',function(){
   var asc=th.getAttribute('aria-sort')!=='ascending';
   Array.prototype.forEach.call(heads,function(h){h.removeAttribute('aria-sort');});
   th.setAttribute('aria-sort',asc?'ascending':'descending');
   var body=table.tBodies[0],rows=Array.prototype.slice.call(body.rows);
   rows.sort(function(r,s){return cmp(key(r.cells[i]),key(s.cells[i]))*(asc?1:-1);});
   rows.forEach(function(r){body.appendChild(r);});
  });
 });
});
window.addEventListener('beforeprint',function(){document.querySelectorAll('details').forEach(function(d){d.open=true;});});
})();"""
