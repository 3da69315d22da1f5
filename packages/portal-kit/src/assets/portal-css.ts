// The portal's only stylesheet, served from `<base>/assets/portal.css` so the CSP can forbid
// inline styles. Phone first; one breakpoint widens the layout on desktops.
export const PORTAL_CSS = `:root{--hk-primary:#0b5cad;--hk-on-primary:#fff;--hk-link:#0b5cad;--hk-accent:#0b5cad;--hk-bg:#f4f6f8;--hk-card:#fff;--hk-text:#17212b;--hk-muted:#4b5866;--hk-line:#d5dce3;--hk-track:#e3e8ed;--hk-ok-bg:#e6f4ea;--hk-ok:#17522b;--hk-err-bg:#fdeceb;--hk-err:#8c1d13;--hk-radius:12px;color-scheme:light}
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--hk-bg);color:var(--hk-text);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
a{color:var(--hk-link)}
a:focus-visible,button:focus-visible,input:focus-visible,summary:focus-visible{outline:3px solid var(--hk-accent);outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem 1rem;z-index:10}
.skip:focus{left:0}
.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
.top{background:var(--hk-card);border-top:4px solid var(--hk-accent);border-bottom:1px solid var(--hk-line)}
.top-in,.wrap{max-width:40rem;margin:0 auto;padding:0 1rem}
.top-in{display:flex;align-items:center;justify-content:space-between;gap:1rem;min-height:3.5rem}
.brand{display:flex;align-items:center;gap:.6rem;font-weight:600;font-size:1.05rem;min-width:0}
.brand img{max-height:2.25rem;max-width:8rem;width:auto;height:auto}
.brand span{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
main{padding:1.25rem 0 2rem}
h1{font-size:1.5rem;line-height:1.25;margin:0 0 .5rem}
h2{font-size:1.2rem;margin:0 0 .75rem}
h3{font-size:1.05rem;margin:0}
h4{font-size:1rem;margin:1rem 0 .5rem}
p{margin:0 0 .75rem}
.lead{color:var(--hk-muted)}
.card{background:var(--hk-card);border:1px solid var(--hk-line);border-radius:var(--hk-radius);padding:1rem;margin:0 0 1rem}
section{margin:0 0 1.5rem}
label{display:block;font-weight:600;margin:0 0 .3rem}
.hint{color:var(--hk-muted);font-size:.9rem;margin:.3rem 0 .75rem}
input[type=text],input[type=tel]{display:block;width:100%;font:inherit;font-size:1.1rem;padding:.65rem .75rem;border:1px solid #7a8794;border-radius:8px;background:#fff;color:var(--hk-text)}
input.code{letter-spacing:.3em;font-variant-numeric:tabular-nums;max-width:14rem}
.field{margin:0 0 1rem}
.btn{display:inline-flex;align-items:center;justify-content:center;gap:.4rem;min-height:2.75rem;padding:.55rem 1.1rem;font:inherit;font-weight:600;border-radius:8px;border:2px solid var(--hk-primary);background:var(--hk-primary);color:var(--hk-on-primary);cursor:pointer;text-decoration:none}
.btn-block{width:100%}
.btn-quiet{background:transparent;color:var(--hk-link);border-color:var(--hk-line)}
.btn-small{min-height:2.25rem;padding:.3rem .7rem;font-size:.9rem}
.btn-danger{background:#fff;color:var(--hk-err);border-color:#c9a09b}
.linkbtn{background:none;border:0;padding:0;font:inherit;color:var(--hk-link);text-decoration:underline;cursor:pointer}
.actions{display:flex;flex-wrap:wrap;gap:.75rem 1.25rem;align-items:center;margin-top:1rem}
.alert{border-radius:8px;padding:.75rem 1rem;margin:0 0 1rem;border:1px solid}
.alert-error{background:var(--hk-err-bg);color:var(--hk-err);border-color:#f0b7b1}
.alert-ok{background:var(--hk-ok-bg);color:var(--hk-ok);border-color:#a9d5b5}
.note{background:#fff8e1;border:1px solid #e6d28a;color:#4d3c00;border-radius:8px;padding:.6rem .9rem;font-size:.92rem}
.meters{display:grid;gap:.9rem;margin:.75rem 0}
.meter-head{display:flex;justify-content:space-between;gap:.5rem;flex-wrap:wrap;font-size:.95rem}
.meter-name{font-weight:600}
.meter-foot{color:var(--hk-muted);font-size:.88rem;margin:.2rem 0 0}
.bar{display:block;width:100%;height:10px;margin-top:.3rem}
.bar .track{fill:var(--hk-track)}
.bar .fill{fill:var(--hk-primary)}
.bar .fill.high{fill:#b3261e}
.chart{margin:0}
.chart svg{display:block;width:100%;height:auto;max-height:15rem}
.chart figcaption{margin-top:.4rem;font-size:.92rem}
.chart .col{fill:var(--hk-primary)}
.chart .axis{stroke:var(--hk-line);stroke-width:1}
.chart text{fill:var(--hk-muted);font-size:10px;font-family:inherit}
details{margin-top:.75rem}
summary{cursor:pointer;color:var(--hk-link)}
table{border-collapse:collapse;width:100%;font-size:.92rem;margin-top:.5rem}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid var(--hk-line)}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.vouchers{list-style:none;margin:0;padding:0}
.voucher-head{display:flex;justify-content:space-between;align-items:flex-start;gap:.75rem}
.badge{display:inline-block;border-radius:999px;padding:.1rem .65rem;font-size:.82rem;font-weight:600;white-space:nowrap;border:1px solid}
.badge-online{background:#e3f4e8;color:#125028;border-color:#9fd1ae}
.badge-active{background:#e4eefb;color:#0b3f78;border-color:#a9c4ea}
.badge-new{background:#f1f1f1;color:#3b3b3b;border-color:#c8c8c8}
.badge-used,.badge-expired{background:#f6ecec;color:#6e1c16;border-color:#dcb6b2}
.voucher.ended{background:#fafbfc}
.code-line{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;margin:.35rem 0 0;color:var(--hk-muted);font-size:.92rem}
.code-line strong{color:var(--hk-text);letter-spacing:.04em}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem .9rem;margin:.75rem 0 0;font-size:.93rem}
.facts dt{color:var(--hk-muted)}
.facts dd{margin:0}
.devices{border-top:1px solid var(--hk-line);margin-top:1rem;padding-top:.25rem}
.device-list{list-style:none;margin:0 0 .75rem;padding:0}
.device{border:1px solid var(--hk-line);border-radius:8px;padding:.6rem .75rem;margin:0 0 .5rem}
.device-name{font-weight:600;word-break:break-word}
.mac{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:var(--hk-muted);font-size:.9rem}
.device-forms{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end;margin-top:.5rem}
.rename{display:flex;gap:.5rem;flex:1 1 14rem}
.rename input{font-size:1rem;padding:.4rem .6rem}
.add-device{background:var(--hk-bg);border-radius:8px;padding:.75rem}
.langs{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;padding:0;margin:.5rem 0 0}
.langs a[aria-current]{font-weight:700;text-decoration:none;color:var(--hk-text)}
footer{border-top:1px solid var(--hk-line);padding:1rem 0 2rem;color:var(--hk-muted);font-size:.9rem}
.muted{color:var(--hk-muted)}
@media (min-width:48rem){
.top-in,.wrap{max-width:56rem}
h1{font-size:1.8rem}
.summary .meters,.voucher .meters{grid-template-columns:repeat(3,1fr);gap:1.5rem}
.add-device{display:grid;grid-template-columns:1fr 1fr auto;gap:0 1rem;align-items:start}
.add-device .field{margin:0}
.add-device button{margin-top:1.9rem}
.narrow{max-width:30rem}
.btn-block{width:auto}
}
`;
